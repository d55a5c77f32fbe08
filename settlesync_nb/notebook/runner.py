"""Executing our notebooks unattended with papermill, into an output folder.

The source notebook is never written to: papermill writes the executed copy into the output
folder (also when a cell fails, so the partial notebook can be inspected). A failing cell
becomes a :class:`NotebookFailed` naming the cell; a failure caused by bad input (an
``InputError`` raised inside the notebook) becomes :class:`NotebookInputError` (exit 2).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, SettleSyncError
from . import params
from .record import read_results

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = PROJECT_ROOT / "notebooks"
KERNEL = "python3"
KERNEL_MANAGER = "settlesync_nb.notebook.kernel.LocalKernelManager"


class NotebookFailed(SettleSyncError):
    """A cell raised; the partial notebook is kept at ``executed``; ``cell`` is 1-based."""

    def __init__(self, notebook: Path, executed: Path, cell: int, source: str, ename: str, evalue: str) -> None:
        self.notebook, self.executed, self.cell = notebook, executed, cell
        self.ename, self.evalue = ename, evalue
        first = next((line for line in source.splitlines() if line.strip()), "")[:80]
        super().__init__(
            f"{notebook.name}: cell {cell} ({first!r}) failed with {ename}: {evalue}\n"
            f"The partial notebook is at {executed}"
        )


class NotebookInputError(NotebookFailed, InputError):
    """A cell failed because of bad input (exit 2)."""


@dataclass(frozen=True)
class NotebookRun:
    """An executed notebook and what it recorded."""

    executed: Path
    results: dict[str, Any] | None


def _names(cls: type) -> set[str]:
    """Names of ``cls`` and its subclasses: an error raised in the kernel arrives by name."""
    names = {cls.__name__}
    subclasses: list[type] = cls.__subclasses__()
    for sub in subclasses:
        names |= _names(sub)
    return names


def _cell_number(notebook: Path, failed_source: str, executed_index: int) -> int:
    """1-based position of the failed cell in the source notebook (papermill counts the cell it
    injects for the parameters)."""
    import nbformat

    sources = [cell.source for cell in nbformat.read(str(notebook), as_version=4).cells]
    return sources.index(failed_source) + 1 if failed_source in sources else executed_index


def resolve_notebook(name: str | Path) -> Path:
    """A notebook by path, or by name in the project's ``notebooks/`` folder."""
    path = Path(name)
    if path.is_file():
        return path
    for candidate in (NOTEBOOKS / path.name, NOTEBOOKS / f"{path.name}.ipynb"):
        if candidate.is_file():
            return candidate
    available = ", ".join(sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))) or "none"
    raise InputError(f"notebook {str(name)!r} not found (notebooks in {NOTEBOOKS}: {available})")


def run_notebook(
    notebook: str | Path, out: str | Path, parameters: Mapping[str, Any] | None = None, *, progress: bool | None = None
) -> NotebookRun:
    """Execute ``notebook`` with checked ``parameters``; the executed copy goes into ``out``.

    Raises:
        UsageError: unknown, missing or mistyped parameters (nothing is run).
        NotebookInputError: a cell failed on bad input.
        NotebookFailed: a cell failed otherwise.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = resolve_notebook(notebook)
    values = params.check(source, dict(parameters or {}))
    folder = Path(out).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    executed = folder / source.name
    try:
        papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=values,
            kernel_name=KERNEL,
            cwd=str(folder),
            progress_bar=sys.stderr.isatty() if progress is None else progress,
            log_output=False,
            kernel_manager_class=KERNEL_MANAGER,
        )
    except PapermillExecutionError as exc:
        kind = NotebookInputError if exc.ename in _names(InputError) else NotebookFailed
        raise kind(
            source, executed, _cell_number(source, exc.source, exc.cell_index), exc.source, exc.ename, exc.evalue
        ) from None
    return NotebookRun(executed, read_results(executed))
