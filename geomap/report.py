"""The run report: what happened to every input of a run.

Readers record each document they yield and each input (file, row, line)
they had to skip, with the reason; engines add the mention count. The CLI
prints :meth:`RunReport.summary` and writes :meth:`RunReport.to_dict` as JSON
(``--report FILE``), so nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RunReport", "Skipped"]


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be processed, and why.

    ``input`` names the file, and the row or line within it when there is one
    (``"news.csv: row 7"``).
    """

    input: str
    reason: str


@dataclass
class RunReport:
    """What happened to every input of a run.

    ``processed`` holds document ids, ``skipped`` the inputs that failed with
    their reasons, ``ignored`` the folder entries not read by design (a
    sub-folder, a file of another type) with their reasons, ``notes`` anything
    worth telling (a fallback encoding, bytes read as U+FFFD, a renamed
    duplicate id, a document split into chunks). Ignored entries do not make a
    run partial (:attr:`ok`); skipped ones do.

    Examples
    --------
    >>> r = RunReport()
    >>> r.processed.append("a"); r.skip("b.txt", "empty document"); r.mentions = 3
    >>> r.summary()
    '1 document processed, 1 skipped, 3 mentions'
    >>> r.ignore("in/photos", "sub-folder, not read"); r.summary()
    '1 document processed, 1 skipped, 1 not read, 3 mentions'
    """

    processed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mentions: int = 0
    engine: str | None = None
    seconds: float | None = None

    @property
    def ok(self) -> bool:
        return not self.skipped

    def skip(self, what, reason: str) -> None:
        self.skipped.append(Skipped(str(what), reason))

    def ignore(self, what, reason: str) -> None:
        self.ignored.append(Skipped(str(what), reason))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def to_dict(self) -> dict:
        out = {
            "processed": len(self.processed),
            "skipped": len(self.skipped),
            "mentions": self.mentions,
            "documents": list(self.processed),
            "errors": [{"input": s.input, "reason": s.reason} for s in self.skipped],
            "ignored": [{"input": s.input, "reason": s.reason} for s in self.ignored],
            "notes": list(self.notes),
        }
        if self.engine is not None:
            out["engine"] = self.engine
        if self.seconds is not None:
            out["seconds"] = round(self.seconds, 3)
        return out

    def summary(self) -> str:
        n = len(self.processed)
        ignored = f", {len(self.ignored)} not read" if self.ignored else ""
        return (f"{n} document{'s' if n != 1 else ''} processed, {len(self.skipped)} skipped"
                f"{ignored}, {self.mentions} mention{'s' if self.mentions != 1 else ''}")
