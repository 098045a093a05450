"""CSV cells that spreadsheets and CSV readers take as the data they are.

geomap's CSV output (``geomap extract --format csv``, ``geomap export --csv``)
holds text from untrusted documents: their file names, sources, URLs and
sentences. Two rules keep every cell data:

- **Text is quoted.** Every text cell is written in double quotes (a double
  quote in it doubled), numbers and missing values bare: a line break of any
  kind in a field (``\\n``, a lone ``\\r``, or any other character
  :meth:`str.splitlines` breaks on) stays inside its field for every CSV
  reader, and a record is one row.
- **Formulas are neutralised** (OWASP "CSV Injection"): a text cell that a
  spreadsheet would take for a formula, one that starts with ``=``, ``+``,
  ``-``, ``@`` (or their full-width forms), a tab or a carriage return, also
  after leading white space, is written with a single quote (``'``) before
  it, so it shows as text (:func:`neutralize`). Numbers (negative
  coordinates among them) are numbers and keep their sign. Writers take
  ``neutralize_formulas=False`` to write the raw values.

Examples
--------
>>> text_cell('=HYPERLINK("http://x", "y")')
'"\\'=HYPERLINK(""http://x"", ""y"")"'
>>> text_cell("Geneva\\rGenf"), text_cell("-2", neutralize_formulas=False)
('"Geneva\\rGenf"', '"-2"')
"""

from __future__ import annotations

__all__ = ["FORMULA_CHARS", "LINE_BREAKS", "PREFIX", "is_formula", "neutralize", "quote",
           "text_cell"]

#: First characters of a spreadsheet formula (OWASP), with the full-width
#: forms some spreadsheets also take.
FORMULA_CHARS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
#: The characters :meth:`str.splitlines` breaks a line at.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: What is put before a formula to make it text.
PREFIX = "'"

# first characters that need a closer look: formula characters and white space
_SUSPECT = FORMULA_CHARS | {chr(c) for c in range(0x3001) if chr(c).isspace()}


def is_formula(value: str) -> bool:
    """Would a spreadsheet take ``value`` for a formula?

    True when it starts with a tab or carriage return, or with one of
    :data:`FORMULA_CHARS` after any leading white space.

    Examples
    --------
    >>> is_formula("=1+1"), is_formula("  @SUM(A1)"), is_formula("\\tx"), is_formula("Kyiv")
    (True, True, True, False)
    """
    if not value or value[0] not in _SUSPECT:
        return False
    if value[0] in "\t\r":
        return True
    rest = value.lstrip()
    return bool(rest) and rest[0] in FORMULA_CHARS


def neutralize(value: str) -> str:
    """``value`` with :data:`PREFIX` before it when it is a formula (:func:`is_formula`).

    Examples
    --------
    >>> neutralize("-1+2"), neutralize("Kyiv")
    ("'-1+2", 'Kyiv')
    """
    return PREFIX + value if is_formula(value) else value


def quote(value: str) -> str:
    """``value`` as a quoted CSV field (RFC 4180: its double quotes doubled).

    Examples
    --------
    >>> quote('a "b" c')
    '"a ""b"" c"'
    """
    return '"' + value.replace('"', '""') + '"' if '"' in value else '"' + value + '"'


def text_cell(value: str, *, neutralize_formulas: bool = True) -> str:
    """A text value as a CSV cell: neutralised (unless asked not to), then quoted."""
    return quote(neutralize(value) if neutralize_formulas else value)
