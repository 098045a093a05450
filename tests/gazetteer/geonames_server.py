"""GeoNames per-country dumps written from rows, served by a real HTTP server on 127.0.0.1.

Shared by ``test_add.py`` and ``tests/geomap/test_cli_gazetteer.py``. The files
are in GeoNames' exact formats: ``XX.zip`` holds ``XX.txt`` (19 tab-separated
columns, the geoname table) and ``readme.txt``; ``alternatenames/XX.zip``
holds ``XX.txt`` (10 columns, alternateNamesV2).
"""

from __future__ import annotations

import http.server
import threading
import zipfile
from contextlib import contextmanager
from functools import partial
from pathlib import Path

__all__ = ["geoname", "alternate", "write_country", "serve", "closed_port"]


def geoname(gid, name, lat, lon, country, *, fclass="P", fcode="PPL", admin1="", admin2="",
            population=0, alternates=(), ascii_name=None) -> str:
    """One line of the geoname table (19 columns, no line break)."""
    cols = [str(gid), name, ascii_name if ascii_name is not None else name,
            ",".join(alternates), f"{lat:.5f}", f"{lon:.5f}", fclass, fcode, country, "",
            admin1, admin2, "", "", str(population), "", "100", "Europe/Kyiv", "2024-05-01"]
    assert len(cols) == 19
    return "\t".join(cols)


def alternate(alt_id, gid, lang, name, *, preferred="", short="", colloquial="",
              historic="") -> str:
    """One line of alternateNamesV2 (10 columns, no line break)."""
    cols = [str(alt_id), str(gid), lang, name, preferred, short, colloquial, historic, "", ""]
    return "\t".join(cols)


def write_country(root: Path, code: str, places: list[str], alternates: list[str]) -> None:
    """``root/XX.zip`` and ``root/alternatenames/XX.zip`` from the lines given."""
    (root / "alternatenames").mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(root / f"{code}.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{code}.txt", "".join(line + "\n" for line in places))
        z.writestr("readme.txt", "readme for the GeoNames country dump test fixture\n")
    with zipfile.ZipFile(root / "alternatenames" / f"{code}.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{code}.txt", "".join(line + "\n" for line in alternates))


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the folder; ``/short/...`` announces the whole file but sends half of it."""

    def do_GET(self):
        if self.path.startswith("/short/"):
            target = Path(self.directory) / self.path.removeprefix("/short/")
            if not target.is_file():
                self.send_error(404)
                return
            data = target.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@contextmanager
def serve(root: Path):
    """Serve ``root`` on 127.0.0.1 (a free port) in a thread; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
