"""The JSON Lines writer gives exactly what json.dumps gives for each record
(with the line breaks JSON leaves raw escaped: one record per line)."""

import json
import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gazetteer.place import Place
from geomap.engines.writer import format_mentions
from geomap.mentions import COLUMNS, Mention


def reference_line(m: Mention, names=None) -> str:
    record = m.as_record(names)
    for k in ("lat", "lon", "score"):
        if record[k] is not None and not math.isfinite(record[k]):
            record[k] = None
    line = json.dumps(record, ensure_ascii=False, allow_nan=False)
    # raw, these three are line breaks to str.splitlines (they only occur in strings)
    for c in "\x85\u2028\u2029":
        line = line.replace(c, f"\\u{ord(c):04x}")
    return line + "\n"


GENEVA = Place(id=2660646, name="Genève", lat=46.20222, lon=6.14569, country_code="CH",
               feature_class="P", feature_code="PPLA", population=183981, geonameid=2660646)
CURATED = Place(id=90000001, name='The "Caucasus"', lat=42.0, lon=45, country_code=None,
                feature_class="L", feature_code="RGN", geonameid=None)
BASE = Mention(doc="a", start=3, end=9, text="Genève", place=GENEVA, score=0.91,
               sentence="In Genève, talks\nresumed “today”.\t\\", sentence_start=0)


@pytest.mark.parametrize("mention", [
    BASE,
    replace(BASE, place=None, score=0.0),
    replace(BASE, place=CURATED, kind="demonym", source="Hyetert", date="2020-10-01",
            url="https://example.org/a?b=1&c=\u2028"),
    replace(BASE, score=float("nan")),
    replace(BASE, place=replace(GENEVA, lat=float("inf")), score=1),
    replace(BASE, doc="🚀\x00\x1f", text="Ünïcödé", sentence=""),
    replace(BASE, doc="a\x85b", source="\u2029", text="x\u2028y",
            sentence="\x0b\x0c\x1c\x1d\x1e\r"),
    replace(BASE, sentence="a\u2028b\x85c\u2029 Genève"),   # breaks in a sentence
    replace(BASE, sentence=None),                           # not text: as json.dumps
])
def test_jsonl_line_is_json_dumps(mention):
    line = format_mentions([mention], "jsonl")
    assert line == reference_line(mention)
    assert len(line.splitlines()) == 1
    assert list(json.loads(line)) == list(COLUMNS)


_SCORES = st.one_of(st.sampled_from([0.0, -0.0, 1.0, 0.5, 0.1234]),
                    st.floats(0.0, 1.0).map(lambda p: round(p, 4)), st.floats(allow_nan=False))


@given(st.lists(st.tuples(_SCORES, st.sampled_from(["Genève", "Geneve", "GENÈVE", " Genève",
                                                      "Genève  ", "Gen ève", ""]),
                          st.sampled_from(["name", "demonym"]),
                          st.sampled_from([GENEVA, CURATED, replace(GENEVA, name="Gen  ève")])),
                max_size=8))
def test_jsonl_scores_and_display_names_are_json_dumps(rows):
    """Scores written from the kept reprs (0.0 and -0.0 each their own), and
    display names of names written as the place's or otherwise, whatever the
    kind, in any order: as json.dumps writes them."""
    mentions = [replace(BASE, score=score, text=text, kind=kind, place=place)
                for score, text, kind, place in rows]
    mentions += [replace(m, text=m.place.name) for m in mentions]
    for _ in range(2):
        assert format_mentions(mentions, "jsonl") == "".join(map(reference_line, mentions))


def test_jsonl_lines_share_fields_only_when_equal():
    # mentions in a row with equal (not the same) or different document
    # fields and sentences, None among them
    other = replace(BASE, doc="b", source=None, date=None, url=None, sentence=None)
    mentions = [BASE, replace(BASE, doc="".join("a"), start=4), replace(BASE, source="S"),
                replace(BASE, source="S", sentence="Other."), replace(BASE, date="2020"),
                replace(BASE, url="u", sentence="".join("Other.")), other,
                replace(other, sentence=""), replace(other, doc=None), BASE]
    assert format_mentions(mentions, "jsonl") == "".join(map(reference_line, mentions))
    assert format_mentions([other], "jsonl") == reference_line(other)
    assert format_mentions([], "jsonl") == ""


def test_jsonl_lines_of_a_real_run(gaz):
    from geomap.pipeline import Pipeline

    text = ("Shelling was reported in Stepanakert and Shushi on Friday, officials in "
            "Yerevan said. Talks in Geneva; Armenian and Azerbaijani envoys met.")
    mentions = Pipeline(gaz).process(text, keep_unresolved=True)
    assert len(mentions) >= 5
    # twice: the second time the places' parts come from the cache
    for _ in range(2):
        assert format_mentions(mentions, "jsonl") == "".join(map(reference_line, mentions))
    # with the gazetteer, the divisions' names too (and the cache does not mix the two)
    from geomap.admins import AdminNames

    names = AdminNames(gaz)
    lines = format_mentions(mentions, "jsonl", gazetteer=gaz)
    assert lines == "".join(reference_line(m, names) for m in mentions)
    assert any(json.loads(line)["admin1_name"] for line in lines.splitlines())
    assert format_mentions(mentions, "jsonl") == "".join(map(reference_line, mentions))


def test_writer_takes_bytes_and_text(tmp_path, monkeypatch, capsysbinary):
    import io

    from geomap.engines.writer import MentionWriter

    target = tmp_path / "m.csv"
    with MentionWriter(target, "csv") as w:
        w.write("a,Genève\n")
        w.write("b,Zürich\n".encode())
        w.write(b"")
    assert target.read_bytes() == (",".join(COLUMNS) + "\na,Genève\nb,Zürich\n").encode()
    with MentionWriter(None, "jsonl") as w:       # stdout: its binary buffer
        w.write("é\n".encode())
        w.write("ü\n")
    assert capsysbinary.readouterr().out == "é\nü\n".encode()
    text = io.StringIO()                          # a stdout without a buffer (a notebook's)
    monkeypatch.setattr("sys.stdout", text)
    with MentionWriter(None, "csv") as w:
        w.write("é\n".encode())
    assert text.getvalue() == ",".join(COLUMNS) + "\né\n"


def test_writer_replaces_the_file_whole_or_leaves_the_old_one(tmp_path):
    from gazetteer.atomic import new_file_mode
    from geomap.engines.writer import MentionWriter

    target = tmp_path / "m.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError, match="mid-run"):
        with MentionWriter(target, "jsonl") as w:
            w.write("new\n")
            raise RuntimeError("mid-run")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["m.jsonl"]     # no temporary file left
    with MentionWriter(target, "jsonl") as w:
        w.write("new\n")
        assert target.read_text() == "old\n"                       # until the run ends
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == new_file_mode()
    assert [p.name for p in tmp_path.iterdir()] == ["m.jsonl"]
