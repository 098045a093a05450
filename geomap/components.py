"""The pipeline's components, as the :class:`~geomap.pipeline.Pipeline` sees them.

Three :class:`typing.Protocol` types say what a component must offer, and
nothing more: any object with these methods can stand in for geomap's own
(:class:`geomap.recognize.Recognizer`, :class:`geomap.resolve.Resolver`,
:class:`gazetteer.Gazetteer`). They are ``runtime_checkable``, so
``isinstance(obj, Recognizer)`` tells whether the methods are there (not
their signatures).

``Gazetteer``
    The place store: ``candidates(name)``, ``has_name(folded)``,
    ``max_name_tokens()``; geomap's recogniser and resolver use more of it
    when it is there (``entries``, ``prominent_names``, ``variant_keys``),
    the records its ``country``/``admin`` for division names.
``Recognizer``
    ``recognize(text, sentences=None) -> list[Span]``: the place-name spans
    of ``text`` in order, not overlapping (:class:`geomap.spans.Span`).
    ``sentences`` are :func:`geomap.text.sentence_spans` of ``text``, passed
    so that they are computed once; a recogniser may ignore them.
``Resolver``
    ``resolve(spans, text, *, keep_candidates=None) -> list[Resolution]``:
    one :class:`geomap.resolution.Resolution` per span, in order.

A recogniser of your own is built by a factory ``factory(gazetteer, **options)``
(its class will do); give it to :class:`~geomap.pipeline.PipelineSpec` by
reference (``"package.module:Class"``, or the class itself when it can be
imported where the work runs) and every engine, local or Dask, builds it in
its workers.

Examples
--------
>>> from geomap.spans import Span
>>> class Capitals:
...     def __init__(self, gazetteer=None):
...         pass
...     def recognize(self, text, sentences=None):
...         k = text.find("Paris")
...         return [] if k < 0 else [Span(k, k + 5, "Paris", "paris")]
>>> isinstance(Capitals(), Recognizer)
True
>>> [s.text for s in Capitals().recognize("Talks in Paris.")]
['Paris']
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from geomap.errors import ConfigurationError
from geomap.resolution import Resolution
from geomap.spans import Span

__all__ = ["Gazetteer", "Recognizer", "Resolver", "load_factory", "reference"]


@runtime_checkable
class Gazetteer(Protocol):
    """What the pipeline needs of a place store (see the module docstring)."""

    def candidates(self, name: str, **filters: Any) -> list: ...

    def has_name(self, folded: str) -> bool: ...

    def max_name_tokens(self) -> int: ...


@runtime_checkable
class Recognizer(Protocol):
    """Finds the place-name spans of a text (see the module docstring)."""

    def recognize(self, text: str,
                  sentences: list[tuple[int, int]] | None = None) -> list[Span]: ...


@runtime_checkable
class Resolver(Protocol):
    """Chooses a place for each span of a document (see the module docstring)."""

    def resolve(self, spans: Sequence[Span], text: str = "", *,
                keep_candidates: int | None = None) -> list[Resolution]: ...


def load_factory(ref: str | Callable) -> Callable:
    """The callable ``ref`` names: ``"package.module:attribute"``, or ``ref`` itself.

    Raises :class:`~geomap.errors.ConfigurationError` naming ``ref`` when it
    cannot be imported.

    Examples
    --------
    >>> load_factory("geomap.recognize:Recognizer").__name__
    'Recognizer'
    >>> load_factory("geomap.nowhere:Thing")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geomap.errors.ConfigurationError: cannot load 'geomap.nowhere:Thing': No module named ...
    """
    if callable(ref):
        return ref
    if not isinstance(ref, str) or ref.count(":") != 1:
        raise ConfigurationError(f"a component factory is a callable or a "
                                 f"'package.module:name' string, instead got: {ref!r}")
    module, _, name = ref.partition(":")
    try:
        target = importlib.import_module(module)
        for part in name.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError) as e:
        raise ConfigurationError(f"cannot load {ref!r}: {e}") from e
    if not callable(target):
        raise ConfigurationError(f"{ref!r} is not callable")
    return target


def reference(factory: str | Callable) -> str:
    """``factory`` as a ``"module:qualname"`` string, which pickles everywhere.

    Examples
    --------
    >>> from geomap.recognize import Recognizer
    >>> reference(Recognizer)
    'geomap.recognize:Recognizer'
    """
    if isinstance(factory, str):
        return factory
    module, name = getattr(factory, "__module__", None), getattr(factory, "__qualname__", None)
    if not module or not name or "<" in name:
        raise ConfigurationError(f"{factory!r} cannot be named for another process: give a "
                                 "class or function defined at a module's top level")
    return f"{module}:{name}"
