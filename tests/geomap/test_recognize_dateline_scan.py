"""The dateline scan tries the pattern at line starts only: the same tokens as
trying it at every character (``finditer``), for any text."""

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.recognize import _DATELINE, _bisect_left, _Ctx, _dateline_tokens
from geomap.text import sentence_spans


def _everywhere(ctx) -> set[int]:
    """The tokens of every match of the pattern anywhere in the text."""
    out: set[int] = set()
    text, starts = ctx.text, ctx.starts
    if not text[:1].isupper() and "\n" not in text:
        return out
    for m in _DATELINE.finditer(text):
        if m.group("region") is None and m.end() == m.end("place"):
            continue
        end = m.end("region") if m.group("region") is not None else m.end("place")
        out.update(range(_bisect_left(starts, m.start("place")), _bisect_left(starts, end)))
    return out


def _tokens(text: str) -> set[str]:
    ctx = _Ctx(text, sentence_spans(text))
    return {ctx.words[t] for t in _dateline_tokens(ctx)}


def test_datelines_on_later_lines_and_after_blanks():
    text = ("Talks stalled.\n  ODESA, Ukraine (Reuters) \u2014 Drones hit the port.\n"
            "\tMOPTI/SEVARE: Troops left.\nA HEADLINE IN CAPITALS\nDONETSK \u2014 more")
    assert _tokens(text) == {"ODESA", "Ukraine", "MOPTI", "SEVARE", "DONETSK"}


def test_no_dateline_inside_a_line_or_in_lower_case():
    assert _tokens("Officials in TIRANA, Albania \u2014 said so.\nodesa, Ukraine \u2014 x") == set()


_PIECES = st.sampled_from(["KYIV", "EL-FASHER", "ST.", "O'NEILL", "Ukraine", "New York",
                           "GAZA CITY", ",", ", ", " ", "\t", "\n", "\r\n", "\u2014", "-", ":",
                           "(AP)", "(", ")", "/", "x", "said", ".", "\u00c9", "\n\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=30).map("".join) | st.text(max_size=80))
def test_same_tokens_as_trying_every_character(text):
    ctx = _Ctx(text, sentence_spans(text))
    assert _dateline_tokens(ctx) == _everywhere(ctx)
