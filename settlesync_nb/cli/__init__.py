"""Command line: thin wrappers over the settlesync Python API (see ``settlesync --help``)."""

from __future__ import annotations

from . import load_cmds, reconcile_cmd, report_cmd, signoff_cmd  # noqa: F401  (registers the commands)
from .app import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, cli, main, run

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_OK", "cli", "main", "run"]
