"""The files of a reconciliation run: written by ``reconcile``/``report``, read by sign-off.

A run folder holds ``discrepancies.csv``, ``test_report.json`` and ``settlement_summary.csv``
(the contract of ``settlesync reconcile``), written atomically so a crash never leaves a
half-written report. Resolutions come in as CSV or JSON files.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .errors import FileProblem, RowErrors, RowProblem
from .io.export import write_table
from .money import format_minor
from .reconcile import ACTIONS, Resolution, TestReport

DISCREPANCY_COLUMNS = [
    "settlement_id",
    "transaction_type",
    "order_id",
    "kind",
    "amazon_amount",
    "netsuite_amount",
    "difference",
    "currency",
    "netsuite_documents",
    "explanation",
]
SUMMARY_COLUMNS = ["settlement_id", "currency", "category", "amount", "line_count"]
FILES = ("discrepancies.csv", "test_report.json", "settlement_summary.csv")


def _decimal_text(values: pd.Series, currency: pd.Series) -> list[str | None]:
    return [
        None if pd.isna(v) else format_minor(int(v), str(c) if isinstance(c, str) and c else "USD")
        for v, c in zip(values, currency, strict=True)
    ]


def discrepancy_table(report: TestReport) -> pa.Table:
    """The ``discrepancies.csv`` columns, amounts as exact decimal strings."""
    d = report.discrepancies
    columns: dict[str, Any] = {
        "settlement_id": d["settlement_id"],
        "transaction_type": d["transaction_type"],
        "order_id": d["order_id"],
        "kind": d["kind"],
        "amazon_amount": _decimal_text(d["amazon_minor"], d["currency"]),
        "netsuite_amount": _decimal_text(d["netsuite_minor"], d["currency"]),
        "difference": _decimal_text(d["difference_minor"], d["currency"]),
        "currency": d["currency"],
        "netsuite_documents": d["netsuite_documents"],
        "explanation": d["explanation"],
    }
    return pa.table({k: pa.array(pd.Series(v, dtype="string"), pa.string()) for k, v in columns.items()})


def summary_table(report: TestReport) -> pa.Table:
    """The ``settlement_summary.csv`` columns."""
    s = report.summary
    return pa.table(
        {
            "settlement_id": pa.array(s["settlement_id"].astype(str), pa.string()),
            "currency": pa.array(s["currency"].astype(str), pa.string()),
            "category": pa.array(s["category"].astype(str), pa.string()),
            "amount": pa.array(_decimal_text(s["amount_minor"], s["currency"]), pa.string()),
            "line_count": pa.array(s["line_count"].to_numpy(dtype=np.int64)),
        }
    )


def write_run(report: TestReport, out: str | Path) -> dict[str, Path]:
    """Write the three run files into ``out`` (created if needed); returns their paths."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / name for name in FILES}
    _atomic(paths["discrepancies.csv"], lambda p: write_table(discrepancy_table(report), p))
    _atomic(paths["settlement_summary.csv"], lambda p: write_table(summary_table(report), p))
    text = json.dumps(report.describe_dict(), indent=2, sort_keys=False) + "\n"
    _atomic(paths["test_report.json"], lambda p: _write_text(p, text))
    return paths


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write beside ``path`` and rename over it: readers see the old file or the new one."""
    partial = path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def read_test_report(run: str | Path) -> dict[str, Any]:
    """The ``test_report.json`` of a run folder.

    Raises:
        FileProblem: the folder holds no readable test report.
    """
    path = Path(run) / "test_report.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise FileProblem(
            str(path), "not found", "Pass the output folder of `settlesync reconcile` or `report`."
        ) from None
    except json.JSONDecodeError as exc:
        raise FileProblem(str(path), f"is not valid JSON ({exc.msg})", "Run the reconciliation again.") from None


RESOLUTION_FIELDS = ("order_id", "transaction_type", "settlement_id", "kind", "action", "reviewer", "note")


def read_resolutions(path: str | Path) -> tuple[Resolution, ...]:
    """Resolutions from a CSV (header row) or JSON (list of objects) file.

    Each names an order (``order_id`` + ``transaction_type``) or a settlement finding
    (``settlement_id`` + ``kind``), an ``action`` (rectified or cancelled), a ``reviewer`` and
    an optional ``note``. Every bad row is reported with its line (CSV) or position (JSON).
    """
    name = str(path)
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileProblem(name, "file not found", "Check the --resolutions path.") from None
    if file.suffix.lower() == ".json":
        try:
            records = [(i, r) for i, r in enumerate(json.loads(text), start=1)]
        except (json.JSONDecodeError, TypeError) as exc:
            raise FileProblem(
                name, f"is not a JSON list of resolutions ({exc})", "See the README for the format."
            ) from None
    else:
        reader = csv.DictReader(text.splitlines())
        records = [(i, r) for i, r in enumerate(reader, start=2)]
    out, problems = [], []
    for line, record in records:
        row = (
            {k: (str(record.get(k) or "").strip() or None) for k in RESOLUTION_FIELDS}
            if isinstance(record, dict)
            else {}
        )
        if row.get("action") not in ACTIONS:
            problems.append(RowProblem(name, line, "action", str(row.get("action") or ""), " or ".join(ACTIONS)))
        elif not row.get("reviewer"):
            problems.append(RowProblem(name, line, "reviewer", "", "the reviewer's name"))
        elif not (row.get("order_id") and row.get("transaction_type")) and not (
            row.get("settlement_id") and row.get("kind")
        ):
            problems.append(
                RowProblem(name, line, "order_id", "", "order_id and transaction_type, or settlement_id and kind")
            )
        else:
            out.append(
                Resolution(
                    action=str(row["action"]),
                    reviewer=str(row["reviewer"]),
                    note=row.get("note") or "",
                    order_id=row.get("order_id"),
                    transaction_type=row.get("transaction_type"),
                    settlement_id=row.get("settlement_id"),
                    kind=row.get("kind"),
                )
            )
    if problems:
        raise RowErrors(problems, "Fix the resolutions file and run again.")
    return tuple(out)
