"""The Mention value object and its fast maker."""

import dataclasses

import pytest

from gazetteer.place import Place
from geomap.mentions import Mention, _mention


def test_fast_maker_gives_the_mention_init_gives():
    p = Place(id=524901, name="Moscow", lat=55.75, lon=37.62, country_code="RU")
    values = ("a", 3, 9, "Moscow", p, 0.9, "name", "src", "2020-10-01", "http://x",
              "In Moscow.", 0)
    names = [f.name for f in dataclasses.fields(Mention)]
    m = _mention(*values)
    assert m == Mention(**dict(zip(names, values)))
    assert [getattr(m, n) for n in names] == list(values)    # every field, in order
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.score = 1.0
