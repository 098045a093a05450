"""Readers for gold-standard geoparsing corpora.

Two XML formats are understood, and told apart by their elements, and one
JSON format, told apart by its first character (or by being a folder):

``lgl``
    LGL (Lieberman et al. 2010) and TR-News: ``<article docid=…>`` with
    ``<text>`` and ``<toponyms><toponym><start><end><phrase>`` and, for
    toponyms that were resolved, ``<gaztag geonameid=…><name><lat><lon>``.
    Offsets are 0-based and end-exclusive: ``text[start:end] == phrase``.
``geovirus``
    GeoVirus (Gritta et al. 2018): ``<article>`` with ``<source>``, ``<text>``
    and ``<locations><location><name><start><end><lat><lon><page>``.
    Offsets are 1-based: ``text[start - 1:end - 1] == name``.
``conflict-dev``
    A folder with ``gold.json`` and ``docs/ID.txt`` (the conflict-dev set):
    ``{"docs": [{"id", "focus": {country, admin1, place, lat, lon, note},
    "toponyms": [{start, end, phrase, lat, lon, kind, metonym, place,
    radius_km}]}]}``. Offsets are 0-based, end-exclusive into the text as
    saved; ``kind`` is ``"name"`` or ``"demonym"``; ``metonym`` flags a place
    named as an agent ("Moscow said"); ``radius_km`` > 0 gives the extent of
    an areal feature (country, region, sea, river). The path is the folder or
    its ``gold.json``.

Every reader returns the same values, with offsets normalised to 0-based,
end-exclusive: :class:`GoldDocument` holding :class:`GoldToponym`.  A span
whose text does not match its phrase is looked for nearby and moved when
found, dropped otherwise; invalid coordinates are dropped, keeping the
toponym for recognition.  Each such repair is kept as a :class:`GoldIssue`,
so that odd gold data is counted and reported instead of crashing the run.
"""

from __future__ import annotations

import json
import math
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from urllib.parse import unquote

from geomap.decoding import decode
from geomap.errors import ConfigurationError, InputError

__all__ = [
    "GoldToponym",
    "GoldFocus",
    "GoldDocument",
    "GoldIssue",
    "CorpusStats",
    "Corpus",
    "GoldDataWarning",
    "FORMATS",
    "UNJUDGED_KINDS",
    "detect_format",
    "load_corpus",
    "read_corpus",
]

