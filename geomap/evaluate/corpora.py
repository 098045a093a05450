"""Readers for gold-standard geoparsing corpora.

Two XML formats are understood, and told apart by their elements:

``lgl``
    LGL (Lieberman et al. 2010) and TR-News: ``<article docid=…>`` with
    ``<text>`` and ``<toponyms><toponym><start><end><phrase>`` and, for
    toponyms that were resolved, ``<gaztag geonameid=…><name><lat><lon>``.
    Offsets are 0-based and end-exclusive: ``text[start:end] == phrase``.
``geovirus``
    GeoVirus (Gritta et al. 2018): ``<article>`` with ``<source>``, ``<text>``
    and ``<locations><location><name><start><end><lat><lon><page>``.
    Offsets are 1-based: ``text[start - 1:end - 1] == name``.

Every reader returns the same values, with offsets normalised to 0-based,
end-exclusive: :class:`GoldDocument` holding :class:`GoldToponym`.  A span
whose text does not match its phrase is looked for nearby and moved when
found, dropped otherwise; invalid coordinates are dropped, keeping the
toponym for recognition.  Each such repair is kept as a :class:`GoldIssue`,
so that odd gold data is counted and reported instead of crashing the run.
"""

from __future__ import annotations

import math
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from urllib.parse import unquote

from geomap.errors import ConfigurationError, InputError

__all__ = [
    "GoldToponym",
    "GoldDocument",
    "GoldIssue",
    "CorpusStats",
    "Corpus",
    "GoldDataWarning",
    "FORMATS",
    "detect_format",
    "load_corpus",
    "read_corpus",
]

#: How far (in characters, either side) a mismatched gold span is looked for.
REPAIR_WINDOW = 20


