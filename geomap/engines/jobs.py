"""The ``jobs`` option of the local engine, checked where a run starts.

It lives apart from :mod:`geomap.engines.local` so that
:func:`geomap.engines.run` can check it before any work without importing the
engine (which imports the package: an import cycle).
"""

from __future__ import annotations

from geomap.errors import ConfigurationError

__all__ = ["check_jobs"]


def check_jobs(jobs) -> None:
    """Raise :class:`~geomap.errors.ConfigurationError` unless ``jobs`` is None
    or a whole number of at least 1.

    Examples
    --------
    >>> check_jobs(0)
    Traceback (most recent call last):
    ...
    geomap.errors.ConfigurationError: --jobs must be a whole number of at least 1, instead got: 0
    """
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ConfigurationError(f"--jobs must be a whole number of at least 1, "
                                 f"instead got: {jobs!r}")
