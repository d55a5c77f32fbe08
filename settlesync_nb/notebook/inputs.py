"""Default inputs for notebooks: the built-in demo data when no files are given.

Every notebook runs top to bottom with its default parameters; empty file lists mean the demo
data set, written once into a cache folder (it is deterministic, so it is reused; a folder is
completed before it is renamed into place, so concurrent first runs do not see half a data set).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import UsageError

DEMO_SEED = 7


def demo_folder() -> Path:
    """Where the demo data set is cached (under the system temp folder)."""
    from importlib.metadata import version

    return Path(tempfile.gettempdir()) / f"settlesync-demo-{version('settlesync')}-seed{DEMO_SEED}"


def demo_inputs() -> tuple[list[Path], list[Path]]:
    """The demo data set's report and export files, written on first use."""
    import os
    import shutil

    from ..demo import write_demo

    folder = demo_folder()
    if not (folder / "expected.json").is_file():
        partial = folder.with_name(f"{folder.name}.{os.getpid()}.partial")
        write_demo(partial, seed=DEMO_SEED)
        try:
            partial.rename(folder)
        except OSError:  # another run finished first: use its copy
            shutil.rmtree(partial, ignore_errors=True)
    manifest = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    files = manifest["files"]
    return [folder / p for p in files["amazon"]], [folder / p for p in files["netsuite"]]


def choose_inputs(amazon: Sequence[str | Path], netsuite: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    """The given files, or the demo data set when both lists are empty."""
    if not amazon and not netsuite:
        return demo_inputs()
    if not amazon or not netsuite:
        raise UsageError("give both the Amazon reports and the NetSuite exports, or neither (the demo data)")
    return [Path(p) for p in amazon], [Path(p) for p in netsuite]


def output_folder(path: str | Path) -> Path:
    """The output folder (created), or a new temporary one when ``path`` is empty."""
    folder = Path(path) if str(path) else Path(tempfile.mkdtemp(prefix="settlesync-run-"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
