"""Tokens and sentences keep exact offsets into the original text."""

import pytest

from geomap.text import sentence_spans, tokenize


@pytest.mark.parametrize("text, expected", [
    ("Talks in Geneva. Mr. Smith left.", ["Talks in Geneva.", "Mr. Smith left."]),
    ("Headline\n\nBody one. Body two!", ["Headline", "Body one.", "Body two!"]),
    ("He said “go.” Then left.", ["He said “go.”", "Then left."]),
    ("Springfield, Ill. is small.", ["Springfield, Ill. is small."]),
])
def test_sentences(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_tokens_offsets_and_sentences():
    text = "U.S. envoy in Nagorno-Karabakh. Then Russia’s turn."
    toks = tokenize(text)
    assert all(text[t.start:t.end] == t.text for t in toks)
    assert [t.text for t in toks] == ["U.S.", "envoy", "in", "Nagorno", "Karabakh", "Then",
                                      "Russia", "s", "turn"]
    assert [t.sentence for t in toks] == [0, 0, 0, 0, 0, 1, 1, 1, 1]
