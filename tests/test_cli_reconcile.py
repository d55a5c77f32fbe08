"""`settlesync reconcile`: the output files, their columns, and the 0/1/2 exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from builders import line, order, sale, write_netsuite, write_v2

from settlesync_nb.cli import main

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


def files(tmp_path: Path, netsuite_amount: str) -> list[str]:
    report = write_v2(tmp_path / "s.txt", "1001", order("A", "10.00") + order("=HYPERLINK(1)", "2.00"))
    export = write_netsuite(tmp_path / "ns.csv", [sale("1", "A", netsuite_amount), sale("2", "=HYPERLINK(1)", "2.00")])
    return ["--amazon", str(report), "--netsuite", str(export)]


def test_complete_report_exits_0_and_writes_the_contract(tmp_path: Path) -> None:
    """A Complete report exits 0 and writes the three files with the documented columns."""
    out = tmp_path / "run"
    assert main(["reconcile", *files(tmp_path, "10.00"), "--out", str(out)]) == 0
    with open(out / "discrepancies.csv", encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == DISCREPANCY_COLUMNS
    report = json.loads((out / "test_report.json").read_text(encoding="utf-8"))
    assert report["status"] == "Complete"
    assert {"status", "settlements", "counts", "duplicate_settlements", "excluded_settlements", "inputs"} <= set(report)
    settlement = report["settlements"][0]
    assert {"settlement_id", "status", "currency", "total_amount", "lines_total", "consistent", "counts"} <= set(
        settlement
    )
    assert settlement["total_amount"] == "10.00"  # 10.00 + 2.00 - 2 x 1.00 commission
    assert [i["role"] for i in report["inputs"]] == ["amazon", "netsuite"]
    with open(out / "settlement_summary.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["category"], r["amount"]) for r in rows} == {("sales", "12.00"), ("selling fees", "-2.00")}


def test_errors_exit_1_and_formulas_are_neutralised(tmp_path: Path) -> None:
    """A report with errors exits 1; a formula-like order id is written with a leading quote."""
    out = tmp_path / "run"
    args = files(tmp_path, "9.00")
    args[args.index("--netsuite") + 1 : args.index("--netsuite") + 2] = [
        str(write_netsuite(tmp_path / "ns2.csv", [sale("1", "A", "9.00")]))
    ]
    assert main(["reconcile", *args, "--out", str(out)]) == 1
    with open(out / "discrepancies.csv", encoding="utf-8", newline="") as handle:
        rows = {r["order_id"]: r for r in csv.DictReader(handle)}
    assert rows["A"]["kind"] == "amount_mismatch" and rows["A"]["difference"] == "1.00"
    assert rows["'=HYPERLINK(1)"]["kind"] == "missing_in_netsuite"


def test_tolerance_option_makes_it_complete(tmp_path: Path) -> None:
    """--tolerance 1.00 accepts a one-dollar difference."""
    out = tmp_path / "run"
    assert main(["reconcile", *files(tmp_path, "9.00"), "--out", str(out), "--tolerance", "1.00"]) == 0


def test_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    """A malformed amount exits 2 with file and line on stderr and no traceback."""
    bad = write_v2(tmp_path / "bad.txt", "1001", [line("Order", "A", "ItemPrice", "Principal", "ten")], total="0.00")
    export = write_netsuite(tmp_path / "ns.csv", [])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "settlesync_nb.cli",
            "reconcile",
            "--amazon",
            str(bad),
            "--netsuite",
            str(export),
            "--out",
            str(tmp_path / "run"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "bad.txt: line 3" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "run").exists()


def test_usage_error_exits_2(tmp_path: Path) -> None:
    """A missing required option is a usage error."""
    assert main(["reconcile", "--amazon", str(tmp_path / "x.txt"), "--out", str(tmp_path)]) == 2


def test_bad_cutoff_exits_2(tmp_path: Path) -> None:
    """An invalid --cutoff date exits 2."""
    assert main(["reconcile", *files(tmp_path, "10.00"), "--out", str(tmp_path / "r"), "--cutoff", "31/12/2026"]) == 2


def test_console_script_exits_with_the_code_and_every_output_written(tmp_path: Path) -> None:
    """The installed command ends reconcile without interpreter teardown: the exit code, the
    piped messages and the three files must all be there regardless."""
    script = Path(sys.executable).with_name("settlesync")
    out = tmp_path / "run"
    done = subprocess.run(
        [str(script), "reconcile", *files(tmp_path, "9.00"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "test report: Errors" in done.stdout + done.stderr
    assert f"results in {out}" in done.stdout + done.stderr
    for name in ("discrepancies.csv", "test_report.json", "settlement_summary.csv"):
        assert (out / name).stat().st_size > 0
    assert json.loads((out / "test_report.json").read_text(encoding="utf-8"))["status"] == "Errors"
