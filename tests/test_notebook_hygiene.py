"""Notebooks are thin, parameterised and committed without outputs (HOUSE_STYLE)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
MAX_CELL_LINES = 10


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request: pytest.FixtureRequest) -> tuple[Path, nbformat.NotebookNode]:
    path: Path = request.param
    return path, nbformat.read(str(path), as_version=4)


def test_there_are_notebooks() -> None:
    """The design's notebooks exist."""
    assert {p.name for p in NOTEBOOKS} >= {"01_explore_settlement.ipynb", "02_reconciliation_report.ipynb"}


def test_exactly_one_parameters_cell_of_typed_literals(notebook: tuple[Path, nbformat.NotebookNode]) -> None:
    """One cell is tagged parameters; each line is `name: type = literal  # help`."""
    _, node = notebook
    tagged = [c for c in node.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for line in tagged[0].source.splitlines():
        code, _, help_text = line.partition("  # ")
        statement = ast.parse(code).body[0]
        assert isinstance(statement, ast.AnnAssign) and statement.value is not None, line
        ast.literal_eval(statement.value)
        assert help_text.strip(), f"no help text: {line}"


def test_no_outputs_and_no_execution_counts(notebook: tuple[Path, nbformat.NotebookNode]) -> None:
    """Notebooks are stored stripped."""
    _, node = notebook
    for cell in node.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def test_nbstripout_verifies(notebook: tuple[Path, nbformat.NotebookNode]) -> None:
    """nbstripout would change nothing (tags are kept)."""
    path, _ = notebook
    done = subprocess.run(
        [sys.executable, "-m", "nbstripout", "--verify", str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_cells_are_thin(notebook: tuple[Path, nbformat.NotebookNode]) -> None:
    """No function or class definitions, and no code cell over ten lines: logic lives in the package."""
    _, node = notebook
    for cell in node.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        assert not any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda) for n in ast.walk(tree)
        ), cell.source
        assert len(cell.source.splitlines()) <= MAX_CELL_LINES, cell.source


def test_last_cell_records_results(notebook: tuple[Path, nbformat.NotebookNode]) -> None:
    """The last code cell records the notebook's results for callers and tests."""
    _, node = notebook
    last = [c for c in node.cells if c.cell_type == "code"][-1]
    assert "record_results(" in last.source
