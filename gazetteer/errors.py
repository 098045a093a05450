"""One hierarchy for every error the gazetteer raises."""

__all__ = ["GazetteerError", "GazetteerBuildError", "GazetteerCorruptError",
           "GazetteerImportError", "MissingExtraError", "GazetteerWarning"]


class GazetteerError(Exception):
    """Base class of all gazetteer errors."""


class GazetteerBuildError(GazetteerError, RuntimeError):
    """Building the store failed."""


class GazetteerCorruptError(GazetteerError, OSError):
    """A built store is unreadable, truncated or from another version."""


class GazetteerImportError(GazetteerError, ValueError):
    """A user file (GeoNames dump, CSV of places) could not be imported.

    The message names the file and, where known, the line.
    """


class MissingExtraError(GazetteerError, ImportError):
    """An optional dependency is missing; the message names the pip extra."""


class GazetteerWarning(UserWarning):
    """Something the user should know that does not stop the work (an extra
    source left out of a rebuild because its file is gone)."""
