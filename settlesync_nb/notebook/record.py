"""Results a notebook records for its callers, as a small custom output type.

The last cell of a settlesync notebook calls :func:`record_results`; the runner and the tests
read the value back from the executed notebook with :func:`read_results` (the approach of
recommenders; scrapbook is unmaintained). Values must be JSON-safe.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat

RESULTS_MIMETYPE = "application/vnd.settlesync.results+json"


def record_results(results: dict[str, Any]) -> None:
    """Display ``results`` as this notebook's machine-readable outcome."""
    from IPython.display import display

    json.dumps(results)  # fail here, in the notebook, if something is not JSON-safe
    display({RESULTS_MIMETYPE: results, "text/plain": f"settlesync results: {sorted(results)}"}, raw=True)


def read_results(notebook: str | Path | nbformat.NotebookNode) -> dict[str, Any] | None:
    """The results an executed notebook recorded (the last ones if several), or None."""
    node = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(str(notebook), as_version=4)
    found = None
    for cell in node.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULTS_MIMETYPE in data:
                found = dict(data[RESULTS_MIMETYPE])
    return found
