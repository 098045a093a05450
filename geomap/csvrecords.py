"""CSV records that a malformed row cannot swallow.

A quote opened and never closed makes a CSV reader take the following lines
into the quoted field: the rows after it vanish into one record, which then
takes their last fields. :func:`records` reads with the :mod:`csv` module in
strict mode and knows the physical lines of each record, so such a record is
recognised by the error the strict reader raises where the runaway field ends:

* the end of the file inside a quoted field (``unexpected end of data``);
* a quote that closes the runaway field (in fact the opening quote of a later
  field) followed by more text (``',' expected after '"'``).

The record is then a :class:`BadRecord` naming its first line, and reading
starts again on the line after that one, so the rows it swallowed are read.
A quoted field that spans lines and closes properly (a multi-paragraph text)
is an ordinary :class:`Record`. A stray quote inside one line
(``a,"He said "hi"",b``) is read leniently, as the csv module's default
dialect does, since it loses no row.

Records are read line by line; a record longer than ``max_chars`` characters
is a :class:`BadRecord` (its lines are not kept in memory), and replaying lines
after runaway fields is bounded, so a file of unclosed quotes costs linear time.
"""

from __future__ import annotations

import csv
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

__all__ = ["Record", "BadRecord", "records"]

_EOF = "unexpected end of data"


@dataclass(frozen=True, slots=True)
class Record:
    """The fields of one CSV record and the lines (1-based) it spans."""

    fields: tuple[str, ...]
    first_line: int
    last_line: int

    @property
    def lines(self) -> str:
        """``"line 3"`` or ``"lines 3-5"``."""
        return _lines(self.first_line, self.last_line)


@dataclass(frozen=True, slots=True)
class BadRecord:
    """A record that could not be read, the lines it took, and why."""

    first_line: int
    last_line: int
    reason: str

    @property
    def lines(self) -> str:
        return _lines(self.first_line, self.last_line)


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


class _TooLarge(Exception):
    pass


class _Lines:
    """The physical lines of a stream, with line numbers, a size bound per
    record and lines to read again."""

    def __init__(self, stream: TextIO, max_chars: int):
        self.stream = stream
        self.max_chars = max_chars
        self.again: deque[tuple[int, str]] = deque()
        self.next_no = 1                 # number of the next line from the stream
        self.taken: list[tuple[int, str]] = []
        self.chars = 0                   # characters of the record so far
        self.read_chars = 0
        self.again_chars = 0
        self.last_no = 0

    def begin(self) -> int:
        """Start a record; return the number of its first line."""
        self.taken = []
        self.chars = 0
        return self.again[0][0] if self.again else self.next_no

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.again:
            no, line = self.again.popleft()
        else:
            line = self.stream.readline(self.max_chars + 1)
            if not line:
                raise StopIteration
            no = self.next_no
            self.next_no += 1
            self.read_chars += len(line)
            if len(line) > self.max_chars and not line.endswith(("\n", "\r")):
                self.last_no = no
                while line and not line.endswith(("\n", "\r")):   # drop the rest of it
                    line = self.stream.readline(self.max_chars + 1)
                    self.read_chars += len(line)
                raise _TooLarge
        self.last_no = no
        self.chars += len(line)
        if self.chars > self.max_chars:
            raise _TooLarge
        self.taken.append((no, line))
        return line

    def read_again(self, lines: list[tuple[int, str]]) -> None:
        self.again.extendleft(reversed(lines))
        self.again_chars += sum(len(line) for _, line in lines)

    def over_budget(self) -> bool:
        return self.again_chars > 4 * self.read_chars + (1 << 20)


def records(stream: TextIO, *, max_chars: int, **fmt) -> Iterator[Record | BadRecord]:
    """The records of the CSV text ``stream`` (opened with ``newline=""``).

    ``fmt`` are :mod:`csv` format parameters (``delimiter``...). Blank lines
    are records without fields.

    Examples
    --------
    >>> import io
    >>> text = 'doc,text\\na,"Talks in Geneva\\nb,Moscow said\\nc,"Two\\n\\nparagraphs."\\n'
    >>> for r in records(io.StringIO(text, newline=""), max_chars=1000):
    ...     print(r.lines, r.fields if isinstance(r, Record) else r.reason[:65])
    line 1 ('doc', 'text')
    line 2 unclosed quote: a quoted field opened on this line runs to line 4
    line 3 ('b', 'Moscow said')
    lines 4-6 ('c', 'Two\\n\\nparagraphs.')
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))    # the bound is max_chars
    lines = _Lines(stream, max_chars)
    reader = csv.reader(lines, strict=True, **fmt)
    while True:
        first = lines.begin()
        try:
            fields = next(reader)
        except StopIteration:
            return
        except _TooLarge:
            yield BadRecord(first, lines.last_no,
                            f"record larger than the size limit ({max_chars:,} characters)")
        except csv.Error as e:
            taken = lines.taken
            if len(taken) == 1 and str(e) != _EOF:          # a stray quote in one line
                yield Record(tuple(next(csv.reader([taken[0][1]], **fmt))), first, first)
                reader = csv.reader(lines, strict=True, **fmt)
                continue
            last = taken[-1][0] if taken else first
            where = "the end of the file" if str(e) == _EOF else f"line {last}"
            yield BadRecord(first, first, f"unclosed quote: a quoted field opened on this "
                                          f"line runs to {where}; the next line is read as "
                                          f"the next row")
        else:
            yield Record(tuple(fields), first, lines.last_no if lines.taken else first)
            continue
        # after a bad record: read again from the line after its first
        lines.read_again(lines.taken[1:])
        if lines.over_budget():
            yield BadRecord(first + 1, first + 1, "too many unclosed quotes before this line; "
                                                  "the rest of the file is not read")
            return
        reader = csv.reader(lines, strict=True, **fmt)
