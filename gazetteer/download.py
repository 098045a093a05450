"""Download GeoNames' per-country dumps, whole and checksummed.

GeoNames publishes, for each country ``XX`` (ISO 3166-1 alpha-2), the
places as ``<base>/XX.zip`` (holding ``XX.txt`` in the 19-column geoname
table format) and their alternate names as ``<base>/alternatenames/XX.zip``
(holding ``XX.txt`` in the ``alternateNamesV2`` format), both under the
CC BY 4.0 licence. The base is ``https://download.geonames.org/export/dump/``
unless ``$GEOMAP_GEONAMES_URL`` (or the ``base_url`` argument) names another
(a mirror, a local server in tests).

A download is read into a temporary file beside its destination while its
SHA-256 is computed; it is kept only when it is whole: the byte count the
server announced, a zip whose members' CRCs check, holding the expected
``.txt``, and, when a checksum is known, the same SHA-256. Anything else
raises :class:`~gazetteer.errors.DownloadError` naming the URL, the reason
and how to add the file by hand, and leaves nothing behind.

Examples
--------
>>> country_urls("ua", "https://download.geonames.org/export/dump/")
('https://download.geonames.org/export/dump/UA.zip', \
'https://download.geonames.org/export/dump/alternatenames/UA.zip')
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from gazetteer.atomic import atomic_path
from gazetteer.errors import DownloadError

__all__ = ["Download", "fetch", "base_url", "country_code", "country_urls", "by_hand",
           "read_checksums", "DEFAULT_BASE_URL", "BASE_URL_ENV"]

DEFAULT_BASE_URL = "https://download.geonames.org/export/dump/"
#: Environment variable that replaces :data:`DEFAULT_BASE_URL`.
BASE_URL_ENV = "GEOMAP_GEONAMES_URL"
_CHUNK = 1 << 16
_CODE = re.compile(r"[A-Za-z]{2}")


@dataclass(frozen=True, slots=True)
class Download:
    """A file downloaded whole.

    Attributes
    ----------
    url : str
        Where it was read from.
    path : Path
        Where it is now.
    sha256 : str
        Hex SHA-256 of the bytes read.
    size : int
        Number of bytes read.
    """

    url: str
    path: Path
    sha256: str
    size: int


def base_url(base: str | None = None) -> str:
    """The base URL of the dumps: ``base``, else ``$GEOMAP_GEONAMES_URL``, else GeoNames'.

    Only ``http`` and ``https`` URLs are taken; the result ends with ``/``.

    Examples
    --------
    >>> base_url("http://127.0.0.1:8000/dump")
    'http://127.0.0.1:8000/dump/'
    """
    url = base or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    if not url.lower().startswith(("http://", "https://")):
        raise DownloadError(f"Expected an http:// or https:// base URL for the GeoNames dumps "
                            f"(--base-url or ${BASE_URL_ENV}), instead got: {url!r}")
    return url if url.endswith("/") else url + "/"


def country_code(code: str) -> str:
    """``code`` as GeoNames names its files: two ASCII letters, upper case.

    Examples
    --------
    >>> country_code(" ps ")
    'PS'
    """
    text = code.strip()
    if not _CODE.fullmatch(text):
        raise DownloadError(f"Expected a country as two letters (ISO 3166-1 alpha-2, "
                            f"like UA or PS), instead got: {code!r}")
    return text.upper()


def country_urls(code: str, base: str | None = None) -> tuple[str, str]:
    """The URLs of a country's places and of its alternate names."""
    code, base = country_code(code), base_url(base)
    return f"{base}{code}.zip", f"{base}alternatenames/{code}.zip"


def by_hand(code: str, base: str | None = None) -> str:
    """How to add a country's dumps without this machine downloading them.

    Examples
    --------
    >>> print(by_hand("UA", "https://example.org/dump/"))  # doctest: +NORMALIZE_WHITESPACE
    Fetch https://example.org/dump/UA.zip and https://example.org/dump/alternatenames/UA.zip
    by hand (save the second as UA-alternatenames.zip), then run `geomap gazetteer add
    --geonames-dump UA.zip --alternate-names UA-alternatenames.zip` (or build them in with
    `geomap gazetteer build --geonames-dump UA.zip --alternate-names UA-alternatenames.zip`).
    """
    code = country_code(code)
    places, alternates = country_urls(code, base)
    files = f"--geonames-dump {code}.zip --alternate-names {code}-alternatenames.zip"
    return (f"Fetch {places} and {alternates} by hand (save the second as "
            f"{code}-alternatenames.zip), then run `geomap gazetteer add {files}` "
            f"(or build them in with `geomap gazetteer build {files}`).")


