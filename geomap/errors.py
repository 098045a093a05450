"""One hierarchy for every error the pipeline raises."""

__all__ = ["GeomapError", "InputError", "ConfigurationError", "MissingExtraError"]


class GeomapError(Exception):
    """Base class of all geomap errors."""


class InputError(GeomapError, ValueError):
    """An input (file, row, document) is missing, unreadable or malformed.

    The message names the file and the problem.
    """


class ConfigurationError(GeomapError, ValueError):
    """An option or argument is invalid."""


class MissingExtraError(GeomapError, ImportError):
    """An optional dependency is missing; the message names the pip extra."""
