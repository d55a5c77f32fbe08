"""``settlesync inspect`` and ``settlesync load``: the JSON contract, exit codes and clean errors."""

from __future__ import annotations

import csv
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import PROJECT_ROOT, detail, summary, v2_settlement, write_bytes, write_v2

from settlesync_nb.cli import main

INSPECT_KEYS = {
    "settlement_id": str,
    "format": str,
    "currency": str,
    "start": str,
    "end": str,
    "deposit_date": str,
    "total_amount": str,
    "lines_total": str,
    "consistent": bool,
    "line_count": int,
    "sources": list,
}


def _inspect(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[dict[str, object]], str]:
    code = main(["inspect", "--json", *map(str, paths)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else []), err


def test_inspect_json_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``inspect --json`` prints one object per settlement with exactly the documented keys and types."""
    path = write_v2(tmp_path / "r.txt", v2_settlement("1001", ["10.00", "-0.01"]))
    code, records, _ = _inspect(capsys, path)
    assert code == 0
    (record,) = records
    assert set(record) == set(INSPECT_KEYS)
    for key, kind in INSPECT_KEYS.items():
        assert isinstance(record[key], kind), key
    assert record == {
        "settlement_id": "1001",
        "format": "flat-v2",
        "currency": "USD",
        "start": "2024-01-01T00:00:00Z",
        "end": "2024-01-15T00:00:00Z",
        "deposit_date": "2024-01-17T00:00:00Z",
        "total_amount": "9.99",
        "lines_total": "9.99",
        "consistent": True,
        "line_count": 2,
        "sources": [str(path)],
    }


def test_inspect_inconsistent_settlement_still_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A settlement that does not foot is reported as inconsistent with exit code 0 (every file loaded)."""
    path = write_v2(tmp_path / "r.txt", [summary("1", "5.00"), detail("1", "4.00")])
    code, records, _ = _inspect(capsys, path)
    assert code == 0
    assert (records[0]["consistent"], records[0]["total_amount"], records[0]["lines_total"]) == (False, "5.00", "4.00")


def test_inspect_reports_duplicates_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A settlement met twice is listed once; the duplicate is noted on stderr."""
    rows = v2_settlement("1", ["1.00"])
    code, records, err = _inspect(capsys, write_v2(tmp_path / "a.txt", rows), write_v2(tmp_path / "b.txt", rows))
    assert code == 0 and len(records) == 1
    assert "met twice" in err


def test_inspect_text_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --json, inspect prints a short human summary saying whether each settlement foots."""
    assert main(["inspect", str(write_v2(tmp_path / "r.txt", v2_settlement("1", ["1.00"])))]) == 0
    assert "foots" in capsys.readouterr().out


def test_bad_row_exits_2_with_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad row exits with code 2 and names the file and ``line N`` on stderr, without a traceback."""
    path = write_v2(tmp_path / "r.txt", [summary("1", "1.00"), detail("1", "1.00"), detail("1", "abc")])
    code, _, err = _inspect(capsys, path)
    assert code == 2
    assert f"{path}: line 4" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "data",
    [b"", b"order-id\tsku\n1\tA\n", b"<Orders/>", b"\x1f\x8b\x08\x00broken"],
    ids=["empty", "not-a-report", "other-xml", "broken-gzip"],
)
def test_bad_files_exit_2_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes) -> None:
    """Empty, foreign or broken files exit with code 2 and a message naming the file."""
    path = write_bytes(tmp_path / "bad.txt", data)
    code, _, err = _inspect(capsys, path)
    assert code == 2
    assert str(path) in err
    assert "Traceback" not in err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A path that does not exist exits with code 2."""
    code, _, err = _inspect(capsys, tmp_path / "nope.txt")
    assert code == 2
    assert "not found" in err


def test_load_to_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``load --out x.csv`` writes one UTF-8 row per detail line with exact decimal amounts and neutralised formulas."""
    rows = [summary("1", "0.99"), detail("1", "1.00", sku="=cmd|' /C calc'!A0"), detail("1", "-0.01")]
    out = tmp_path / "lines.csv"
    assert main(["load", str(write_v2(tmp_path / "r.txt", rows)), "--out", str(out)]) == 0
    with out.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [r["amount"] for r in written] == ["1.00", "-0.01"]
    assert written[0]["sku"].startswith("'=")
    assert {"settlement_id", "transaction_type", "order_id", "amount_type", "amount_description", "amount"} <= set(
        written[0]
    )
    assert {"currency", "sku", "source_file", "source_line"} <= set(written[0])
    assert "wrote 2 lines of 1 settlement(s)" in capsys.readouterr().err


def test_load_to_parquet(tmp_path: Path) -> None:
    """``load --out x.parquet`` writes exact decimal128 amounts."""
    out = tmp_path / "lines.parquet"
    assert (
        main(["load", str(write_v2(tmp_path / "r.txt", v2_settlement("1", ["0.01", "-7.50"]))), "--out", str(out)]) == 0
    )
    amount = pq.read_table(out).column("amount")
    assert pa.types.is_decimal(amount.type)
    assert amount.to_pylist() == [Decimal("0.01"), Decimal("-7.50")]


def test_load_bad_input_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A load refused for a bad row exits 2 and leaves no output file behind."""
    out = tmp_path / "lines.csv"
    path = write_v2(tmp_path / "r.txt", [summary("1", "1.00"), detail("1", "1.001")])
    assert main(["load", str(path), "--out", str(out)]) == 2
    assert "line 3" in capsys.readouterr().err
    assert not out.exists()


def test_console_script_end_to_end(tmp_path: Path) -> None:
    """The installed ``settlesync`` command gives the JSON contract, and exit 2 with a clean message on bad input."""
    script = PROJECT_ROOT / ".venv" / "bin" / "settlesync"
    if not script.exists():
        pytest.skip(f"console script not installed at {script}")
    good = write_v2(tmp_path / "good.txt", v2_settlement("1", ["1.00", "2.00"]))
    done = subprocess.run([str(script), "inspect", "--json", str(good)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["lines_total"] == "3.00"
    bad = write_v2(tmp_path / "bad.txt", [summary("1", "1.00"), detail("1", "oops")])
    done = subprocess.run([str(script), "inspect", "--json", str(bad)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert f"{bad}: line 3" in done.stderr
    assert "Traceback" not in done.stderr
