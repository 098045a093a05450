"""Source: full GeoNames dumps downloaded by the user (``allCountries``, ``citiesNNN``...).

Files (plain ``.txt`` or ``.zip``), in GeoNames' tab-separated formats:

* main table (19 columns): geonameid, name, asciiname, alternatenames (comma
  separated), latitude, longitude, feature class, feature code, country
  code, cc2, admin1, admin2, admin3, admin4, population, elevation, dem,
  timezone, modification date;
* ``alternateNamesV2.txt`` (10 columns): alternateNameId, geonameid,
  isolanguage, alternate name, isPreferredName, isShortName, isColloquial,
  isHistoric, from, to;
* ``admin1CodesASCII.txt`` (4 columns): code (``US.CA``), name, ascii name, geonameid.

Dump places replace packaged places with the same GeoNames id (real feature
codes, admin coordinates) and add the rest.  Alternate names whose
isolanguage is a code system (``link``, ``post``, ``iata``...) are skipped.

Examples
--------
>>> from gazetteer import build                              # doctest: +SKIP
>>> build(extra_sources=[GeoNamesDump(["cities15000.zip"],
...                                   alternate_names="alternateNamesV2.zip")])
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path

from gazetteer.errors import GazetteerImportError
from gazetteer.place import Place
from gazetteer.sources._files import open_text
from gazetteer.sources._util import keep_name
from gazetteer.sources.base import NameLink, PlaceRecord, Record, Ref, file_sha256

__all__ = ["GeoNamesDump", "SKIPPED_LANGUAGES"]

#: isolanguage values that are not names: links, postcodes, airport and other codes.
SKIPPED_LANGUAGES = frozenset({"link", "post", "iata", "icao", "faac", "wkdt", "unlc",
                               "fr_1793", "tcid", "phon", "piny"})


class GeoNamesDump:
    """Records from GeoNames dump files.

    Parameters
    ----------
    places : path or iterable of paths
        ``allCountries``/``citiesNNN``/``XX`` tables (``.txt`` or ``.zip``).
    alternate_names : path, optional
        ``alternateNamesV2`` (``.txt`` or ``.zip``).
    admin1 : path, optional
        ``admin1CodesASCII.txt``.
    feature_classes : iterable of str, optional
        Keep only these feature classes (default: all).
    min_population : int
        Keep only populated places (class ``P``) with at least this population.
    """

    name = "geonames_dump"

    def __init__(self, places: str | Path | Iterable[str | Path] = (), *,
                 alternate_names: str | Path | None = None, admin1: str | Path | None = None,
                 feature_classes: Iterable[str] | None = None, min_population: int = 0) -> None:
        if isinstance(places, str | Path):
            places = [places]
        self.places = [Path(p) for p in places]
        self.alternate_names = Path(alternate_names) if alternate_names else None
        self.admin1 = Path(admin1) if admin1 else None
        self.feature_classes = frozenset(feature_classes) if feature_classes else None
        self.min_population = min_population

    def files(self) -> list[Path]:
        """The files it reads."""
        return [*self.places, *(p for p in (self.alternate_names, self.admin1) if p)]

    def spec(self) -> dict:
        """How to make this source again (recorded in the store, so that a
        rebuild of a stale store keeps it): see :mod:`gazetteer.sources.registry`.
        ``sha256`` records each file's checksum (what was read; not compared on open)."""
        from gazetteer.seal import digest

        def full(p):
            return str(p.resolve()) if p else None

        return {"type": "geonames_dump", "places": [full(p) for p in self.places],
                "alternate_names": full(self.alternate_names), "admin1": full(self.admin1),
                "feature_classes": sorted(self.feature_classes) if self.feature_classes
                else None, "min_population": self.min_population,
                # the SHA-256 of each file as it was built in (a record; not checked)
                "sha256": {full(p): digest(p) for p in self.files() if p.exists()}}

    @classmethod
    def from_spec(cls, spec: dict) -> GeoNamesDump:
        """The source :meth:`spec` describes (its ``sha256`` is a record, not an option)."""
        return cls(spec["places"], alternate_names=spec.get("alternate_names"),
                   admin1=spec.get("admin1"), feature_classes=spec.get("feature_classes"),
                   min_population=spec.get("min_population", 0))

    def version(self) -> str:
        for p in self.files():
            if not p.exists():
                raise GazetteerImportError(f"{p}: no such file")
        return file_sha256(*self.files())

    def records(self) -> Iterator[Record]:
        for path in self.places:
            yield from self._places(path)
        if self.admin1:
            yield from self._admin1(self.admin1)
        if self.alternate_names:
            yield from self._alternates(self.alternate_names)

    def _places(self, path: Path) -> Iterator[Record]:
        for line_no, cols in _rows(path, 19):
            try:
                fclass = cols[6]
                if self.feature_classes and fclass not in self.feature_classes:
                    continue
                population = int(cols[14] or 0)
                if fclass == "P" and population < self.min_population:
                    continue
                gid = int(cols[0])
                lat, lon = float(cols[4]), float(cols[5])
                if not (math.isfinite(lat) and math.isfinite(lon)
                        and -90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError(f"coordinates out of range: {lat}, {lon}")
            except ValueError as e:
                raise GazetteerImportError(f"{path}, line {line_no}: {e}") from e
            place = Place(id=gid, name=cols[1], lat=lat, lon=lon,
                          country_code=cols[8] or None, feature_class=fclass or "P",
                          feature_code=cols[7] or "PPL", population=population,
                          geonameid=gid, admin1=cols[10] or None, admin2=cols[11] or None,
                          source=self.name)
            names = [(cols[1], "name")]
            alts = (cols[2], *cols[3].split(","))
            names += [(a, "alternate") for a in alts if a and keep_name(a)]
            yield PlaceRecord(place, tuple(names))

    def _admin1(self, path: Path) -> Iterator[Record]:
        for line_no, cols in _rows(path, 4):
            try:
                ref = Ref("geonameid", int(cols[3]))
            except ValueError as e:
                raise GazetteerImportError(f"{path}, line {line_no}: {e}") from e
            for n in (cols[1], cols[2]):
                if n and keep_name(n):
                    yield NameLink(ref, n, "alternate")

    def _alternates(self, path: Path) -> Iterator[Record]:
        for line_no, cols in _rows(path, 10, at_least=8):
            lang, name = cols[2], cols[3]
            if lang in SKIPPED_LANGUAGES or not keep_name(name):
                continue
            try:
                ref = Ref("geonameid", int(cols[1]))
            except ValueError as e:
                raise GazetteerImportError(f"{path}, line {line_no}: {e}") from e
            if cols[7] == "1":
                kind = "historical"
            elif lang == "abbr":
                kind = "abbreviation"
            else:
                kind = "alternate"
            yield NameLink(ref, name, kind)


def _rows(path: Path, columns: int, at_least: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """``(line number, columns)`` of a tab-separated GeoNames file; ``#`` lines skipped."""
    with open_text(path) as f:
        for line_no, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if not (at_least or columns) <= len(cols) <= columns:
                raise GazetteerImportError(
                    f"{path}, line {line_no}: expected {columns} tab-separated columns, "
                    f"instead got {len(cols)}")
            yield line_no, cols + [""] * (columns - len(cols))
