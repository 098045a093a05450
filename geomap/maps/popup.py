"""The HTML of a place's popup: what it is, who mentions it, and where.

Everything that comes from articles or the gazetteer is untrusted text and
goes through :func:`html.escape`; the only markup is ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

__all__ = ["FEATURE_LABELS", "feature_label", "highlight", "popup_html"]

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
    max_sentences: int = 5,
) -> str:
    """The popup of one place.

    Parameters
    ----------
    place : mapping
        A row of :func:`geomap.aggregate.places` (``name``, ``country_code``,
        ``feature_code``, ``mentions``, ``documents``).
    source_counts : mapping
        Mentions per source, e.g. ``{"TASS": 3, "BBC": 1}``.
    mentions : iterable of mapping
        Mention-table rows of this place (``sentence``, ``sentence_start``,
        ``start``, ``end``, ``text``, ``source``, ``doc``, ``date``); the
        first ``max_sentences`` distinct sentences are shown.
    max_sentences : int
        How many sentences to quote at most.

    Examples
    --------
    >>> html = popup_html({"name": "Moscow", "country_code": "RU",
    ...                    "feature_code": "PPLC", "mentions": 1, "documents": 1},
    ...                   {"TASS": 1},
    ...                   [{"sentence": "In Moscow <script>", "sentence_start": 0,
    ...                     "start": 3, "end": 9, "source": "TASS", "doc": "a"}])
    >>> "<mark>Moscow</mark> &lt;script&gt;" in html
    True
    """
    name = escape(_text(place.get("name")))
    country = escape(_text(place.get("country_code"))) or "&ndash;"
    feature = escape(feature_label(_text(place.get("feature_code"))))
    parts = [
        '<div class="geomap-popup">',
        f"<h4>{name}</h4>",
        f"<p>Country: {country}<br>Type: {feature}<br>",
        f"Mentions: <b>{int(place.get('mentions', 0))}</b> in "
        f"{int(place.get('documents', 0))} document(s)</p>",
        '<table class="geomap-sources"><tr><th>Source</th><th>Mentions</th></tr>',
    ]
    for source, count in sorted(source_counts.items(), key=lambda kv: (-kv[1], kv[0])):
        parts.append(f"<tr><td>{escape(str(source))}</td><td>{int(count)}</td></tr>")
    parts.append("</table>")
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
            marked = highlight(sentence, int(row["start"]) - offset, int(row["end"]) - offset)
        else:
            marked = "<mark>" + escape(sentence) + "</mark>"
        where = " &middot; ".join(
            escape(_text(row.get(k))) for k in ("source", "date") if _text(row.get(k))
        )
        quotes.append(f"<li>{marked} <small>({where})</small></li>")
    if quotes:
        parts.append('<ul class="geomap-sentences">' + "".join(quotes) + "</ul>")
    if more:
        parts.append(f"<p><small>&hellip; and {more} more sentence(s)</small></p>")
    parts.append("</div>")
    return "".join(parts)