#: The kinds of predicted mention (``Mention.kind``) a corpus format's gold does
#: not judge: GeoVirus's annotators marked place names only, never demonyms, so
#: a predicted demonym there is neither right nor wrong. Left out of the
#: calibration figures (F1 still counts them as predictions).
UNJUDGED_KINDS: dict[str, frozenset[str]] = {"geovirus": frozenset({"demonym"})}
#: How far (in characters, either side) a mismatched gold span is looked for.
REPAIR_WINDOW = 20
#: The gold file of a ``conflict-dev`` folder, and the folder of its texts.
GOLD_JSON, DOCS_FOLDER = "gold.json", "docs"


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
        Name of the gold place: the GeoNames name (LGL), the Wikipedia
        page title (GeoVirus) or the place key (conflict-dev).
    kind : str
        ``"name"``, or ``"demonym"`` for an adjective or noun made from a
        place name ("Ukrainian"); only conflict-dev tells them apart.
    metonym : bool
        The place is named as an agent ("Moscow said", "Iran-backed").
    radius_km : float
        Extent of an areal feature (a country, region, sea or river), 0 for a
        point: a prediction within ``radius_km + 161`` km is right by the
        area-aware accuracy.

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
    kind: str = "name"
    metonym: bool = False
    radius_km: float = 0.0

    @property
    def has_coordinates(self) -> bool:
        """True when both ``lat`` and ``lon`` are known."""
        return self.lat is not None and self.lon is not None

    @property
    def point(self) -> tuple[float, float] | None:
        """``(lat, lon)`` or ``None``."""
        if self.lat is None or self.lon is None:
            return None
        return (self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class GoldFocus:
    """Where a document's main reported events happened (conflict-dev's ``focus``).

    Parameters
    ----------
    country : str or None
        ISO 3166-1 alpha-2 code.
    admin1 : str or None
        English name of the GeoNames first-level division.
    place : str or None
        The most specific place that covers the main events.
    lat, lon : float or None
        Its point.
    note : str
        The annotators' note (other sites, "approx", the ADM1 code).

    Examples
    --------
    >>> GoldFocus("UA", "Kharkiv", "Vovchansk", 50.29, 36.94).point
    (50.29, 36.94)
    """

    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    note: str = ""

    @property
    def point(self) -> tuple[float, float] | None:
        """``(lat, lon)`` or ``None``."""
        return (self.lat, self.lon) if self.lat is not None and self.lon is not None else None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """One document of a gold corpus: its text and its toponyms, in text order.

    ``focus`` is the gold document focus, when the corpus has one.

    Examples
    --------
    >>> d = GoldDocument("a", "In Paris.", (GoldToponym(3, 8, "Paris"),))
    >>> d.text[d.toponyms[0].start:d.toponyms[0].end]
    'Paris'
    """

    doc_id: str
    text: str
    toponyms: tuple[GoldToponym, ...] = ()
    focus: GoldFocus | None = None


@dataclass(frozen=True, slots=True)
class GoldIssue:
    """A problem found in gold data and what the reader did about it.

    ``kind`` is one of ``"repaired-span"`` (the phrase was found
    ``detail`` characters away and the span moved there), ``"dropped-span"``
    (phrase not found near its offsets; toponym dropped), ``"bad-offsets"``
    (offsets missing, not integers or outside the text; toponym dropped),
    ``"bad-coordinates"`` (coordinates not numbers, NaN or out of range;
    toponym kept without coordinates), ``"bad-radius"`` (``radius_km`` not a
    finite number >= 0; 0 used), ``"bad-document"`` (a document entry that
    is not an object or whose id is not a plain file name; dropped),
    ``"missing-document"`` (its text file cannot be read; dropped).
    ``start`` and ``end`` are the offsets as written in the file (before
    normalisation).
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

    def add(self, start, end, phrase, *, base, lat, lon, geonameid=None, name=None,
            kind="name", metonym=False, radius_km=0.0):
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
                name=name if isinstance(name, str) and name else None,
                kind="demonym" if "demonym" in str(kind).lower() else "name",
                metonym=metonym is True,
                radius_km=self._radius(radius_km, start, end, phrase),
            )
        )

    def document(self, focus: GoldFocus | None = None) -> GoldDocument:
        toponyms = tuple(sorted(self.toponyms, key=lambda t: (t.start, t.end)))
        return GoldDocument(self.doc_id, self.text, toponyms, focus)

    def _radius(self, value, start, end, phrase) -> float:
        if value is None:
            return 0.0
        try:
            r = float(value)
        except (TypeError, ValueError):
            r = math.nan
        if not (0.0 <= r < math.inf) or isinstance(value, bool):
            self._issue("bad-radius", start, end, phrase, f"radius_km={value!r}")
            return 0.0
        return r

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


def _conflict_dev_gold(path: Path) -> Path:
    """The gold file of a conflict-dev corpus given as its folder or its gold file."""
    return path / GOLD_JSON if path.is_dir() else path


def _focus(value) -> GoldFocus | None:
    if not isinstance(value, dict):
        return None

    def text(key):
        v = value.get(key)
        return v if isinstance(v, str) and v else None

    def number(key):
        v = value.get(key)
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return None
        return float(v)

    lat, lon = number("lat"), number("lon")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        lat = lon = None
    return GoldFocus(text("country"), text("admin1"), text("place"), lat, lon,
                     text("note") or "")


def _plain_id(value) -> str | None:
    """``value`` when it can name a file in the docs folder, else ``None``."""
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None
    doc_id = str(value)
    if (not doc_id.strip() or doc_id.startswith(".") or "\x00" in doc_id
            or any(sep in doc_id for sep in ("/", "\\"))):
        return None
    return doc_id


def _read_conflict_dev(path: Path, issues: list[GoldIssue]) -> list[GoldDocument]:
    gold = _conflict_dev_gold(path)
    try:
        data = json.loads(decode(gold.read_bytes()).text)
    except OSError as err:
        raise InputError(f"Cannot read corpus file {gold}: {err}") from err
    except ValueError as err:  # JSONDecodeError, and InputError for binary data
        raise InputError(f"Corpus file {gold} is not JSON: {err}") from err
    entries = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"Corpus file {gold}: expected an object with a \"docs\" list")
    folder = gold.parent / DOCS_FOLDER
    documents = []
    for i, entry in enumerate(entries):
        doc_id = _plain_id(entry.get("id")) if isinstance(entry, dict) else None
        if doc_id is None:
            shown = entry.get("id") if isinstance(entry, dict) else type(entry).__name__
            issues.append(GoldIssue(str(i), "bad-document", None, None, None,
                                    f"docs[{i}]: id {shown!r} is not a plain file name"))
            continue
        where = folder / f"{doc_id}.txt"
        try:
            text = decode(where.read_bytes()).text
        except (OSError, InputError) as err:
            issues.append(GoldIssue(doc_id, "missing-document", None, None, None,
                                    f"{where}: {err}"))
            continue
        builder = _Builder(doc_id, text, issues)
        toponyms = entry.get("toponyms")
        for t in toponyms if isinstance(toponyms, list) else ():
            if not isinstance(t, dict):
                builder._issue("bad-offsets", None, None, None, "toponym is not an object")
                continue
            builder.add(
                t.get("start"),
                t.get("end"),
                t.get("phrase") if isinstance(t.get("phrase"), str) else None,
                base=0,
                lat=t.get("lat"),
                lon=t.get("lon"),
                name=t.get("place"),
                kind=t.get("kind"),
                metonym=t.get("metonym"),
                radius_km=t.get("radius_km"),
            )
        documents.append(builder.document(_focus(entry.get("focus"))))
    return documents


def _xml(read: Callable[[ET.Element, list[GoldIssue]], list[GoldDocument]]):
    """A reader of an XML format, from the reader of its parsed root."""

    def read_file(path: Path, issues: list[GoldIssue]) -> list[GoldDocument]:
        return read(_parse_xml(path), issues)

    read_file.__doc__ = read.__doc__
    return read_file


def _parse_xml(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except OSError as err:
        raise InputError(f"Cannot read corpus file {path}: {err}") from err
    except ET.ParseError as err:
        raise InputError(f"Corpus file {path} is not well-formed XML: {err}") from err


_XML_READERS = {"lgl": _read_lgl, "geovirus": _read_geovirus}

#: Reader of each format, by name: ``reader(path, issues) -> documents``.
FORMATS: dict[str, Callable[[Path, list[GoldIssue]], list[GoldDocument]]] = {
    **{name: _xml(read) for name, read in _XML_READERS.items()},
    "conflict-dev": _read_conflict_dev,
}


def detect_format(root: ET.Element) -> str:
    """Name of the XML format of a parsed corpus, from the elements of its articles.

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
        "or <locations> (GeoVirus), or a conflict-dev folder (gold.json and docs/)"
    )


