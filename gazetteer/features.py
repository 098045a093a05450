"""What a GeoNames feature code says about a place: the one definition of a country.

GeoNames files a country under class ``A`` with a code that starts with
``PCL`` (a *political entity*): ``PCLI`` independent, ``PCLD`` dependent,
``PCLF`` freely associated, ``PCLS`` semi-independent, ``PCLIX`` a section
of one, ``PCL`` unspecified, ``PCLH`` historical (the Soviet Union,
Yugoslavia). :data:`COUNTRY_CODES` is that set and :func:`is_country` asks
it; every part of the gazetteer that asks "is this place a country" asks
here, so the answer cannot drift from one module to another.

A second, narrower question is "which place does the ISO 3166-1 code
``XX`` name" (``Ref("country", "XX")`` in a curated file,
:meth:`gazetteer.Gazetteer.country`): a current country, or a territory
with a code of its own (``TERR``), never a historical entity, whose code
may have passed to a successor. :data:`CODE_HOLDER_CODES` derives it from
:data:`COUNTRY_CODES`.

Examples
--------
>>> is_country("PCLI"), is_country("PCLH"), is_country("TERR"), is_country("ADM1")
(True, True, False, False)
>>> holds_country_code("TERR"), holds_country_code("PCLH")
(True, False)
>>> sql_list(["PCLI", "PCLD"])
"('PCLD','PCLI')"
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["COUNTRY_CODES", "HISTORICAL_CODE", "TERRITORY_CODE", "CODE_HOLDER_CODES",
           "is_country", "holds_country_code", "sql_list"]

#: GeoNames' political entities (class ``A``, codes ``PCL*``): what a country is.
COUNTRY_CODES: frozenset[str] = frozenset(
    {"PCL", "PCLD", "PCLF", "PCLH", "PCLI", "PCLIX", "PCLS"})

#: A historical political entity: a country, but no longer the holder of its code.
HISTORICAL_CODE = "PCLH"

#: A territory (``TERR``): not a country, but it may hold an ISO 3166-1 code.
TERRITORY_CODE = "TERR"

#: The feature codes of the place an ISO 3166-1 alpha-2 code names.
CODE_HOLDER_CODES: frozenset[str] = (COUNTRY_CODES - {HISTORICAL_CODE}) | {TERRITORY_CODE}


def is_country(feature_code: str) -> bool:
    """Whether a place with GeoNames code ``feature_code`` is a country.

    Parameters
    ----------
    feature_code : str
        A GeoNames feature code (``"PCLI"``, ``"ADM1"``, ``"PPLC"``...).

    Returns
    -------
    bool
        True for the codes of :data:`COUNTRY_CODES`, historical entities
        included; False for territories (``TERR``) and anything else.

    Examples
    --------
    >>> is_country("PCLD")
    True
    """
    return feature_code in COUNTRY_CODES


def holds_country_code(feature_code: str) -> bool:
    """Whether a place with code ``feature_code`` can be the place an ISO
    3166-1 code names (see :data:`CODE_HOLDER_CODES`).

    Examples
    --------
    >>> holds_country_code("PCLI")
    True
    """
    return feature_code in CODE_HOLDER_CODES


def sql_list(codes: Iterable[str]) -> str:
    """``codes`` as an SQL list literal, sorted, for ``feature_code IN ...``.

    The codes are this module's constants (letters only), never user text.

    Examples
    --------
    >>> sql_list(CODE_HOLDER_CODES)
    "('PCL','PCLD','PCLF','PCLI','PCLIX','PCLS','TERR')"
    """
    out = sorted(codes)
    if not all(c.isalpha() and c.isascii() for c in out):
        raise ValueError(f"Expected GeoNames feature codes (letters), instead got: {out!r}")
    return "(" + ",".join(f"'{c}'" for c in out) + ")"
