"""Small helpers shared by the source modules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

__all__ = ["keep_name", "clean_names"]

_CODE_LIKE = re.compile(r"[A-Z]{3,4}")


def keep_name(name: str) -> bool:
    """Whether an alternate name is worth indexing.

    Drops names shorter than two characters and all-caps 3-4 letter strings,
    which in GeoNames' alternate names are IATA/ICAO airport codes
    (``"GVA"``, ``"LSGG"``).

    Examples
    --------
    >>> keep_name("Genf"), keep_name("GVA"), keep_name("X")
    (True, False, False)
    """
    name = name.strip()
    return len(name) >= 2 and not _CODE_LIKE.fullmatch(name)


def clean_names(names: Iterable[str], kind: str = "alternate") -> Iterator[tuple[str, str]]:
    """``(name, kind)`` pairs for the names that :func:`keep_name` keeps."""
    for n in names:
        if n and keep_name(n):
            yield (n.strip(), kind)
