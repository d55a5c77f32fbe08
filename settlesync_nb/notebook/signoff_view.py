"""Opening the sign-off panel from a notebook or the Voila app."""

from __future__ import annotations

import os
from pathlib import Path

from ..signoff import SignoffService
from ..widgets.signoff_panel import SignoffPanel
from .inputs import demo_folder
from .report_view import run_report

RUN_ENV = "SETTLESYNC_RUN"  # the run folder the Voila app opens (a path, not a secret)


def choose_run(run_dir: str) -> Path:
    """The run folder: the parameter, else ``$SETTLESYNC_RUN``, else a reconciliation of the demo data."""
    chosen = run_dir or os.environ.get(RUN_ENV, "")
    if chosen:
        return Path(chosen)
    folder = demo_folder().with_name(demo_folder().name + "-run")
    if not (folder / "test_report.json").is_file():
        run_report([], [], output_dir=str(folder))
    return folder


def open_panel(run_dir: str = "") -> SignoffPanel:
    """The sign-off panel for a run; the database is ``$SETTLESYNC_DB`` or ``<run>/settlesync.db``."""
    run = choose_run(run_dir)
    return SignoffPanel(SignoffService.open(run), run)
