"""Deterministic demo data: Amazon settlement reports and a NetSuite export with planted problems.

``write_demo(out)`` writes a small, documented data set (see the README it writes) whose every
planted discrepancy is listed in ``expected.json``; ``write_demo(out, lines=N)`` writes one
large settlement of N lines and its NetSuite export for benchmarks. The same seed always gives
the same bytes.

Layout of ``out``::

    amazon/1-settlement-<id>-US.txt            Amazon.com, first period
    amazon/2-settlement-<id>-US.txt.gz         Amazon.com, next period (does not foot)
    amazon/3-settlement-<id>-DE.txt            Amazon.de + Amazon.fr, cp1252, decimal comma
    amazon/4-settlement-<id>-US-copy.txt       identical copy of the first
    amazon/5-settlement-<id>-DE-redownload.txt DE settlement again, one line restated
    netsuite/netsuite-transactions.csv       NetSuite saved-search export
    expected.json                            planted discrepancies and explanations
    README.md                                the same, for people
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .flatfile import DE_STYLE, US_STYLE, write_report
from .large import write_large
from .manifest import Files, build_manifest
from .netsuite import build_rows, choose_plants, write_export
from .readme import render_large_readme, render_readme
from .records import basis
from .scenario import build_scenario


@dataclass(frozen=True)
class DemoDataSet:
    """Paths of a written demo data set."""

    amazon: tuple[Path, ...]  # settlement report files, in the order they should be loaded
    netsuite: tuple[Path, ...]  # NetSuite export CSV files
    expected: Path | None  # expected.json manifest of planted discrepancies
    readme: Path | None  # README.md describing the data set


def write_demo(out: Path, *, lines: int | None = None, seed: int = 7) -> DemoDataSet:
    """Write the demo data set into ``out`` (folders created, existing files overwritten).

    Args:
        out: Folder to write into; ``amazon/`` and ``netsuite/`` are created inside it.
        lines: ``None`` for the small documented data set; a number for one large settlement
            of exactly that many detail lines and its NetSuite export (benchmarks).
        seed: Generator seed; the output is byte-for-byte the same for the same seed.

    Returns:
        The paths written, Amazon reports in load order.
    """
    out = Path(out)
    (out / "amazon").mkdir(parents=True, exist_ok=True)
    (out / "netsuite").mkdir(parents=True, exist_ok=True)
    if lines is not None:
        if lines < 1:
            raise ValueError(f"lines must be at least 1 (found {lines})")
        return _write_large(out, lines, seed)
    return _write_normal(out, seed)


def _write_json(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _write_normal(out: Path, seed: int) -> DemoDataSet:
    scenario = build_scenario(seed)
    us1, us2, de = scenario.settlements
    files = Files(
        us_first=f"amazon/1-settlement-{us1.settlement_id}-US.txt",
        us_second=f"amazon/2-settlement-{us2.settlement_id}-US.txt.gz",
        de=f"amazon/3-settlement-{de.settlement_id}-DE.txt",
        us_copy=f"amazon/4-settlement-{us1.settlement_id}-US-copy.txt",
        de_redownload=f"amazon/5-settlement-{de.settlement_id}-DE-redownload.txt",
        netsuite="netsuite/netsuite-transactions.csv",
    )
    write_report(out / files.us_first, us1, US_STYLE)
    write_report(out / files.us_second, us2, US_STYLE, compress=True)
    write_report(out / files.de, de, DE_STYLE)
    (out / files.us_copy).write_bytes((out / files.us_first).read_bytes())
    write_report(out / files.de_redownload, scenario.de_redownload, DE_STYLE)

    rng = random.Random(seed + 2)
    entries = basis(scenario.settlements)
    plants = choose_plants(rng, scenario, entries)
    rows = build_rows(rng, entries, plants)
    write_export(out / files.netsuite, rows)

    document, planted = build_manifest(seed, scenario, files, entries, plants, rows)
    expected = _write_json(out / "expected.json", document)
    readme = out / "README.md"
    readme.write_text(render_readme(document, planted), encoding="utf-8")
    return DemoDataSet(
        amazon=tuple(out / path for path in files.amazon),
        netsuite=(out / files.netsuite,),
        expected=expected,
        readme=readme,
    )


def _write_large(out: Path, lines: int, seed: int) -> DemoDataSet:
    amazon = f"amazon/settlement-large-{lines}.txt"
    netsuite = f"netsuite/netsuite-large-{lines}.csv"
    document = write_large(out, amazon, netsuite, lines, seed)
    expected = _write_json(out / "expected.json", document)
    readme = out / "README.md"
    readme.write_text(render_large_readme(document), encoding="utf-8")
    return DemoDataSet(amazon=(out / amazon,), netsuite=(out / netsuite,), expected=expected, readme=readme)


__all__ = ["DemoDataSet", "write_demo"]
