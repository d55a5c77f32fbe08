"""The report run: the report notebook executed for one set of files, or one per file (batch)."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import FileProblem, InputError
from .html import export_html
from .runner import NotebookFailed, run_notebook

REPORT_NOTEBOOK = "02_reconciliation_report.ipynb"
EXIT_CODES = {"Complete": 0, "Errors": 1, "bad input": 2, "failed": 3}
REPORT_SUFFIXES = (".txt", ".tsv", ".gz", ".xml")


@dataclass(frozen=True)
class ReportRun:
    """One executed report: its status, exit code and files."""

    status: str
    html: Path | None
    executed: Path | None
    message: str = ""

    @property
    def exit_code(self) -> int:
        """0 Complete, 1 Errors, 2 bad input, 3 a cell failed."""
        return EXIT_CODES[self.status]


@dataclass(frozen=True)
class BatchRun:
    """Every report of a batch and its index page."""

    runs: tuple[tuple[Path, ReportRun], ...]
    index: Path

    @property
    def exit_code(self) -> int:
        """The worst exit code of the batch."""
        return max((run.exit_code for _, run in self.runs), default=0)


def _absolute(values: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key in ("config_path", "resolutions_path"):
        if out.get(key):
            out[key] = str(Path(out[key]).resolve())
    return out


def run_report_notebook(
    amazon: Sequence[Path], netsuite: Sequence[Path], out: Path, values: Mapping[str, Any], *, with_code: bool = False
) -> ReportRun:
    """Execute the report notebook on these files and export its HTML.

    Raises:
        FileProblem: an input file does not exist (checked before a kernel starts).
        NotebookInputError: the notebook refused the input.
        NotebookFailed: a cell failed otherwise (the partial notebook is kept).
    """
    for path in (*amazon, *netsuite, *(Path(values[k]) for k in ("config_path", "resolutions_path") if values.get(k))):
        if not Path(path).is_file():
            raise FileProblem(str(path), "file not found", "Check the path.")
    parameters = {
        **_absolute(values),
        "amazon_reports": [str(Path(p).resolve()) for p in amazon],
        "netsuite_exports": [str(Path(p).resolve()) for p in netsuite],
        "output_dir": str(Path(out).resolve()),
    }
    done = run_notebook(REPORT_NOTEBOOK, out, parameters)
    status = str((done.results or {}).get("status", "failed"))
    page = export_html(
        done.executed, Path(out) / "report.html", with_code=with_code, title=f"Settlement test report: {status}"
    )
    return ReportRun(status, page, done.executed)


def report_files(folder: Path) -> list[Path]:
    """Settlement report files in a batch folder, in name order."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.name.lower().endswith(REPORT_SUFFIXES)
    )


def run_batch(
    folder: Path, netsuite: Sequence[Path], out: Path, values: Mapping[str, Any], *, with_code: bool = False
) -> BatchRun:
    """One report per settlement file in ``folder``, each in its own sub-folder, and an index."""
    files = report_files(folder)
    if not files:
        raise InputError(f"{folder}: no settlement report files (*{', *'.join(REPORT_SUFFIXES)}) found")
    runs = []
    for path in files:
        target = Path(out) / path.name.replace(".", "_")
        try:
            run = run_report_notebook([path], netsuite, target, values, with_code=with_code)
        except NotebookFailed as exc:
            run = ReportRun("failed", None, exc.executed, str(exc))
        except InputError as exc:
            run = ReportRun("bad input", None, None, str(exc))
        runs.append((path, run))
    index = Path(out) / "index.html"
    index.write_text(_index_page(runs), encoding="utf-8")
    return BatchRun(tuple(runs), index)


def _index_page(runs: list[tuple[Path, ReportRun]]) -> str:
    rows = []
    for path, run in runs:
        link = f'<a href="{html.escape(run.html.parent.name)}/report.html">report</a>' if run.html else ""
        rows.append(
            f"<tr><td>{html.escape(path.name)}</td><td>{html.escape(run.status)}</td><td>{link}</td>"
            f"<td>{html.escape(run.message)}</td></tr>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Settlement test reports</title>'
        "</head><body><h1>Settlement test reports</h1><table><thead><tr><th>file</th><th>status</th>"
        "<th>report</th><th>message</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></body></html>\n"
    )
