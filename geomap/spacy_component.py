"""geomap as a spaCy pipeline component: ``nlp.add_pipe("geomap")``.

The component runs geomap (recognition and resolution against the
gazetteer) on ``doc.text`` and writes the places it finds to
``doc.spans["geomap"]``: each span is labelled ``GPE``, ``LOC``, ``FAC``
(or ``NORP`` for a demonym, "Armenian"), its ``kb_id_`` is the place id, and
``span._.place`` is a :class:`SpanPlace` (coordinates, ids, name, country,
feature, score). With ``write_ents`` the spans are also added to
``doc.ents``, around the entities already there.

The factory is registered with spaCy through the ``spacy_factories`` entry
point of the ``geomap`` package (spaCy comes with the ``geomap[spacy]``
extra), so no import is needed::

    import spacy
    nlp = spacy.blank("en")              # or a trained pipeline
    nlp.add_pipe("geomap", config={"write_ents": True})
    doc = nlp("Shelling in Stepanakert.")
    [(s.text, s.label_, s._.place.country_code) for s in doc.spans["geomap"]]
    # [('Stepanakert', 'GPE', 'AZ')]

Configuration (``config=`` of ``add_pipe``, saved by ``nlp.to_disk``):

``gazetteer``
    Path of the gazetteer store; ``None`` (default) for geomap's own store,
    built on first use.
``spans_key``
    The key of ``doc.spans`` written (``"geomap"``).
``write_ents``
    Also add the places to ``doc.ents`` (default ``False``).
``ents_filter``
    How the places join ``doc.ents``: a registered function
    ``(entities, spans) -> entities``; by default spaCy's
    ``spacy.prioritize_existing_ents_filter.v1`` (the entities already set
    stay, and a place overlapping one is left out of ``doc.ents``, though it
    stays in ``doc.spans``); ``spacy.first_longest_spans_filter.v1`` gives
    :func:`spacy.util.filter_spans`' longest-first choice instead.

The gazetteer is opened on the first document, not when the component is
made; it is never serialised: pickling the component, or ``nlp.to_disk``,
keeps its configuration only, and a copy opens the store again. A geomap
:class:`~geomap.pipeline.Pipeline` of your own (another recogniser, an open
gazetteer) can be set as the component's :attr:`GeomapComponent.pipeline`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from geomap.errors import ConfigurationError

__all__ = ["SpanPlace", "GeomapComponent", "make_geomap", "entity_label", "span_place",
           "DEFAULT_SPANS_KEY"]

#: The ``doc.spans`` key the component writes by default.
DEFAULT_SPANS_KEY = "geomap"
#: Where a span's place is kept in ``doc.user_data``: ``(key, start_char, end_char)``
#: -> :class:`SpanPlace` fields as a tuple (so that ``Doc.to_bytes`` and
#: ``DocBin`` serialise it, and ``nlp.pipe(n_process=...)`` carries it back).
_USER_DATA = "geomap.place"
#: GeoNames feature classes by entity label (the others are ``LOC``).
_GPE_CLASSES = frozenset({"A", "P"})
_FAC_CLASSES = frozenset({"S", "R"})


@dataclass(frozen=True, slots=True)
class SpanPlace:
    """The place a span of ``doc.spans["geomap"]`` names: ``span._.place``.

    Parameters
    ----------
    id : int
        geomap's place id (the GeoNames id for GeoNames places).
    geonameid : int or None
        GeoNames id, ``None`` for curated places without one.
    name : str
        The gazetteer's name of the place.
    lat, lon : float
        WGS84 degrees.
    country_code : str or None
        ISO 3166-1 alpha-2 code.
    feature_class, feature_code : str
        GeoNames feature class and code (``"P"``, ``"PPLA"``).
    population : int
        0 when unknown.
    score : float
        The resolution's confidence, 0..1.
    kind : str
        ``"name"`` or ``"demonym"`` (an adjective such as "Armenian").

    Examples
    --------
    >>> p = SpanPlace(616052, 616052, "Yerevan", 40.18, 44.51, "AM", "P", "PPLC",
    ...               1093485, 1.0, "name")
    >>> p.__geo_interface__
    {'type': 'Point', 'coordinates': (44.51, 40.18)}
    """

    id: int
    geonameid: int | None
    name: str
    lat: float
    lon: float
    country_code: str | None
    feature_class: str
    feature_code: str
    population: int
    score: float
    kind: str

    @property
    def point(self) -> tuple[float, float]:
        """``(lat, lon)``, the order geopy uses."""
        return (self.lat, self.lon)

    @property
    def __geo_interface__(self) -> dict:
        return {"type": "Point", "coordinates": (self.lon, self.lat)}


def entity_label(feature_class: str, kind: str = "name") -> str:
    """The spaCy (OntoNotes) label of a place of GeoNames ``feature_class``.

    Countries, divisions and towns (``A``, ``P``) are ``GPE``; buildings,
    spots and roads (``S``, ``R``) ``FAC``; the rest (water, regions,
    terrain) ``LOC``; a demonym is ``NORP``.

    Examples
    --------
    >>> entity_label("P"), entity_label("H"), entity_label("S"), entity_label("A", "demonym")
    ('GPE', 'LOC', 'FAC', 'NORP')
    """
    if kind == "demonym":
        return "NORP"
    if feature_class in _GPE_CLASSES:
        return "GPE"
    if feature_class in _FAC_CLASSES:
        return "FAC"
    return "LOC"


def span_place(span: Span) -> SpanPlace | None:
    """``span._.place``: the place geomap resolved ``span`` to, or ``None``."""
    data: dict[Any, Any] = span.doc.user_data      # (spaCy's own keys are tuples too)
    record = data.get((_USER_DATA, span.start_char, span.end_char))
    return None if record is None else SpanPlace(*record)


def _register_extension() -> None:
    if Span.has_extension("place"):
        getter = Span.get_extension("place")[2]
        if getter is span_place:
            return
        raise ConfigurationError(
            "another package has set the spaCy extension Span._.place; geomap's "
            "component cannot write its places there")
    Span.set_extension("place", getter=span_place)


class GeomapComponent:
    """The spaCy component ``"geomap"`` (made by :func:`make_geomap`).

    Parameters
    ----------
    name : str
        The component's name in the pipeline.
    gazetteer : str, optional
        Path of the gazetteer store (default: geomap's own).
    spans_key : str
        The ``doc.spans`` key to write.
    write_ents : bool
        Also add the places to ``doc.ents``.
    ents_filter : callable
        ``(entities, spans) -> entities``, how the places join ``doc.ents``.
    """

    def __init__(self, name: str = "geomap", *, gazetteer: str | None = None,
                 spans_key: str = DEFAULT_SPANS_KEY, write_ents: bool = False,
                 ents_filter: Callable[[Iterable[Span], Iterable[Span]], Iterable[Span]]
                 | None = None):
        self._configure(name, gazetteer, spans_key, write_ents, ents_filter)

    def _configure(self, name: str, gazetteer: str | None, spans_key: str, write_ents: bool,
                   ents_filter: Callable | None) -> None:
        if not isinstance(spans_key, str) or not spans_key:
            raise ConfigurationError(
                f"Expected spans_key to be a non-empty string, instead got: {spans_key!r}")
        if gazetteer is not None and not isinstance(gazetteer, str):
            raise ConfigurationError(
                f"Expected gazetteer to be the path of a store (str) or None, instead got: "
                f"{gazetteer!r}")
        _register_extension()
        if ents_filter is None:
            from spacy.pipeline.span_ruler import prioritize_existing_ents_filter

            ents_filter = prioritize_existing_ents_filter
        self.name = name
        self.gazetteer = gazetteer
        self.spans_key = spans_key
        self.write_ents = bool(write_ents)
        self.ents_filter = ents_filter
        self._pipeline: Any = None

    @property
    def pipeline(self) -> Any:
        """The geomap :class:`~geomap.pipeline.Pipeline` the component runs,
        opened on first use over the configured gazetteer; may be set to one
        of your own (it is not pickled)."""
        if self._pipeline is None:
            from gazetteer import Gazetteer
            from geomap.pipeline import Pipeline

            self._pipeline = Pipeline(gazetteer=Gazetteer.open(self.gazetteer, progress=False))
        return self._pipeline

    @pipeline.setter
    def pipeline(self, value: Any) -> None:
        if not callable(getattr(value, "mentions", None)):
            raise ConfigurationError(
                f"Expected a geomap Pipeline (with mentions(document)), instead got: {value!r}")
        self._pipeline = value

    def __call__(self, doc: Doc) -> Doc:
        from geomap.documents import Document

        mentions = self.pipeline.mentions(Document(id="", text=doc.text))
        data: dict[Any, Any] = doc.user_data
        spans = []
        for m in mentions:
            place = m.place
            if place is None:
                continue
            span = doc.char_span(m.start, m.end, label=entity_label(place.feature_class, m.kind),
                                 kb_id=str(place.id), alignment_mode="expand")
            if span is None:
                continue         # nothing but white space at the tokens' edges
            where = (_USER_DATA, span.start_char, span.end_char)
            if where in data:
                # two names inside one token ("Geneva’Lyon" is one token of
                # spaCy's English tokenizer) expand to the same span: the
                # span carries the first place only, so kb_id_ and ._.place agree
                continue
            data[where] = (
                place.id, place.geonameid, place.name, place.lat, place.lon,
                place.country_code, place.feature_class, place.feature_code,
                place.population, float(m.score), m.kind)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        if self.write_ents:
            doc.ents = sorted(self.ents_filter(doc.ents, spans))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """:meth:`__call__` on each of ``docs`` (for ``nlp.pipe``)."""
        for doc in docs:
            yield self(doc)

    def __getstate__(self) -> dict:
        # the configuration only: the gazetteer (an open SQLite store) is opened again
        return {"name": self.name, "gazetteer": self.gazetteer, "spans_key": self.spans_key,
                "write_ents": self.write_ents, "ents_filter": self.ents_filter}

    def __setstate__(self, state: dict) -> None:
        self._configure(state["name"], state["gazetteer"], state["spans_key"],
                        state["write_ents"], state["ents_filter"])

    def __repr__(self) -> str:
        return (f"GeomapComponent(name={self.name!r}, gazetteer={self.gazetteer!r}, "
                f"spans_key={self.spans_key!r}, write_ents={self.write_ents!r})")


@Language.factory(
    "geomap",
    assigns=["doc.spans", "doc.ents", "span._.place"],
    default_config={
        "gazetteer": None,
        "spans_key": DEFAULT_SPANS_KEY,
        "write_ents": False,
        "ents_filter": {"@misc": "spacy.prioritize_existing_ents_filter.v1"},
    },
)
def make_geomap(nlp: Language, name: str, gazetteer: str | None, spans_key: str,
                write_ents: bool, ents_filter: Callable) -> GeomapComponent:
    """Make the ``"geomap"`` component (spaCy calls this for ``nlp.add_pipe("geomap")``)."""
    return GeomapComponent(name, gazetteer=gazetteer, spans_key=spans_key,
                           write_ents=write_ents, ents_filter=ents_filter)

