"""File-level entry points shared by the CLI, the notebooks and the sign-off app.

Each is a thin composition of the pure parts: load the files, read the settings, reconcile.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from .config import Settings, load_settings
from .io import load_settlements
from .io.netsuite import load_netsuite
from .io.source import file_sha256

if TYPE_CHECKING:
    from .reconcile import Resolution, TestReport

# Imported in the background while the first files parse (pyarrow releases the GIL while it
# parses, pandas takes about 0.3 s to import): a command line run does not wait for both.
WARM = "settlesync_nb.reconcile"


def reconcile_files(
    amazon: Iterable[str | Path],
    netsuite: Iterable[str | Path],
    *,
    config: str | Path | None = None,
    tolerance: str | None = None,
    cutoff: str | None = None,
    resolutions: str | Path | Iterable[Resolution] | None = None,
    settings: Settings | None = None,
) -> TestReport:
    """Load reports and exports, and reconcile them.

    Args:
        amazon: Settlement report files.
        netsuite: NetSuite export files.
        config: TOML config file (see :mod:`settlesync_nb.config`).
        tolerance: Overrides the config's tolerance, e.g. ``"0.01"``.
        cutoff: Overrides the config's cutoff, ``YYYY-MM-DD``.
        resolutions: A resolutions file, or resolutions already read (e.g. from the sign-off store).
        settings: Settings to use instead of reading ``config``.
    """
    settings = (settings or load_settings(config)).with_overrides(tolerance, cutoff)
    amazon, netsuite = list(amazon), list(netsuite)
    # The two sides are independent and pyarrow releases the GIL: read them at the same time.
    with ThreadPoolExecutor(max_workers=2) as pool:
        warm = pool.submit(importlib.import_module, WARM)
        records = pool.submit(load_netsuite, netsuite, settings.netsuite)
        load = load_settlements(amazon)
        exports = records.result()
        warm.result()
    from .reconcile import InputFile, reconcile
    from .rundir import read_resolutions

    extra = []
    if config is not None:
        extra.append(InputFile(str(config), file_sha256(config), "config"))
    decided: tuple[Resolution, ...] = ()
    if isinstance(resolutions, str | Path):
        decided = read_resolutions(resolutions)
        extra.append(InputFile(str(resolutions), file_sha256(resolutions), "resolutions"))
    elif resolutions is not None:
        decided = tuple(resolutions)
    return reconcile(load, exports, settings, decided, extra)
