import pytest

from gazetteer import fold
from gazetteer.sources._util import keep_name


@pytest.mark.parametrize("raw, folded", [
    ("Nagorno-Karabakh", "nagorno karabakh"),
    ("NAGORNO–KARABAKH", "nagorno karabakh"),
    ("Genève", "geneve"),
    ("St. John's", "st johns"),
    ("U.S.", "u s"),
    ("Xankəndi", "xankandi"),
    ("Şuşa", "susa"),
    ("  ", ""),
])
def test_fold(raw, folded):
    assert fold(raw) == folded


@pytest.mark.parametrize("name, kept", [
    ("Genf", True), ("GVA", False), ("LSGG", False), ("X", False), ("Ufa", True), ("UK", True),
])
def test_keep_name_drops_airport_codes_and_short_names(name, kept):
    assert keep_name(name) is kept
