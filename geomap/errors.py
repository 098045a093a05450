"""One hierarchy for every error the pipeline raises."""

__all__ = ["GeomapError", "InputError", "InputNotFoundError", "InputTypeError",
           "ConfigurationError", "MissingExtraError"]


class GeomapError(Exception):
    """Base class of all geomap errors."""


class InputError(GeomapError, ValueError):
    """An input (file, row, document) is missing, unreadable or malformed.

    The message names the file and the problem.
    """


class InputNotFoundError(InputError, FileNotFoundError):
    """A path given as input does not exist; the message says how to pass texts instead."""


class InputTypeError(GeomapError, TypeError):
    """An input of a type that cannot be read as documents (``bytes``, a list mixing
    texts and paths); the message says what to pass."""


class ConfigurationError(GeomapError, ValueError):
    """An option or argument is invalid."""


class MissingExtraError(GeomapError, ImportError):
    """An optional dependency is missing; the message names the pip extra."""
