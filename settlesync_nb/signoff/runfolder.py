"""Reading a run folder for sign-off: its test report, its identity, and its input files now.

A run is identified by the sha256 of its ``test_report.json`` bytes: the same report is the
same run wherever the folder is; a report written again (other inputs, settings or resolutions
file) is a new run that needs its own approval.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FileProblem
from ..io.source import file_sha256
from .facts import InputRecord, InputState, ReportFacts

REPORT_FILE = "test_report.json"
RUN_HINT = "Pass the output folder of `settlesync reconcile` or `report`."
REQUIRED_KEYS = ("error_items", "suggested_checks", "inputs", "fingerprint")


@dataclass(frozen=True)
class RunFolder:
    """A run folder as read now."""

    path: Path  # absolute
    report: dict[str, Any]
    report_text: str
    facts: ReportFacts

    @property
    def run_id(self) -> str:
        """sha256 of test_report.json."""
        return self.facts.run_id


def read_run(run_dir: str | Path) -> RunFolder:
    """Read a run folder's test report (once: the bytes hashed are the bytes parsed).

    Raises:
        FileProblem: not a folder, no test report, or one this version cannot use.
    """
    folder = Path(run_dir)
    if not folder.is_dir():
        raise FileProblem(str(folder), "is not a folder", RUN_HINT)
    path = folder / REPORT_FILE
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem(str(path), "not found", RUN_HINT) from None
    try:
        text = data.decode("utf-8")
        report = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FileProblem(str(path), f"is not valid JSON ({exc})", "Run the reconciliation again.") from None
    if not isinstance(report, dict):
        raise FileProblem(str(path), "is not a test report object", "Run the reconciliation again.")
    missing = [k for k in REQUIRED_KEYS if k not in report]
    if missing:
        raise FileProblem(
            str(path),
            f"lacks {', '.join(missing)} (written by an older settlesync)",
            "Run the reconciliation again with this version.",
        )
    run_id = hashlib.sha256(data).hexdigest()
    return RunFolder(folder.resolve(), report, text, ReportFacts.from_report(report, run_id))


def candidates(path: str, run_dir: Path, cwd: Path) -> list[Path]:
    """Where a listed input may be: as given (absolute), else under ``cwd``, then the run's parent."""
    given = Path(path)
    if given.is_absolute():
        return [given]
    out: list[Path] = []
    for base in (cwd, run_dir.parent):
        place = (base / given).resolve()
        if place not in out:
            out.append(place)
    return out


def input_states(inputs: Iterable[InputRecord], run_dir: Path, cwd: Path) -> tuple[InputState, ...]:
    """Each listed input and its sha256 now.

    Paths in test_report.json are as given on the command line, so a relative one is looked for
    under the current directory, then beside the run folder. A candidate with the recorded
    content wins; else the first that exists is reported as changed; else the file is missing.
    """
    out = []
    for item in inputs:
        found: tuple[str, Path] | None = None
        for place in candidates(item.path, run_dir, cwd):
            if not place.is_file():
                continue
            digest = file_sha256(place)
            if digest == item.sha256:
                found = (digest, place)
                break
            found = found or (digest, place)
        out.append(
            InputState(
                path=item.path,
                role=item.role,
                expected=item.sha256,
                found=found[0] if found else None,
                location=str(found[1]) if found else None,
            )
        )
    return tuple(out)
