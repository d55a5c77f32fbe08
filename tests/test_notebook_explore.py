"""The explore notebook runs under papermill with parameters and records what it found."""

from __future__ import annotations

from pathlib import Path

from settlesync_nb.demo import write_demo
from settlesync_nb.notebook.runner import run_notebook
from settlesync_nb.pipeline import reconcile_files


def test_explore_notebook_records_the_reconciliation(tmp_path: Path) -> None:
    """Run with explicit files and a tolerance, the notebook's results equal a direct reconciliation."""
    demo = write_demo(tmp_path / "demo")
    done = run_notebook(
        "01_explore_settlement",
        tmp_path / "run",
        {
            "amazon_reports": [str(p) for p in demo.amazon],
            "netsuite_exports": [str(p) for p in demo.netsuite],
            "tolerance": "0.01",
        },
    )
    expected = reconcile_files(demo.amazon, demo.netsuite, tolerance="0.01")
    assert done.results is not None
    assert done.results["status"] == expected.status
    assert done.results["counts"] == expected.counts
    assert done.results["counts"]["amount_mismatch"] == 1  # the one-cent rounding case is tolerated
    assert done.executed == (tmp_path / "run" / "01_explore_settlement.ipynb").resolve()