def _is_json(path: Path) -> bool:
    """A folder, or a file whose first non-blank character opens a JSON object."""
    if path.is_dir():
        return True
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as err:
        raise InputError(f"Cannot read corpus file {path}: {err}") from err
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"


def load_corpus(path: str | PathLike, *, format: str | None = None) -> Corpus:
    """Read a gold corpus, keeping the issues met in its data.

    Parameters
    ----------
    path : str or path-like
        An XML file in one of :data:`FORMATS`, or a conflict-dev folder (or
        its ``gold.json``).
    format : str, optional
        ``"lgl"``, ``"geovirus"`` or ``"conflict-dev"``; detected when omitted.

    Returns
    -------
    Corpus

    Raises
    ------
    InputError
        If the file is missing, is not XML or JSON, or is in no known format.
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

    A conflict-dev folder:

    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "docs").mkdir()
    >>> _ = (d / "docs" / "a.txt").write_text("Moscow said Kharkiv was shelled.")
    >>> _ = (d / "gold.json").write_text('''{"docs": [{"id": "a", "toponyms": [
    ...   {"start": 0, "end": 6, "phrase": "Moscow", "lat": 55.75, "lon": 37.62,
    ...    "kind": "name", "metonym": true, "radius_km": 0}]}]}''')
    >>> t = load_corpus(d).documents[0].toponyms[0]
    >>> t.text, t.metonym
    ('Moscow', True)
    """
    if format is not None and format not in FORMATS:
        raise ConfigurationError(
            f"Unknown corpus format {format!r}; valid formats are: {', '.join(FORMATS)}"
        )
    path = Path(path)
    issues: list[GoldIssue] = []
    if format is None and _is_json(path):
        format = "conflict-dev"
    if format is None:
        root = _parse_xml(path)
        format = detect_format(root)
        documents = _XML_READERS[format](root, issues)
    else:
        documents = FORMATS[format](path, issues)
    return Corpus(str(path), format, tuple(documents), tuple(issues))


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