class GoldDataWarning(UserWarning):
    """Gold data had spans or coordinates that had to be repaired or dropped."""


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """One gold toponym: a span of a document and, when known, its coordinates.

    Parameters
    ----------
    start, end : int
        0-based, end-exclusive character offsets: ``text == doc.text[start:end]``.
    text : str
        The words in the document.
    lat, lon : float or None
        WGS84 coordinates of the gold place, ``None`` when the annotators
        gave none (LGL toponyms without a ``<gaztag>``) or gave invalid ones.
    geonameid : int or None
        GeoNames id of the gold place (LGL), ``None`` otherwise.
    name : str or None
        Name of the gold place: the GeoNames name (LGL) or the Wikipedia
        page title (GeoVirus).

    Examples
    --------
    >>> t = GoldToponym(0, 5, "Paris", 48.85, 2.35, 2988507, "Paris")
    >>> t.has_coordinates
    True
    """

    start: int
    end: int
    text: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    name: str | None = None

    @property
    def has_coordinates(self) -> bool:
        """True when both ``lat`` and ``lon`` are known."""
        return self.lat is not None and self.lon is not None

    @property
    def point(self) -> tuple[float, float] | None:
        """``(lat, lon)`` or ``None``."""
        return (self.lat, self.lon) if self.has_coordinates else None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One document of a gold corpus: its text and its toponyms, in text order.

    Examples
    --------
    >>> d = GoldDocument("a", "In Paris.", (GoldToponym(3, 8, "Paris"),))
    >>> d.text[d.toponyms[0].start:d.toponyms[0].end]
    'Paris'
    """

    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldIssue:
    """A problem found in gold data and what the reader did about it.

    ``kind`` is one of ``"repaired-span"`` (the phrase was found
    ``detail`` characters away and the span moved there), ``"dropped-span"``
    (phrase not found near its offsets; toponym dropped), ``"bad-offsets"``
    (offsets missing, not integers or outside the text; toponym dropped),
    ``"bad-coordinates"`` (coordinates not numbers, NaN or out of range;
    toponym kept without coordinates).  ``start`` and ``end`` are the
    offsets as written in the file (before normalisation).
    """

    doc_id: str
    kind: str
    start: str | None
    end: str | None
    phrase: str | None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class CorpusStats:
    """Counts that describe a gold corpus.

    Examples
    --------
    >>> doc = GoldDocument("a", "In Paris.", (GoldToponym(3, 8, "Paris", 48.85, 2.35),))
    >>> CorpusStats.of([doc])
    CorpusStats(documents=1, toponyms=1, with_coordinates=1, with_geonameid=0)
    """

    documents: int
    toponyms: int
    with_coordinates: int
    with_geonameid: int

    @classmethod
    def of(cls, documents) -> CorpusStats:
        """Count the documents and toponyms of an iterable of :class:`GoldDocument`."""
        n_docs = n_top = n_coord = n_gid = 0
        for doc in documents:
            n_docs += 1
            for t in doc.toponyms:
                n_top += 1
                n_coord += t.has_coordinates
                n_gid += t.geonameid is not None
        return cls(n_docs, n_top, n_coord, n_gid)

    def __str__(self) -> str:
        return (
            f"{self.documents:,} documents, {self.toponyms:,} toponyms, "
            f"{self.with_coordinates:,} with coordinates, "
            f"{self.with_geonameid:,} with a GeoNames id"
        )


@dataclass(frozen=True, slots=True)
class Corpus:
    """A gold corpus as read from one file, with the issues met on the way."""

    path: str
    format: str
    documents: tuple[GoldDocument, ...]
    issues: tuple[GoldIssue, ...] = ()

    @property
    def stats(self) -> CorpusStats:
        """Document and toponym counts."""
        return CorpusStats.of(self.documents)

    def issue_counts(self) -> dict[str, int]:
        """Number of issues of each kind."""
        return dict(Counter(i.kind for i in self.issues))


class _Builder:
    """Collects the toponyms of one document, normalising and checking them."""

    def __init__(self, doc_id: str, text: str, issues: list[GoldIssue]):
        self.doc_id = doc_id
        self.text = text
        self.issues = issues
        self.toponyms: list[GoldToponym] = []

    def add(self, start, end, phrase, *, base, lat, lon, geonameid=None, name=None):
        """Add one toponym with offsets as written (``base`` = 0 or 1)."""
        span = self._span(start, end, phrase, base)
        if span is None:
            return
        s, e = span
        point = self._point(lat, lon, start, end, phrase)
        self.toponyms.append(
            GoldToponym(
                start=s,
                end=e,
                text=self.text[s:e],
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                geonameid=_int_or_none(geonameid),
                name=name or None,
            )
        )

    def document(self) -> GoldDocument:
        toponyms = tuple(sorted(self.toponyms, key=lambda t: (t.start, t.end)))
        return GoldDocument(self.doc_id, self.text, toponyms)

    def _issue(self, kind, start, end, phrase, detail=""):
        self.issues.append(GoldIssue(self.doc_id, kind, start, end, phrase, detail))

    def _span(self, start, end, phrase, base) -> tuple[int, int] | None:
        try:
            s, e = int(start) - base, int(end) - base
        except (TypeError, ValueError):
            self._issue("bad-offsets", start, end, phrase, "offsets are not integers")
            return None
        if not 0 <= s < e <= len(self.text):
            self._issue("bad-offsets", start, end, phrase, f"outside text of {len(self.text)}")
            return None
        if not phrase or self.text[s:e] == phrase:
            return s, e
        found = _find_near(self.text, phrase, s, REPAIR_WINDOW)
        if found is None:
            self._issue("dropped-span", start, end, phrase, f"text has {self.text[s:e]!r}")
            return None
        self._issue("repaired-span", start, end, phrase, f"{found - s:+d}")
        return found, found + len(phrase)

    def _point(self, lat, lon, start, end, phrase) -> tuple[float, float] | None:
        if lat is None and lon is None:
            return None
        try:
            la, lo = float(lat), float(lon)
        except (TypeError, ValueError):
            la = lo = math.nan
        if not (-90.0 <= la <= 90.0 and -180.0 <= lo <= 180.0):  # also rejects NaN
            self._issue("bad-coordinates", start, end, phrase, f"lat={lat!r} lon={lon!r}")
            return None
        return la, lo


def _find_near(text: str, phrase: str, start: int, window: int) -> int | None:
    """Offset of the occurrence of ``phrase`` nearest ``start`` within ``window``."""
    lo = max(0, start - window)
    hi = min(len(text), start + window + len(phrase))
    best = None
    i = text.find(phrase, lo, hi)
    while i != -1:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(phrase, i + 1, hi)
    return best


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _text(elem, tag) -> str | None:
    """Stripped text of child ``tag``; ``None`` when absent or empty."""
    value = elem.findtext(tag)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _read_lgl(root: ET.Element, issues: list[GoldIssue]) -> list[GoldDocument]:
    documents = []
    for i, article in enumerate(root.iter("article")):
        doc_id = article.get("docid") or str(i)
        builder = _Builder(doc_id, article.findtext("text") or "", issues)
        for top in article.iterfind("toponyms/toponym"):
            gaz = top.find("gaztag")
            builder.add(
                _text(top, "start"),
                _text(top, "end"),
                top.findtext("phrase"),
                base=0,
                lat=_text(gaz, "lat") if gaz is not None else None,
                lon=_text(gaz, "lon") if gaz is not None else None,
                geonameid=gaz.get("geonameid") if gaz is not None else None,
                name=_text(gaz, "name") if gaz is not None else None,
            )
        documents.append(builder.document())
    return documents


def _geovirus_id(source: str | None, index: int, seen: Counter) -> str:
    slug = unquote(source.rstrip("/").rsplit("/", 1)[-1]) if source else str(index)
    seen[slug] += 1
    return slug if seen[slug] == 1 else f"{slug}#{seen[slug]}"


def _page_title(url: str | None) -> str | None:
    if not url:
        return None
    return unquote(url.rstrip("/").rsplit("/", 1)[-1]).replace("_", " ")


def _read_geovirus(root: ET.Element, issues: list[GoldIssue]) -> list[GoldDocument]:
    documents = []
    seen: Counter = Counter()
    for i, article in enumerate(root.iter("article")):
        doc_id = _geovirus_id(_text(article, "source"), i, seen)
        builder = _Builder(doc_id, article.findtext("text") or "", issues)
        for loc in article.iterfind("locations/location"):
            builder.add(
                _text(loc, "start"),
                _text(loc, "end"),
                loc.findtext("name"),
                base=1,
                lat=_text(loc, "lat"),
                lon=_text(loc, "lon"),
                name=_page_title(_text(loc, "page")),
            )
        documents.append(builder.document())
    return documents


#: Reader of each format, by name.
FORMATS: dict[str, Callable[[ET.Element, list[GoldIssue]], list[GoldDocument]]] = {
    "lgl": _read_lgl,
    "geovirus": _read_geovirus,
}


def detect_format(root: ET.Element) -> str:
    """Name of the format of a parsed corpus, from the elements of its articles.

    Raises
    ------
    InputError
        If no article has ``<toponyms>`` (LGL) or ``<locations>`` (GeoVirus).

    Examples
    --------
    >>> import xml.etree.ElementTree as ET
    >>> detect_format(ET.fromstring("<articles><article><locations/></article></articles>"))
    'geovirus'
    """
    for article in root.iter("article"):
        if article.find("toponyms") is not None:
            return "lgl"
        if article.find("locations") is not None:
            return "geovirus"
    raise InputError(
        "Unknown corpus format: expected <article> elements with <toponyms> (LGL, TR-News) "
        "or <locations> (GeoVirus)"
    )


def load_corpus(path: str | PathLike, *, format: str | None = None) -> Corpus:
    """Read a gold corpus file, keeping the issues met in its data.

    Parameters
    ----------
    path : str or path-like
        An XML file in one of :data:`FORMATS`.
    format : str, optional
        ``"lgl"`` or ``"geovirus"``; detected from the file when omitted.

    Returns
    -------
    Corpus

    Raises
    ------
    InputError
        If the file is missing, is not XML or is in no known format.
    ConfigurationError
        If ``format`` is not a known format name.

    Examples
    --------
    >>> from pathlib import Path
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "c.xml"
    >>> _ = p.write_text('''<articles><article><text>Flu in Lyon.</text><locations>
    ...   <location><name>Lyon</name><start>8</start><end>12</end>
    ...   <lat>45.76</lat><lon>4.84</lon></location></locations></article></articles>''')
    >>> corpus = load_corpus(p)
    >>> corpus.format, corpus.documents[0].toponyms[0].text
    ('geovirus', 'Lyon')
    """
    if format is not None and format not in FORMATS:
        raise ConfigurationError(
            f"Unknown corpus format {format!r}; valid formats are: {', '.join(FORMATS)}"
        )
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except OSError as err:
        raise InputError(f"Cannot read corpus file {path}: {err}") from err
    except ET.ParseError as err:
        raise InputError(f"Corpus file {path} is not well-formed XML: {err}") from err
    fmt = format or detect_format(root)
    issues: list[GoldIssue] = []
    documents = FORMATS[fmt](root, issues)
    return Corpus(str(path), fmt, tuple(documents), tuple(issues))


def read_corpus(path: str | PathLike, *, format: str | None = None) -> list[GoldDocument]:
    """Read the documents of a gold corpus file, warning about repaired gold data.

    Like :func:`load_corpus`, but returns only the documents and emits one
    :class:`GoldDataWarning` that counts the issues, if there were any.

    Examples
    --------
    >>> from pathlib import Path
    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "c.xml"
    >>> _ = p.write_text('''<articles><article docid="7"><text>Rain in Austin</text>
    ...   <toponyms><toponym><start>8</start><end>14</end><phrase>Austin</phrase>
    ...   </toponym></toponyms></article></articles>''')
    >>> [(d.doc_id, t.text, t.lat) for d in read_corpus(p) for t in d.toponyms]
    [('7', 'Austin', None)]
    """
    corpus = load_corpus(path, format=format)
    if corpus.issues:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(corpus.issue_counts().items()))
        warnings.warn(f"{corpus.path}: {counts}", GoldDataWarning, stacklevel=2)
    return list(corpus.documents)
