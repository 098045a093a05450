"""What a popup says about a place or a country, as compact data for the page.

A map of 10,000 places cannot carry 10,000 popups of HTML (9 MB). Instead
:func:`summaries` sums up the mentions of each place (or country) in one
vectorised pass, :func:`popup_data` packs a summary as a short list
(repeated strings, such as sources, dates, countries and URLs, as indexes
into a shared :class:`Strings` table) and the page builds the popup from it
when it is opened (:data:`RENDER_JS`), with DOM nodes and ``textContent``
only: no text of an article or of the gazetteer is ever parsed as HTML. A
mention's ``url`` becomes a link only when it is ``http(s)``
(:func:`~geomap.maps.safe.link_url`, checked again in the page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from geomap.maps.safe import link_url

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FEATURE_LABELS", "POPUP_FIELDS", "QUOTE_FIELDS", "RENDER_JS", "Strings",
           "Summary", "excerpt", "feature_label", "popup_data", "split_mark", "summaries",
           "unpack_popup"]

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

#: The positions of a packed popup (:func:`popup_data`). ``*_s`` fields are
#: indexes into the :class:`Strings` table (-1 for none); ``written`` and
#: ``sources`` are flat ``[string index, count, ...]``; ``quotes`` is flat,
#: :data:`QUOTE_FIELDS` per quote.
POPUP_FIELDS = ("heading", "country_s", "admin1_s", "admin2_s", "feature_s", "written",
                "more_written", "first_date_s", "last_date_s", "note_s", "mentions",
                "documents", "sources", "more_sources", "more_source_mentions", "quotes",
                "more_quotes")
#: One quoted sentence: the text before the mention, the mention (highlighted),
#: the text after it, then string indexes of its source, date and link.
QUOTE_FIELDS = ("before", "mark", "after", "source_s", "date_s", "url_s")


class Strings:
    """A table of distinct strings, each written once in the page.

    Examples
    --------
    >>> s = Strings()
    >>> s("TASS"), s("BBC"), s("TASS"), s(""), s.values
    (0, 1, 0, -1, ['TASS', 'BBC'])
    """

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str | None) -> int:
        """The index of ``text`` (added when new); -1 for an empty or missing one."""
        if not text:
            return -1
        i = self._index.get(text)
        if i is None:
            i = self._index[text] = len(self.values)
            self.values.append(text)
        return i


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


def split_mark(sentence: str, start: int, end: int) -> tuple[str, str, str]:
    """``sentence`` as (before, mention, after); offsets outside it mark nothing.

    Examples
    --------
    >>> split_mark("Talks in Geneva.", 9, 15)
    ('Talks in ', 'Geneva', '.')
    >>> split_mark("a <b>", 10, 12)
    ('a <b>', '', '')
    """
    if 0 <= start < end <= len(sentence):
        return sentence[:start], sentence[start:end], sentence[end:]
    return sentence, "", ""


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


def _texts(values: pd.Series):
    """A column as an object array of text: missing values become ''."""
    if values.dtype == object and not values.map(type).eq(str).all():
        return values.map(_text).to_numpy(object)
    return values.astype("string").fillna("").to_numpy(object)


def _date_texts(values: pd.Series) -> pd.Series:
    """Dates as text: a datetime at midnight as its day (``2020-10-01``), else with the time."""
    from pandas.api.types import is_datetime64_any_dtype

    if is_datetime64_any_dtype(values):
        times = values.dt
        midnight = (times.hour == 0) & (times.minute == 0) & (times.second == 0)
        out = times.strftime("%Y-%m-%d %H:%M").where(~midnight, times.strftime("%Y-%m-%d"))
        return out.fillna("").astype(object)

    def one(value):
        if type(value) is str:
            return value
        if hasattr(value, "strftime") and value == value:  # datetime, Timestamp (not NaT)
            if (value.hour, value.minute, value.second) == (0, 0, 0):
                return value.strftime("%Y-%m-%d")
            return value.strftime("%Y-%m-%d %H:%M")
        return _text(value)

    return values.map(one).astype(object)


class Summary:
    """What the mentions of one place (or country) say, for its popup.

    Attributes
    ----------
    written : list of (str, int)
        Names as written, most frequent first (at most ``max_written``).
    more_written : int
    first_date, last_date : str
        The first and last date (as text); '' for none.
    documents : int
    sources : list of (str, int)
        Mentions per source, most first (at most ``max_sources``).
    more_sources, more_source_mentions : int
    quotes : list of (before, mark, after, source, date, url)
        The first distinct sentences (cut around the mention); ``url`` only
        when ``http(s)``, else ''.
    more_quotes : int
    """

    __slots__ = ("written", "more_written", "first_date", "last_date", "documents", "sources",
                 "more_sources", "more_source_mentions", "quotes", "more_quotes")

    def __init__(self) -> None:
        self.written: list = []
        self.more_written = 0
        self.first_date = self.last_date = ""
        self.documents = 0
        self.sources: list = []
        self.more_sources = self.more_source_mentions = 0
        self.quotes: list = []
        self.more_quotes = 0


def _top(frame: pd.DataFrame, key: str, label: str, most: int, out: dict, put) -> None:
    """Count ``label`` per ``key``; ``put(summary, top rows, rest count, rest total)``."""
    counts = frame.groupby([key, label], sort=False).size().reset_index(name="n")
    counts = counts.sort_values([key, "n", label], ascending=[True, False, True], kind="stable")
    groups: dict = {}
    for k, value, n in counts.itertuples(index=False, name=None):
        groups.setdefault(k, []).append((value, int(n)))
    for k, ranked in groups.items():
        put(out[k], ranked[:most], len(ranked) - len(ranked[:most]),
            sum(n for _, n in ranked[most:]))


def summaries(df: pd.DataFrame, key: str, *, max_sentences: int = 3, max_sources: int = 8,
              max_written: int = 5, context: int = 80) -> dict:
    """A :class:`Summary` per value of ``key`` (e.g. ``place_id``), in one pass.

    ``df`` is a mention table (optional columns ``text``, ``source``,
    ``doc``, ``date``, ``url``, ``sentence``, ``sentence_start``). A quote
    is each distinct ``(doc, sentence)`` (the ``text`` when there is no
    sentence), in table order; long sentences are cut ``context``
    characters either side of the mention (:func:`excerpt`).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"place_id": [1, 1], "text": ["Moscow"] * 2, "doc": ["a", "b"],
    ...                    "source": ["TASS", "BBC"], "sentence": ["In Moscow.", "Moscow."],
    ...                    "sentence_start": [0, 0], "start": [3, 0], "end": [9, 6]})
    >>> s = summaries(df, "place_id")[1]
    >>> s.written, s.sources, s.quotes[0][:3], s.documents
    ([('Moscow', 2)], [('BBC', 1), ('TASS', 1)], ('In ', 'Moscow', '.'), 2)
    """
    import pandas as pd

    n = len(df)

    def column(name, default=""):
        if name in df.columns:
            return df[name]
        return pd.Series([default] * n, index=df.index, dtype=object)

    frame = pd.DataFrame({
        key: df[key].to_numpy(),
        "text": _texts(column("text")),
        "source": _texts(column("source")),
        "doc": _texts(column("doc")),
        "date": _date_texts(column("date")).to_numpy(),
    })
    out = {k: Summary() for k in pd.unique(frame[key])}
    if not n:
        return out

    def put_written(s, top, rest, _):
        s.written, s.more_written = top, rest

    def put_sources(s, top, rest, total):
        s.sources, s.more_sources, s.more_source_mentions = top, rest, total

    _top(frame[frame["text"] != ""], key, "text", max_written, out, put_written)
    _top(frame, key, "source", max_sources, out, put_sources)
    for k, docs in frame.groupby(key, sort=False)["doc"].nunique().items():
        out[k].documents = int(docs)
    dated = frame[frame["date"] != ""]
    if len(dated):
        span = dated.groupby(key, sort=False)["date"].agg(["min", "max"])
        for k, first, last in span.itertuples(name=None):
            out[k].first_date, out[k].last_date = first, last

    # quotes: the first distinct (doc, sentence) of each key
    sentence = _texts(column("sentence"))
    frame["has_sentence"] = sentence != ""
    frame["quote"] = [s or t for s, t in zip(sentence, frame["text"], strict=True)]
    frame["row"] = range(n)
    quoted = frame[frame["quote"] != ""].drop_duplicates([key, "doc", "quote"])
    rank = quoted.groupby(key, sort=False).cumcount().to_numpy()
    for k, total in quoted.groupby(key, sort=False).size().items():
        out[k].more_quotes = max(0, int(total) - max_sentences)
    shown = quoted[rank < max_sentences]
    offset = column("sentence_start", 0).to_numpy()
    starts, ends = column("start", 0).to_numpy(), column("end", 0).to_numpy()
    urls = column("url", None).to_numpy()
    for k, text, has_sentence, source, date, row in shown[
            [key, "quote", "has_sentence", "source", "date", "row"]].itertuples(
                index=False, name=None):
        if has_sentence:
            first = int(offset[row]) if _text(offset[row]) else 0
            parts = split_mark(*excerpt(text, int(starts[row]) - first,
                                        int(ends[row]) - first, context))
        else:
            parts = ("", text[: 2 * context], "")
        out[k].quotes.append((*parts, source, date, link_url(urls[row]) or ""))
    return out


def popup_data(place: Mapping, summary: Summary, strings: Strings, *,
               note: str | None = None) -> list:
    """The popup of one place (or country) packed as :data:`POPUP_FIELDS`.

    Parameters
    ----------
    place : mapping
        ``name``, ``mentions`` and, when known, ``display_name`` (the
        heading instead of ``name``), ``country_code``, ``country_name``,
        ``admin1_name``, ``admin2_name``, ``feature_name`` (else the label of
        ``feature_code``).
    summary : Summary
        From :func:`summaries`.
    strings : Strings
        The page's string table (filled here).
    note : str, optional
        A line of text under the details.

    Examples
    --------
    >>> s = Strings()
    >>> packed = popup_data({"name": "Moscow", "country_code": "RU", "mentions": 1},
    ...                     Summary(), s)
    >>> unpack_popup(packed, s.values)["country"]
    'RU'
    """
    code = _text(place.get("country_code"))
    country = _text(place.get("country_name"))
    country = f"{country} ({code})" if country and code else (country or code)
    feature = _text(place.get("feature_name")) or feature_label(_text(place.get("feature_code")))
    written = [v for text, count in summary.written for v in (strings(text), int(count))]
    sources = [v for source, count in summary.sources for v in (strings(source), int(count))]
    quotes = [v for before, mark, after, source, date, url in summary.quotes
              for v in (before, mark, after, strings(source), strings(date), strings(url))]
    return [
        _text(place.get("display_name")) or _text(place.get("name")),
        strings(country), strings(_text(place.get("admin1_name"))),
        strings(_text(place.get("admin2_name"))), strings(feature),
        written, summary.more_written, strings(summary.first_date), strings(summary.last_date),
        strings(note), int(place.get("mentions", 0) or 0), int(summary.documents),
        sources, summary.more_sources, summary.more_source_mentions,
        quotes, summary.more_quotes,
    ]


def unpack_popup(packed: Sequence, strings: Sequence[str]) -> dict:
    """A packed popup (:func:`popup_data`) as a dict of what it shows, strings resolved.

    Examples
    --------
    >>> s = Strings()
    >>> summary = Summary()
    >>> summary.quotes = [("In ", "Moscow", ".", "TASS", "", "https://e.org/a")]
    >>> shown = unpack_popup(popup_data({"name": "Moscow"}, summary, s), s.values)
    >>> shown["heading"], shown["quotes"]
    ('Moscow', [('In ', 'Moscow', '.', 'TASS', '', 'https://e.org/a')])
    """
    def text(i):
        return strings[i] if i >= 0 else ""

    out = {}
    for name, value in zip(POPUP_FIELDS, packed, strict=True):
        if name.endswith("_s"):
            out[name[:-2]] = text(value)
        elif name in ("written", "sources"):
            out[name] = [(strings[value[i]], value[i + 1]) for i in range(0, len(value), 2)]
        elif name == "quotes":
            width = len(QUOTE_FIELDS)
            out[name] = [tuple(value[i:i + 3]) + tuple(text(j) for j in value[i + 3:i + width])
                         for i in range(0, len(value), width)]
        else:
            out[name] = value
    return out


#: ``function (packed, strings)``: the popup's DOM (a DocumentFragment) built
#: with ``textContent`` and text nodes only; links only for ``http(s)``.
RENDER_JS = """function (p, S) {
    var F = %(fields)s, Q = %(quote)s, nq = %(nq)d;
    var root = document.createDocumentFragment();
    function add(tag, parent, text) {
        var e = document.createElement(tag);
        if (text !== undefined) { e.textContent = text; }
        parent.appendChild(e);
        return e;
    }
    function put(parent, text) { parent.appendChild(document.createTextNode(text)); }
    function str(i) { return i >= 0 ? S[i] : ""; }
    function line(parent, label, text) {
        if (!text) { return; }
        put(parent, label + text);
        add("br", parent);
    }
    function pairs(flat) {
        var out = [];
        for (var k = 0; k < flat.length; k += 2) { out.push([S[flat[k]], flat[k + 1]]); }
        return out;
    }
    add("h4", root, p[F.heading]);
    var info = add("p", root);
    line(info, "Country: ", str(p[F.country_s]) || "\\u2013");
    line(info, "Admin1: ", str(p[F.admin1_s]));
    line(info, "Admin2: ", str(p[F.admin2_s]));
    line(info, "Type: ", str(p[F.feature_s]));
    var written = pairs(p[F.written]).map(function (w) { return w[0] + " (" + w[1] + ")"; });
    line(info, "As written: ", written.join(", ")
         + (p[F.more_written] ? " \\u2026 " + p[F.more_written] + " more" : ""));
    var first = str(p[F.first_date_s]), last = str(p[F.last_date_s]);
    line(info, "Dates: ", first + (last && last !== first ? " \\u2013 " + last : ""));
    line(info, "", str(p[F.note_s]));
    put(info, "Mentions: ");
    add("b", info, String(p[F.mentions]));
    put(info, " in " + p[F.documents] + " document(s)");
    var table = add("table", root), head = add("tr", table);
    add("th", head, "Source");
    add("th", head, "Mentions");
    pairs(p[F.sources]).forEach(function (s) {
        var tr = add("tr", table);
        add("td", tr, s[0]);
        add("td", tr, String(s[1]));
    });
    if (p[F.more_sources]) {
        add("small", root, "\\u2026 " + p[F.more_sources] + " more source(s): "
            + p[F.more_source_mentions] + " mention(s)");
    }
    var q = p[F.quotes];
    if (q.length) {
        var list = add("ul", root);
        for (var k = 0; k < q.length; k += nq) {
            var li = add("li", list);
            put(li, q[k + Q.before]);
            if (q[k + Q.mark]) { add("mark", li, q[k + Q.mark]); }
            put(li, q[k + Q.after] + " ");
            var small = add("small", li), url = str(q[k + Q.url_s]);
            var where = [str(q[k + Q.source_s]), str(q[k + Q.date_s])].filter(Boolean)
                .join(" \\u00b7 ");
            put(small, "(");
            if (/^https?:/i.test(url)) {
                var a = add("a", small, where || "article");
                a.href = url;
                a.target = "_blank";
                a.rel = "noopener noreferrer";
            } else {
                put(small, where);
            }
            put(small, ")");
        }
    }
    if (p[F.more_quotes]) {
        add("small", add("p", root), "\\u2026 and " + p[F.more_quotes] + " more sentence(s)");
    }
    return root;
}"""


def _index_json(names: Sequence[str]) -> str:
    return "{" + ", ".join(f'"{n}": {i}' for i, n in enumerate(names)) + "}"


RENDER_JS = RENDER_JS % {"fields": _index_json(POPUP_FIELDS), "quote": _index_json(QUOTE_FIELDS),
                         "nq": len(QUOTE_FIELDS)}
