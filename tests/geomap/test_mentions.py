"""The Mention value object and its fast maker."""

import dataclasses

import pytest

from gazetteer.place import Place
from geomap.assemble import assemble
from geomap.documents import Document
from geomap.mentions import Mention
from geomap.resolution import Resolution
from geomap.spans import Span


def test_assembled_mentions_are_what_the_mention_init_gives():
    p = Place(id=524901, name="Moscow", lat=55.75, lon=37.62, country_code="RU")
    doc = Document("a", "Intro. In Moscow. Nowhere, Moscow.", source="src", date="2020-10-01",
                   url="http://x")
    text = doc.text[7:]
    sentences = [(0, 10), (11, 27)]
    resolutions = [Resolution(Span(3, 9, "Moscow", "moscow", sentence=0), p, 0.9),
                   Resolution(Span(11, 18, "Nowhere", "nowhere", sentence=1), None, 0.0),
                   Resolution(Span(20, 26, "Moscow", "moscow", "demonym", True, 1), p, 0.5)]
    names = [f.name for f in dataclasses.fields(Mention)]
    kept = assemble(doc, 7, text, sentences, resolutions)
    # score is the score model's probability (tests/geomap/test_calibration.py checks
    # the arithmetic), not the resolver's share
    scores = [m.score for m in kept]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert kept == [
        Mention("a", 10, 16, "Moscow", p, scores[0], "name", "src", "2020-10-01", "http://x",
                "In Moscow.", 7),
        Mention("a", 27, 33, "Moscow", p, scores[1], "demonym", "src", "2020-10-01", "http://x",
                "Nowhere, Moscow.", 18)]
    for m in kept:        # every field set, as the frozen __init__ sets them
        assert [getattr(m, n) for n in names] == [getattr(Mention(**{
            n: getattr(m, n) for n in names}), n) for n in names]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kept[0].score = 1.0
    every = assemble(doc, 7, text, sentences, resolutions, keep_unresolved=True)
    assert [m.text for m in every] == ["Moscow", "Nowhere", "Moscow"]
    assert every[1].place is None and every[1].sentence == "Nowhere, Moscow."
    # no sentences: the whole piece is the sentence
    assert assemble(doc, 7, text, [], resolutions[:1])[0].sentence == text
