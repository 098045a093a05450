"""One hierarchy for every error the gazetteer raises.

Examples
--------
>>> issubclass(DamagedStoreError, GazetteerCorruptError)
True
>>> issubclass(InvalidQueryError, ValueError)
True
"""

__all__ = ["GazetteerError", "GazetteerBuildError", "GazetteerCorruptError",
           "DamagedStoreError", "GazetteerImportError", "InvalidQueryError",
           "MissingExtraError", "DownloadError", "GazetteerWarning"]


class GazetteerError(Exception):
    """Base class of all gazetteer errors."""


class GazetteerBuildError(GazetteerError, RuntimeError):
    """Building the store failed."""


class GazetteerCorruptError(GazetteerError, OSError):
    """A built store is unreadable, truncated or from another version."""


class DamagedStoreError(GazetteerCorruptError):
    """The store's file is damaged: its contents are not those it was built
    with, SQLite finds it malformed, or a query on it failed.

    Raised when the store cannot be rebuilt here (``build=False``, a worker
    process), or by a query on a store that was found damaged after it was
    opened. Nothing read from such a store can be trusted: a run stops
    rather than write what it found. The message names the file and the
    damage; the store is marked so that the next :meth:`Gazetteer.open
    <gazetteer.Gazetteer.open>` rebuilds it.
    """


class GazetteerImportError(GazetteerError, ValueError):
    """A user file (GeoNames dump, CSV of places) could not be imported.

    The message names the file and, where known, the line.
    """


class DownloadError(GazetteerError, OSError):
    """A file could not be downloaded whole (offline, an HTTP error, a
    truncated or damaged zip, a checksum that differs). The message names the
    URL, the reason and how to add the file by hand; the store is unchanged.
    """


class InvalidQueryError(GazetteerError, ValueError):
    """An argument of a lookup is missing, of the wrong type, out of range or
    malformed: a latitude of 200, a NaN, ``None``, a three-number point, an
    empty place name. The message says what was expected and what came.
    """


class MissingExtraError(GazetteerError, ImportError):
    """An optional dependency is missing; the message names the pip extra."""


class GazetteerWarning(UserWarning):
    """Something the user should know that does not stop the work (an extra
    source left out of a rebuild because its file is gone)."""
