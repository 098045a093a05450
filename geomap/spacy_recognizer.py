"""Recognisers backed by a spaCy pipeline of the user's choice.

Two ways to bring a statistical named-entity recogniser into geomap:

:class:`SpacyRecognizer`
    spaCy's entities *are* the place mentions: each entity with one of
    ``labels`` (``GPE``, ``LOC``, ``FAC`` by default) becomes a
    :class:`~geomap.spans.Span`, which geomap's resolver resolves against the
    gazetteer like its own recogniser's.
:class:`VetoingRecognizer`
    geomap's recogniser (or any other) finds the mentions, and spaCy's
    entities with one of ``labels`` (``PERSON`` by default; ``ORG`` too on
    request) *veto* the ones they contain: "Jordan" inside "Jordan
    Peterson", "Washington" inside "Washington Post" (an ``ORG``). Demonyms
    (spaCy's ``NORP``) are not vetoed by default: geomap maps "Armenian" to
    Armenia on purpose.

Both take a loaded :class:`spacy.language.Language` or the name of an
installed pipeline package (loaded with only the components its entity
recogniser needs). Neither is geomap's default: see the README for their
figures on LGL and GeoVirus (``benchmarks/bench_spacy.py``). spaCy comes with
the ``geomap[spacy]`` extra; a trained English pipeline such as
``en_core_web_sm`` is installed separately.

Examples
--------
>>> import spacy                                                  # doctest: +SKIP
>>> from gazetteer import Gazetteer
>>> from geomap.pipeline import Pipeline
>>> from geomap.recognize import Recognizer
>>> nlp = spacy.load("en_core_web_sm")                            # doctest: +SKIP
>>> gaz = Gazetteer.open()                                        # doctest: +SKIP
>>> pipe = Pipeline(gaz, recognizer=VetoingRecognizer(Recognizer(gaz), nlp))  # doctest: +SKIP
>>> [m.text for m in pipe.process("Jordan Peterson spoke in Jordan.")]     # doctest: +SKIP
['Jordan']

In a :class:`~geomap.pipeline.PipelineSpec` (which every engine builds its
workers' pipelines from), name the factories and the pipeline by name or
path, which pickle::

    spec = PipelineSpec(recognizer="geomap.spacy_recognizer:vetoing_recognizer",
                        config=PipelineConfig(recognizer_options={"nlp": "en_core_web_sm"}))
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from gazetteer.names import fold
from geomap.errors import ConfigurationError, MissingExtraError
from geomap.spans import Span

__all__ = [
    "PLACE_LABELS",
    "VETO_LABELS",
    "SpacyRecognizer",
    "VetoingRecognizer",
    "load_nlp",
    "spacy_recognizer",
    "vetoing_recognizer",
]

#: spaCy (OntoNotes) labels of places: geopolitical entities, other
#: locations, facilities.
PLACE_LABELS: tuple[str, ...] = ("GPE", "LOC", "FAC")
#: spaCy labels whose entities veto a place match they contain by default:
#: people ("Jordan Peterson"). Not ``ORG`` by default: corpora that count a
#: place inside an organisation's name as a mention ("Texas" in "University
#: of Texas", as LGL does) lose by it (see benchmarks/bench_spacy.py). Not
#: ``NORP``: nationalities are demonyms, which geomap maps to countries.
VETO_LABELS: tuple[str, ...] = ("PERSON",)
#: How a vetoing entity must cover a match (see :class:`VetoingRecognizer`).
VETO_MODES: tuple[str, ...] = ("longer", "overlap")
#: The spaCy label of demonyms and nationalities.
_NORP = "NORP"
#: Words an entity may start with that are not part of the place's name.
_LEADING = ("the ", "The ", "THE ")
#: Possessive endings an entity may keep ("Gaza's").
_POSSESSIVE = ("'s", "\u2019s", "'S", "\u2019S")


def load_nlp(nlp: Any, *, components: Iterable[str] | None = None) -> Any:
    """A spaCy pipeline: ``nlp`` itself, or the one it names loaded with only
    the components that set entities and what they listen to.

    Parameters
    ----------
    nlp : spacy.language.Language or str or path
        A loaded pipeline (returned as it is, to run whole), or an installed
        package's name or a pipeline folder for :func:`spacy.load`.
    components : iterable of str, optional
        The components wanted; by default those that assign ``doc.ents``
        (``ner``, ``entity_ruler``...). The others are excluded, but for a
        shared ``tok2vec`` one of them listens to.

    Raises
    ------
    MissingExtraError
        spaCy is not installed (``pip install 'geomap[spacy]'``).
    ConfigurationError
        ``nlp`` names no pipeline that can be loaded, or the pipeline has none
        of the components wanted.

    Examples
    --------
    >>> import spacy
    >>> blank = spacy.blank("en")
    >>> load_nlp(blank) is blank
    True
    """
    if not isinstance(nlp, str) and not hasattr(nlp, "__fspath__"):
        if not callable(getattr(nlp, "pipe", None)):
            raise ConfigurationError(
                f"Expected a spaCy Language or the name of a pipeline, instead got: {nlp!r}")
        return nlp
    spacy = _spacy()
    try:
        full = spacy.load(nlp)
    except (OSError, ImportError, ValueError) as e:
        raise ConfigurationError(f"cannot load the spaCy pipeline {nlp!r}: {e}") from e
    if components is None:
        wanted = {n for n in full.pipe_names if "doc.ents" in full.get_pipe_meta(n).assigns}
    else:
        wanted = set(components) & set(full.pipe_names)
    if not wanted:
        raise ConfigurationError(
            f"the spaCy pipeline {nlp!r} has no component that sets entities"
            f"{'' if components is None else ' among ' + repr(sorted(components))}: "
            f"it has {full.pipe_names}")
    keep = set(wanted)
    for name in full.pipe_names:
        listeners = getattr(full.get_pipe(name), "listening_components", ())
        if wanted & set(listeners):
            keep.add(name)
    excluded = [n for n in full.pipe_names if n not in keep]
    if not excluded:
        return full
    return spacy.load(nlp, exclude=excluded)


def _spacy() -> Any:
    try:
        import spacy
    except ImportError as e:
        raise MissingExtraError("geomap's spaCy recognisers need spaCy: "
                                "pip install 'geomap[spacy]'") from e
    return spacy


def _labels(labels: Iterable[str], what: str) -> frozenset[str]:
    if isinstance(labels, str):
        raise ConfigurationError(f"Expected a sequence of {what} labels, instead got the "
                                 f"string {labels!r} (write ({labels!r},))")
    out = frozenset(labels)
    if not out or not all(isinstance(x, str) and x for x in out):
        raise ConfigurationError(f"Expected a non-empty sequence of {what} labels, "
                                 f"instead got: {labels!r}")
    return out


def _sentence_index(sentences: Sequence[tuple[int, int]]) -> list[int]:
    return [s for s, _ in sentences]


def _sentence_of(starts: list[int], start: int) -> int:
    return max(0, bisect_right(starts, start) - 1)


class SpacyRecognizer:
    """Place mentions are the entities a spaCy pipeline labels as places.

    Parameters
    ----------
    nlp : spacy.language.Language or str
        The pipeline (or an installed package's name, see :func:`load_nlp`);
        it must set ``doc.ents``.
    labels : sequence of str
        The entity labels that are places (:data:`PLACE_LABELS`). ``NORP``,
        when listed, gives demonym spans ("Armenian" resolves to Armenia).
    gazetteer : gazetteer.Gazetteer, optional
        When given, an entity starting with "the" keeps it only when the
        gazetteer knows the name with it ("The Hague"); without one, "the" is
        always left out.

    Notes
    -----
    An entity becomes a span with the name as written, less a leading "the"
    and a possessive "'s"; its key is the folded name
    (:func:`gazetteer.fold`). A name the gazetteer does not know stays a
    mention without a place (geomap keeps it when asked to keep unresolved
    names).

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> ruler = nlp.add_pipe("entity_ruler")
    >>> ruler.add_patterns([{"label": "GPE", "pattern": "the Gaza Strip"}])
    >>> [(s.text, s.key) for s in SpacyRecognizer(nlp).recognize("Rain in the Gaza Strip's south.")]
    [('Gaza Strip', 'gaza strip')]
    """

    def __init__(self, nlp: Any = "en_core_web_sm", *,
                 labels: Sequence[str] = PLACE_LABELS, gazetteer: Any = None):
        self.labels = _labels(labels, "place")
        self.nlp = load_nlp(nlp)
        self.gazetteer = gazetteer
        self._source = None if self.nlp is nlp else nlp

    def __call__(self, text: str) -> list[Span]:
        return self.recognize(text)

    def recognize(self, text: str, sentences: list[tuple[int, int]] | None = None,
                  trace: list | None = None) -> list[Span]:
        """The place spans of ``text``, in order, not overlapping.

        ``sentences`` (:func:`geomap.text.sentence_spans` of ``text``) number
        the spans' sentences; ``trace`` is accepted for the pipeline's
        ``explain`` and stays empty (spaCy gives no reasons).
        """
        if sentences is None:
            from geomap.text import sentence_spans

            sentences = sentence_spans(text)
        starts = _sentence_index(sentences)
        out: list[Span] = []
        for ent in self.nlp(text).ents:
            label = ent.label_
            if label not in self.labels:
                continue
            span = self._span(text, ent.start_char, ent.end_char, label)
            if span is not None:
                out.append(Span(span[0], span[1], text[span[0]:span[1]], span[2],
                                "demonym" if label == _NORP else "name",
                                False, _sentence_of(starts, span[0])))
        return out

    def _span(self, text: str, start: int, end: int, label: str) -> tuple[int, int, str] | None:
        """``(start, end, key)`` of the name an entity holds, or None when nothing is left."""
        name = text[start:end]
        if name.endswith(_POSSESSIVE):
            end -= 2
        if name.startswith(_LEADING) and not self._knows(fold(text[start:end])):
            start += 4
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
            end -= 1
        if start >= end:
            return None
        key = fold(text[start:end])
        return (start, end, key) if key else None

    def _knows(self, key: str) -> bool:
        return self.gazetteer is not None and bool(self.gazetteer.has_name(key))

    def __reduce__(self):
        # a pipeline loaded by name is loaded again by name; a Language object pickles itself
        source = self._source if self._source is not None else self.nlp
        return (_rebuild_spacy, (source, tuple(sorted(self.labels)), self.gazetteer))

    def __repr__(self) -> str:
        name = self._source or getattr(self.nlp, "meta", {}).get("name", "spacy")
        return f"SpacyRecognizer({name!r}, labels={tuple(sorted(self.labels))!r})"


def _rebuild_spacy(source, labels, gazetteer) -> SpacyRecognizer:
    return SpacyRecognizer(source, labels=labels, gazetteer=gazetteer)


class VetoingRecognizer:
    """A recogniser whose matches spaCy's people and organisations can veto.

    Parameters
    ----------
    base
        The recogniser whose spans are filtered (geomap's
        :class:`~geomap.recognize.Recognizer`, or anything with
        ``recognize(text, sentences=None)``).
    nlp : spacy.language.Language or str
        The pipeline whose entities veto (see :func:`load_nlp`).
    labels : sequence of str
        Entity labels that veto (:data:`VETO_LABELS`).
    mode : {"longer", "overlap"}
        ``"longer"`` (default): an entity vetoes a span it contains and is
        longer than ("Jordan" in "Jordan Peterson"), so that a place the model
        mislabels on its own ("Georgia" as a PERSON) is kept; ``"overlap"``:
        any entity overlapping the span vetoes it.

    Examples
    --------
    >>> import spacy
    >>> from geomap.spans import Span
    >>> class Names:
    ...     def recognize(self, text, sentences=None):
    ...         return [Span(0, 6, "Jordan", "jordan"), Span(25, 31, "Jordan", "jordan")]
    >>> nlp = spacy.blank("en")
    >>> nlp.add_pipe("entity_ruler").add_patterns(
    ...     [{"label": "PERSON", "pattern": "Jordan Peterson"}])
    >>> [s.start for s in VetoingRecognizer(Names(), nlp).recognize(
    ...     "Jordan Peterson flew to Jordan.")]
    [25]
    """

    def __init__(self, base: Any, nlp: Any = "en_core_web_sm", *,
                 labels: Sequence[str] = VETO_LABELS, mode: str = "longer"):
        if not callable(getattr(base, "recognize", None)):
            raise ConfigurationError(
                f"Expected a recogniser (with recognize(text)) as base, instead got: {base!r}")
        if mode not in VETO_MODES:
            raise ConfigurationError(f"Expected mode to be one of {VETO_MODES}, "
                                     f"instead got: {mode!r}")
        self.base = base
        self.labels = _labels(labels, "veto")
        self.mode = mode
        self.nlp = load_nlp(nlp)
        self._source = None if self.nlp is nlp else nlp

    def __call__(self, text: str) -> list[Span]:
        return self.recognize(text)

    def recognize(self, text: str, sentences: list[tuple[int, int]] | None = None,
                  trace: list | None = None) -> list[Span]:
        """The base recogniser's spans of ``text`` that no vetoing entity covers.

        ``trace``, a list, receives ``(span, reason)`` for each vetoed span
        (and is passed on to the base recogniser when given).
        """
        if trace is not None:
            spans = self.base.recognize(text, sentences, trace)
        else:
            spans = self.base.recognize(text, sentences)
        if not spans:
            return spans
        vetoes = [(e.start_char, e.end_char, e.label_) for e in self.nlp(text).ents
                  if e.label_ in self.labels]
        if not vetoes:
            return spans
        return [s for s in spans if not self._vetoed(s, vetoes, text, trace)]

    def _vetoed(self, span: Span, vetoes: list[tuple[int, int, str]], text: str,
                trace: list | None) -> bool:
        longer = self.mode == "longer"
        for start, end, label in vetoes:
            if start >= span.end:
                break          # the entities are in order: none further on overlaps
            if end <= span.start:
                continue
            if longer and not (start <= span.start and span.end <= end
                               and end - start > span.end - span.start):
                continue
            if trace is not None:
                trace.append((span, f"spaCy {label} {text[start:end]!r}"))
            return True
        return False

    def __reduce__(self):
        source = self._source if self._source is not None else self.nlp
        return (_rebuild_vetoing, (self.base, source, tuple(sorted(self.labels)), self.mode))

    def __repr__(self) -> str:
        name = self._source or getattr(self.nlp, "meta", {}).get("name", "spacy")
        return (f"VetoingRecognizer({self.base!r}, {name!r}, "
                f"labels={tuple(sorted(self.labels))!r}, mode={self.mode!r})")


def _rebuild_vetoing(base, source, labels, mode) -> VetoingRecognizer:
    return VetoingRecognizer(base, source, labels=labels, mode=mode)


def spacy_recognizer(gazetteer: Any = None, *, nlp: Any = "en_core_web_sm",
                     labels: Sequence[str] = PLACE_LABELS) -> SpacyRecognizer:
    """A :class:`SpacyRecognizer` built the way pipeline specs build recognisers,
    ``factory(gazetteer, **options)`` (``"geomap.spacy_recognizer:spacy_recognizer"``)."""
    return SpacyRecognizer(nlp, labels=labels, gazetteer=gazetteer)


def vetoing_recognizer(gazetteer: Any, *, nlp: Any = "en_core_web_sm",
                       labels: Sequence[str] = VETO_LABELS,
                       mode: str = "longer") -> VetoingRecognizer:
    """geomap's :class:`~geomap.recognize.Recognizer` over ``gazetteer``, vetoed by
    ``nlp``'s entities: :class:`VetoingRecognizer` built as pipeline specs build
    recognisers (``"geomap.spacy_recognizer:vetoing_recognizer"``)."""
    from geomap.recognize import Recognizer

    return VetoingRecognizer(Recognizer(gazetteer), nlp, labels=labels, mode=mode)