def read_checksums(path: str | os.PathLike) -> dict[str, str]:
    """Known SHA-256s from a file in ``sha256sum`` format (``HEX  NAME`` a line).

    Names are as in the URL below the base: ``UA.zip``, ``alternatenames/UA.zip``.

    Examples
    --------
    >>> read_checksums("SHA256SUMS")                        # doctest: +SKIP
    {'UA.zip': '9f86d0...', 'alternatenames/UA.zip': '60303a...'}
    """
    sums: dict[str, str] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise DownloadError(f"{path}: cannot read the checksums: {e}") from e
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = re.fullmatch(r"([0-9a-fA-F]{64}) [ *]?(\S.*)", line.strip())
        if not m:
            raise DownloadError(f"{path}, line {n}: expected 'SHA256  NAME' (sha256sum "
                                f"format), instead got: {line[:80]!r}")
        sums[m.group(2).strip().removeprefix("./")] = m.group(1).lower()
    return sums


def fetch(url: str, dest: str | os.PathLike, *, member: str | None = None,
          sha256: str | None = None, progress: bool = False, timeout: float = 60.0,
          advice: str = "") -> Download:
    """Download ``url`` to ``dest``, whole, or raise and leave ``dest`` as it was.

    Parameters
    ----------
    url : str
        An ``http``/``https`` URL of a zip file.
    dest : path-like
        Where to keep it (its folder is created). Replaced only by a whole file.
    member : str, optional
        The ``.txt`` file the zip must hold (``"UA.txt"``).
    sha256 : str, optional
        The known SHA-256 (hex); a download with another is refused.
    progress : bool
        Show a tqdm bar (only when stderr is a terminal).
    timeout : float
        Seconds to wait for the server (connecting, or between two reads).
    advice : str
        Appended to the error message (how to add the file by hand).

    Raises
    ------
    DownloadError
        Offline or the server unreachable, an HTTP error, fewer bytes than
        announced, a damaged zip, a missing member, a checksum that differs.

    Examples
    --------
    >>> fetch("http://127.0.0.1:8000/UA.zip", "UA.zip").sha256[:8]     # doctest: +SKIP
    '3b5a2c1e'
    """
    import urllib.error
    import urllib.request

    dest = Path(dest)
    # dest gets the file only when the block ends without an error: whole, checked
    with atomic_path(dest, suffix=".part") as tmp:
        with open(tmp, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    size, digest = _copy(response, out, url, progress)
            except urllib.error.HTTPError as e:
                raise _failed(url, f"the server answered HTTP {e.code} {e.reason}",
                              advice) from e
            except urllib.error.URLError as e:
                raise _failed(url, f"cannot reach the server ({e.reason}); is this machine "
                                   "offline?", advice) from e
            except (OSError, ValueError) as e:          # timeouts, resets, IncompleteRead
                raise _failed(url, f"the transfer broke off ({e})", advice) from e
        if sha256 is not None and digest != sha256.lower():
            raise _failed(url, f"its SHA-256 is {digest}, the known one is {sha256.lower()}",
                          advice)
        _check_zip(tmp, url, member, advice)
    return Download(url, dest, digest, size)


def _copy(response, out, url: str, progress: bool) -> tuple[int, str]:
    """Copy the response body to ``out``; ``(bytes read, SHA-256 hex)``."""
    from tqdm import tqdm

    announced = response.headers.get("Content-Length")
    total = int(announced) if announced and announced.isdigit() else None
    h = hashlib.sha256()
    size = 0
    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, mininterval=0.3,
              desc="/".join(url.split("/")[-2:]),
              disable=not (progress and sys.stderr.isatty()), leave=False) as bar:
        while chunk := response.read(_CHUNK):
            h.update(chunk)
            out.write(chunk)
            size += len(chunk)
            bar.update(len(chunk))
    if total is not None and size != total:
        raise OSError(f"{size:,} of the {total:,} bytes announced were read")
    return size, h.hexdigest()


def _check_zip(path: Path, url: str, member: str | None, advice: str) -> None:
    """A zip whose members' CRCs all check and that holds ``member``."""
    try:
        with zipfile.ZipFile(path) as z:
            bad = z.testzip()
            names = z.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise _failed(url, f"it is not a whole zip file ({e})", advice) from e
    if bad is not None:
        raise _failed(url, f"the zip's member {bad} is damaged (its CRC differs)", advice)
    if member is not None and member not in names:
        raise _failed(url, f"the zip holds no {member} (it holds {', '.join(names[:5])})",
                      advice)


def _failed(url: str, reason: str, advice: str) -> DownloadError:
    message = f"Could not download {url}: {reason}. The gazetteer store is unchanged."
    return DownloadError(f"{message} {advice}" if advice else message)
