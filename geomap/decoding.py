"""Decoding: the characters of a file whose encoding nobody declared.

The rule, in order:

1. a byte-order mark names the encoding (UTF-8, UTF-16, UTF-32);
2. NUL bytes in the first 8 KiB: UTF-16 or UTF-32 without a mark when the
   NULs fall in the pattern of mostly Latin text in that encoding (every
   second byte, or three of every four), else the file is binary and refused;
3. valid UTF-8 is UTF-8;
4. *mostly* UTF-8 is UTF-8: when there is a valid multi-byte UTF-8 sequence
   and at most three undecodable bytes for each (:func:`mostly_utf8`), the bad
   bytes are read as U+FFFD and counted. A legacy text (Windows-1252,
   -1251...) has almost no valid multi-byte UTF-8 sequence
   (``benchmarks/bench_decoding.py`` measures both sides);
5. else the encoding charset-normalizer finds (Windows-1252 among equally
   good guesses); bytes it cannot decode are also read as U+FFFD and counted.

So decoding never fails on text: a byte that no rule decodes is one U+FFFD,
and :attr:`Decoded.replaced` (or, for tables, the row's note) says how many.
Tables are decoded as a stream with the same rule, judged on their first
megabyte that has any non-ASCII byte (:func:`sniff_encoding`).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import BinaryIO

from geomap.errors import InputError

__all__ = ["Decoded", "decode", "sniff_encoding", "mostly_utf8", "replace_escaped",
           "replace_surrogates", "ESCAPE", "SNIFF_BYTES"]

#: The error handler that keeps each undecodable byte ``b`` as the lone
#: surrogate U+DC00+b, which no valid decoding produces; :func:`replace_escaped`
#: counts them and turns them into U+FFFD.
ESCAPE = "geomap-escape"
#: How much of a table its encoding is judged on (the first such piece with a
#: non-ASCII byte).
SNIFF_BYTES = 1 << 20

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_BOM_STARTS = frozenset(bom[:1] for bom, _ in _BOMS)   # (most files start otherwise)
_ESCAPED = re.compile("[\udc00-\udcff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# controls that do not occur in text (tab, line breaks and form feed do)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_WIDE = ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be")


def _escape(err: UnicodeError):
    if not isinstance(err, UnicodeDecodeError):
        raise err
    bad = err.object[err.start:err.end]
    return "".join(chr(0xDC00 + b) for b in bad), err.end


codecs.register_error(ESCAPE, _escape)


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the encoding it was read as, and how many undecodable
    bytes became U+FFFD.

    Examples
    --------
    >>> Decoded("Genève", "cp1252").replaced
    0
    """

    text: str
    encoding: str
    replaced: int = 0


def decode(raw: bytes) -> Decoded:
    """Decode the bytes of a text file by the rule of this module.

    ``encoding`` is ``"utf-8"`` for UTF-8 with or without a byte-order mark.

    Raises
    ------
    InputError
        Binary data: NUL bytes that are not UTF-16/32 text.

    Examples
    --------
    >>> decode("Genève".encode("cp1252"))
    Decoded(text='Genève', encoding='cp1252', replaced=0)
    >>> decode("Genève, Zürich, São Paulo ".encode("utf-8") + b"\\x92")
    Decoded(text='Genève, Zürich, São Paulo �', encoding='utf-8', replaced=1)
    >>> decode("Talks in Genève".encode("utf-16-le")).encoding
    'utf-16-le'
    """
    if raw[:1] in _BOM_STARTS:
        for bom, enc in _BOMS:
            if raw.startswith(bom):
                return _decoded(raw, enc, "utf-8" if enc == "utf-8-sig" else enc)
    if raw.find(b"\x00", 0, 8192) >= 0:          # (a NUL in the first 8 KiB)
        wide = _wide_encoding(raw[:8192])
        if wide is None:
            raise InputError("binary file (contains NUL bytes), not text")
        return _decoded(raw, wide, wide)
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", ESCAPE)
    text, bad = replace_escaped(text)
    if mostly_utf8(bad, _non_ascii(text) - bad):
        return Decoded(text, "utf-8", bad)
    enc = _detect(raw[:SNIFF_BYTES])
    return _decoded(raw, enc, enc)


def _decoded(raw: bytes, codec: str, name: str) -> Decoded:
    text, bad = replace_escaped(raw.decode(codec, ESCAPE))
    return Decoded(text, name, bad)


def _non_ascii(text: str) -> int:
    """How many characters of ``text`` are not ASCII."""
    return len(text) - len(text.encode("ascii", "ignore"))


