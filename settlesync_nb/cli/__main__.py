"""``python -m settlesync_nb.cli`` runs the command line."""

from .app import run

run()
