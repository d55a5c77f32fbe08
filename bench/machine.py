"""What a benchmark ran on, printed beside its figures (bench scripts import this)."""

from __future__ import annotations

import os
import platform
import re
import sys
from importlib.metadata import version
from pathlib import Path


def describe() -> str:
    """One line: CPU, cores, memory, Python and the data libraries' versions."""
    cpu = platform.processor() or platform.machine()
    info = Path("/proc/cpuinfo")
    if info.exists():
        found = re.search(r"model name\s*:\s*(.+)", info.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s+(\d+)", meminfo.read_text())
        memory = f", {int(found.group(1)) / 2**20:.0f} GiB" if found else ""
    libraries = ", ".join(f"{name} {version(name)}" for name in ("pandas", "pyarrow"))
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; Python {sys.version.split()[0]}; {libraries}; "
        f"{platform.system()} {platform.release()}"
    )


def data(lines: int) -> tuple[Path, Path]:
    """The generated benchmark files for ``lines`` (made once, reused): report and export."""
    from settlesync_nb.demo import write_demo

    folder = Path(__file__).resolve().parent / "out" / f"data-{lines}"
    report = folder / "amazon" / f"settlement-large-{lines}.txt"
    export = folder / "netsuite" / f"netsuite-large-{lines}.csv"
    if not (report.is_file() and export.is_file()):
        print(f"generating {lines:,} lines into {folder} ...", file=sys.stderr)
        write_demo(folder, lines=lines)
    return report, export
