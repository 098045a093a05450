"""Open plain or zipped text files line by line."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gazetteer.errors import GazetteerImportError

__all__ = ["open_text"]


@contextmanager
def open_text(path: str | Path) -> Iterator[io.TextIOBase]:
    """Open ``path`` as UTF-8 text; a ``.zip`` opens its (first non-readme) ``.txt`` member."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                members = [n for n in z.namelist()
                           if n.endswith(".txt") and "readme" not in n.lower()]
                if not members:
                    raise GazetteerImportError(f"{path}: the zip holds no .txt file")
                with z.open(members[0]) as raw:
                    yield io.TextIOWrapper(raw, encoding="utf-8", newline="")
        else:
            with open(path, encoding="utf-8", newline="") as f:
                yield f
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError) as e:
        raise GazetteerImportError(f"{path}: cannot read it: {e}") from e
