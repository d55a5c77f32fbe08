"""One root exception and the specific errors settlesync raises.

Every error a user can cause is an :class:`InputError` (bad file, bad option) and carries the
fields a caller needs to act on it; the CLI turns them into one message and exit code 2.
Anything else escaping is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_LISTED_PROBLEMS = 20


class SettleSyncError(Exception):
    """Root of every exception settlesync raises on purpose."""


class InputError(SettleSyncError):
    """The input (a file, an option, a parameter) is wrong; the user can fix it."""


class UsageError(InputError):
    """An option or parameter has an invalid value."""


class ConfigError(InputError):
    """A configuration file is unreadable or holds an invalid setting."""


@dataclass(frozen=True)
class RowProblem:
    """One bad row: where it is, what was found, what was expected."""

    file: str
    line: int
    column: str
    found: str
    expected: str

    def describe(self) -> str:
        found = self.found if len(self.found) <= 60 else self.found[:57] + "..."
        where = f"{self.file}: line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: found {found!r}, expected {self.expected}"


class FileProblem(InputError):
    """A whole file is unusable (empty, wrong kind, unreadable)."""

    def __init__(self, file: str, problem: str, hint: str) -> None:
        self.file = file
        self.problem = problem
        self.hint = hint
        super().__init__(f"{file}: {problem}. {hint}")


class RowErrors(InputError):
    """Every row problem found in one load, raised once (nothing is silently dropped)."""

    def __init__(self, problems: Sequence[RowProblem], hint: str = "", total: int | None = None) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: (p.file, p.line, p.column)))
        self.total = max(total or 0, len(self.problems))
        self.hint = hint
        shown = [p.describe() for p in self.problems[:MAX_LISTED_PROBLEMS]]
        more = self.total - len(shown)
        lines = [f"{self.total} bad row(s):", *("  " + s for s in shown)]
        if more:
            lines.append(f"  ... and {more} more")
        if hint:
            lines.append(hint)
        super().__init__("\n".join(lines))


class MissingColumns(InputError):
    """Required columns are absent from a tabular file."""

    def __init__(self, file: str, missing: Sequence[str], found: Sequence[str], hint: str) -> None:
        self.file = file
        self.missing = tuple(missing)
        self.found = tuple(found)
        super().__init__(
            f"{file}: missing required column(s) {', '.join(map(repr, missing))}. "
            f"Columns in file: {', '.join(map(repr, found))}. {hint}"
        )