def mostly_utf8(invalid: int, valid_multibyte: int) -> bool:
    """Whether bytes with ``invalid`` undecodable bytes and ``valid_multibyte``
    well-formed multi-byte UTF-8 sequences are UTF-8 with a few bad bytes.

    They are when there is at least one valid sequence and at most three bad
    bytes for each. A legacy code page almost never forms a valid sequence (a
    lead byte from 0xC2 to 0xF4 followed by the right number of bytes from 0x80
    to 0xBF), while a UTF-8 text damaged here and there keeps its accented
    letters and punctuation. Measured by ``benchmarks/bench_decoding.py`` on the
    development news and GeoNames place names: legacy texts (Windows-1252, -1250,
    -1251, ISO-8859-2) have no valid sequence or at least 11 bad bytes per valid
    one; UTF-8 texts with 1 to 3 stray bytes have at most 3.

    Examples
    --------
    >>> mostly_utf8(1, 3), mostly_utf8(3, 1), mostly_utf8(1, 0), mostly_utf8(40, 2)
    (True, True, False, False)
    """
    return valid_multibyte > 0 and invalid <= 3 * valid_multibyte


def replace_escaped(text: str) -> tuple[str, int]:
    """``text`` decoded with :data:`ESCAPE`, its escaped bytes as U+FFFD; and their count.

    Examples
    --------
    >>> replace_escaped(b"Z\\xfcrich".decode("utf-8", ESCAPE))
    ('Z�rich', 1)
    """
    if text.isascii():
        return text, 0
    return _ESCAPED.subn("\ufffd", text)


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates (which cannot be written as UTF-8) as U+FFFD.

    Python strings can hold them: file names read with ``surrogateescape``,
    JSON escapes such as ``"\\ud800"``.

    Examples
    --------
    >>> replace_surrogates("Gen\\udce8ve")
    ('Gen�ve', 1)
    """
    if text.isascii():
        return text, 0
    try:
        # strict UTF-8 refuses exactly the surrogates, and finds there are
        # none many times faster than the pattern's scan
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.subn("\ufffd", text)
    return text, 0


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16 or UTF-32 (byte order) when the NULs of ``head`` fall as in such text."""
    for enc in _WIDE:
        width = 4 if enc.startswith("utf-32") else 2
        n = len(head) // width
        if n < 2:
            continue
        units = [head[i::width][:n] for i in range(width)]
        zero = [u.count(0) / n for u in units]
        if width == 4:
            highs = zero[2:] if enc.endswith("le") else zero[:2]
            low = zero[0] if enc.endswith("le") else zero[3]
            fits = min(highs) >= 0.9 and low <= 0.05
        else:
            high, low = (zero[1], zero[0]) if enc.endswith("le") else (zero[0], zero[1])
            fits = high >= 0.1 and low <= 0.01
        if fits and _plausible(head[:n * width], enc):
            return enc
    return None


def _plausible(sample: bytes, enc: str) -> bool:
    """Whether ``sample`` decodes in ``enc`` to text: few bad units, almost no controls."""
    text = sample.decode(enc, ESCAPE)
    bad = len(_ESCAPED.findall(text)) + len(_CONTROLS.findall(text))
    return bad <= max(1, len(text) // 100)


def _detect(raw: bytes) -> str:
    """The most likely legacy encoding of ``raw`` (charset-normalizer), default cp1252."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return "cp1252"
    results = list(from_bytes(raw, cp_exclusion=["utf_8", "utf_16", "utf_16_be", "utf_16_le",
                                                 "utf_32", "utf_32_be", "utf_32_le"]))
    if not results:
        return "cp1252"
    best = results[0]
    # Short texts give ties: prefer Windows-1252, the usual legacy encoding of news.
    for r in results:
        if (r.encoding == "cp1252" and r.chaos <= best.chaos + 0.01
                and r.coherence >= best.coherence - 0.1):
            return "cp1252"
    return best.encoding


def sniff_encoding(fh: BinaryIO) -> str:
    """The codec to read the table file ``fh`` with (``errors=ESCAPE``), by the
    rule of :func:`decode` judged on the file's start (byte-order mark, NULs)
    and its first megabyte with a non-ASCII byte. ``fh`` is left at the start.

    Raises
    ------
    InputError
        Binary data.

    Examples
    --------
    >>> import io
    >>> sniff_encoding(io.BytesIO(b"text\\n" * 300_000 + "Genève\\n".encode("cp1252")))
    'cp1252'
    """
    head = fh.read(SNIFF_BYTES)
    try:
        if head[:1] in _BOM_STARTS:
            for bom, enc in _BOMS:
                if head.startswith(bom):
                    return enc
        if b"\x00" in head[:8192]:
            wide = _wide_encoding(head[:8192])
            if wide is None:
                raise InputError("binary file (contains NUL bytes), not text")
            return wide
        sample = head
        while sample.isascii():
            chunk = fh.read(SNIFF_BYTES)
            if not chunk:
                return "utf-8"
            sample = chunk[chunk.find(b"\n") + 1:] if b"\n" in chunk[:4096] else chunk
        # a character cut by the sample's end stays in the decoder, uncounted
        text = codecs.getincrementaldecoder("utf-8")(ESCAPE).decode(sample, final=False)
        bad = len(_ESCAPED.findall(text))
        if bad == 0 or mostly_utf8(bad, _non_ascii(text) - bad):
            return "utf-8"
        return _detect(sample)
    finally:
        fh.seek(0)
