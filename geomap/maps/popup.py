"""The HTML of a place's popup: what it is, who mentions it, and where.

Everything that comes from articles or the gazetteer is untrusted text and
goes through :func:`html.escape`; the only markup is ours. A mention's
``url`` becomes a link only when it is ``http(s)``
(:func:`~geomap.maps.safe.link_url`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from geomap.maps.safe import link_url

__all__ = ["FEATURE_LABELS", "feature_label", "excerpt", "highlight", "popup_html"]

#: Readable names of common GeoNames feature codes (others are shown as is).
FEATURE_LABELS: dict[str, str] = {
    "PCLI": "country",
    "PCLD": "dependent territory",
    "PCLS": "country",
    "PCLF": "country",
    "PCL": "country",
    "TERR": "territory",
    "ADM1": "first-order administrative division",
    "ADM2": "second-order administrative division",
    "ADM3": "third-order administrative division",
    "PPLC": "capital",
    "PPLA": "seat of a first-order division",
    "PPLA2": "seat of a second-order division",
    "PPL": "populated place",
    "RGN": "region",
    "CONT": "continent",
    "MT": "mountain",
    "STM": "stream",
    "ISL": "island",
}


def feature_label(feature_code: str | None) -> str:
    """A readable label for a GeoNames feature code.

    Examples
    --------
    >>> feature_label("PPLC")
    'capital (PPLC)'
    >>> feature_label(None)
    ''
    """
    if not feature_code:
        return ""
    label = FEATURE_LABELS.get(feature_code)
    return f"{label} ({feature_code})" if label else feature_code


def excerpt(sentence: str, start: int, end: int, context: int = 80) -> tuple[str, int, int]:
    """Cut ``sentence`` to ``context`` characters either side of ``[start, end)``.

    Returns the shorter text (with ``…`` where cut) and the mention's new
    offsets in it; offsets outside the sentence leave it whole.

    Examples
    --------
    >>> excerpt("a b c Moscow d e f", 6, 12, context=2)
    ('…c Moscow d…', 3, 9)
    """
    if not (0 <= start < end <= len(sentence)) or len(sentence) <= end - start + 2 * context:
        return sentence, start, end
    left, right = max(0, start - context), min(len(sentence), end + context)
    prefix = "…" if left else ""
    text = prefix + sentence[left:right] + ("…" if right < len(sentence) else "")
    return text, start - left + len(prefix), end - left + len(prefix)


def highlight(sentence: str, start: int, end: int) -> str:
    """Escape ``sentence`` and wrap ``sentence[start:end]`` in ``<mark>``.

    Offsets outside the sentence leave it unmarked (still escaped).

    Examples
    --------
    >>> highlight("Talks in <b>Geneva</b>", 12, 18)
    'Talks in &lt;b&gt;<mark>Geneva</mark>&lt;/b&gt;'
    """
    if 0 <= start < end <= len(sentence):
        return (
            escape(sentence[:start])
            + "<mark>"
            + escape(sentence[start:end])
            + "</mark>"
            + escape(sentence[end:])
        )
    return escape(sentence)


def _as_written(mentions: list[Mapping], most: int = 5) -> str:
    """The distinct ``text`` of the mentions (escaped), most frequent first, with counts."""
    counts: dict[str, int] = {}
    for row in mentions:
        text = _text(row.get("text"))
        if text:
            counts[text] = counts.get(text, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{escape(t)} ({n})" for t, n in ranked[:most])
    return shown + (f" &hellip; {len(ranked) - most} more" if len(ranked) > most else "")


def _date_text(value) -> str:
    """A date cell as text: a datetime at midnight as its day (``2020-10-01``)."""
    if hasattr(value, "strftime") and value == value:  # datetime, Timestamp (not NaT)
        if (value.hour, value.minute, value.second) == (0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    return _text(value)


def _text(value) -> str:
    """A cell as text: missing values (None, NaN, NA) become ''."""
    if value is None or value != value:  # NaN
        return ""
    try:
        import pandas as pd

        if value is pd.NA:
            return ""
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def popup_html(
    place: Mapping,
    source_counts: Mapping[str, int],
    mentions: Iterable[Mapping],
    *,
    max_sentences: int = 3,
    max_sources: int = 8,
    context: int = 80,
    note: str | None = None,
) -> str:
    """The popup of one place (HTML shown in a container of class ``geomap-popup``).

    Parameters
    ----------
    place : mapping
        A row of :func:`geomap.aggregate.places` (``name``, ``country_code``,
        ``feature_code``, ``mentions``, ``documents``) and, when known,
        ``display_name`` (the heading instead of ``name``), ``country_name``,
        ``admin1_name`` and ``feature_name`` (instead of the code's label).
    source_counts : mapping
        Mentions per source, e.g. ``{"TASS": 3, "BBC": 1}``.
    mentions : iterable of mapping
        Mention-table rows of this place (``sentence``, ``sentence_start``,
        ``start``, ``end``, ``text``, ``source``, ``doc``, ``date``,
        ``url``); the first ``max_sentences`` distinct sentences are shown,
        each followed by its source and date, a link to its ``url`` when
        that is ``http(s)``.
    max_sentences : int
        How many sentences to quote at most.
    max_sources : int
        How many sources to list at most (those with most mentions).
    context : int
        Characters kept either side of the mention in a long sentence.
    note : str, optional
        A line of text added under the place's details.

    The details list the names as written in the articles (most frequent
    first) and the first and last date of the mentions.

    Examples
    --------
    >>> html = popup_html({"name": "Moscow", "country_code": "RU",
    ...                    "feature_code": "PPLC", "mentions": 1, "documents": 1},
    ...                   {"TASS": 1},
    ...                   [{"sentence": "In Moscow <script>", "sentence_start": 0,
    ...                     "start": 3, "end": 9, "source": "TASS", "doc": "a"}])
    >>> "<mark>Moscow</mark> &lt;script&gt;" in html
    True
    >>> html = popup_html({"name": "Moscow"}, {}, [{"sentence": "In Moscow.", "start": 3,
    ...                   "end": 9, "source": "TASS", "url": "https://tass.com/a?b=1&c=2"}])
    >>> '<a href="https://tass.com/a?b=1&amp;c=2" target="_blank"' in html
    True
    """
    mentions = list(mentions)
    name = escape(_text(place.get("display_name")) or _text(place.get("name")))
    code = _text(place.get("country_code"))
    country = _text(place.get("country_name"))
    country = (f"{escape(country)} ({escape(code)})" if country and code
               else escape(country or code)) or "&ndash;"
    feature = escape(_text(place.get("feature_name")) or feature_label(
        _text(place.get("feature_code"))))
    lines = [f"Country: {country}"]
    if _text(place.get("admin1_name")):
        lines.append(f"Admin1: {escape(_text(place.get('admin1_name')))}")
    if _text(place.get("admin2_name")):
        lines.append(f"Admin2: {escape(_text(place.get('admin2_name')))}")
    if feature:
        lines.append(f"Type: {feature}")
    written = _as_written(mentions)
    if written:
        lines.append(f"As written: {written}")
    days = sorted({_date_text(row.get("date")) for row in mentions} - {""})
    if days:
        lines.append("Dates: " + escape(days[0])
                     + (f" &ndash; {escape(days[-1])}" if len(days) > 1 else ""))
    if note:
        lines.append(escape(note))
    parts = [
        f"<h4>{name}</h4>",
        "<p>" + "<br>".join(lines) + "<br>",
        f"Mentions: <b>{int(place.get('mentions', 0))}</b> in "
        f"{int(place.get('documents', 0))} document(s)</p>",
        '<table><tr><th>Source</th><th>Mentions</th></tr>',
    ]
    ranked = sorted(source_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    for source, count in ranked[:max_sources]:
        parts.append(f"<tr><td>{escape(str(source))}</td><td>{int(count)}</td></tr>")
    parts.append("</table>")
    if len(ranked) > max_sources:
        rest = sum(n for _, n in ranked[max_sources:])
        parts.append(f"<small>&hellip; {len(ranked) - max_sources} more source(s): "
                     f"{int(rest)} mention(s)</small>")
    seen: set[tuple] = set()
    quotes: list[str] = []
    more = 0
    for row in mentions:
        sentence = _text(row.get("sentence")) or _text(row.get("text"))
        key = (_text(row.get("doc")), sentence)
        if not sentence or key in seen:
            continue
        seen.add(key)
        if len(quotes) >= max_sentences:
            more += 1
            continue
        offset = int(row.get("sentence_start") or 0)
        if _text(row.get("sentence")):
            marked = highlight(*excerpt(sentence, int(row["start"]) - offset,
                                        int(row["end"]) - offset, context))
        else:
            marked = "<mark>" + escape(sentence[: 2 * context]) + "</mark>"
        where = " &middot; ".join(
            escape(text) for text in (_text(row.get("source")), _date_text(row.get("date")))
            if text
        )
        url = link_url(row.get("url"))
        if url is not None:
            where = (f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">'
                     f"{where or 'article'}</a>")
        quotes.append(f"<li>{marked} <small>({where})</small></li>")
    if quotes:
        parts.append("<ul>" + "".join(quotes) + "</ul>")
    if more:
        parts.append(f"<p><small>&hellip; and {more} more sentence(s)</small></p>")
    return "".join(parts)
