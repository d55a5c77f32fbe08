"""Writing canonical lines: formula-safe CSV and exact decimal128 Parquet."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import detail, summary, v2_settlement, write_v2

from settlesync_nb.errors import FileProblem, UsageError
from settlesync_nb.io import load_settlements
from settlesync_nb.io.export import decimal_column, neutralise_formulas, write_lines
from settlesync_nb.model import LINE_COLUMNS

EXPORT_COLUMNS = [("amount" if c == "amount_minor" else c) for c in LINE_COLUMNS]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+A1", "'+A1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("-12.34", "-12.34"),
        ("+5", "+5"),
        ("-0.01", "-0.01"),
        ("SKU=1", "SKU=1"),
        ("111-0000001-0000001", "111-0000001-0000001"),
        (None, None),
    ],
)
def test_neutralise_formulas(value: str | None, written: str | None) -> None:
    """Text a spreadsheet would evaluate gets a leading quote; plain numbers and ordinary text are untouched."""
    assert neutralise_formulas(pa.array([value], pa.string())).to_pylist() == [written]


def test_neutralise_dictionary_column() -> None:
    """Dictionary-encoded (categorical) columns are neutralised too."""
    values = pa.array(["=x", "ok", "=x"]).dictionary_encode()
    assert neutralise_formulas(values).to_pylist() == ["'=x", "ok", "'=x"]


def _lines(tmp_path: Path) -> Path:
    rows = [
        summary("1001", "-0.99"),
        detail("1001", "0.01", sku='=HYPERLINK("http://evil","x")', order_item_code="00592319913016"),
        detail("1001", "-1.00", sku="-SKU", amount_description="Commission", amount_type="ItemFees"),
    ]
    return write_v2(tmp_path / "r.txt", rows)


def test_csv_export_is_exact_and_formula_safe(tmp_path: Path) -> None:
    """The CSV has snake_case columns, exact decimal amounts, UTC times, text ids and neutralised formulas."""
    lines = load_settlements([_lines(tmp_path)]).lines
    out = tmp_path / "out" / "lines.csv"
    write_lines(lines, out)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == EXPORT_COLUMNS
    assert [r["amount"] for r in rows] == ["0.01", "-1.00"]
    assert rows[0]["sku"] == '\'=HYPERLINK("http://evil","x")'
    assert rows[1]["sku"] == "'-SKU"
    assert rows[0]["order_item_code"] == "00592319913016"
    assert rows[0]["posted_time"] == "2024-01-05T10:00:00Z"
    assert (rows[0]["currency"], rows[0]["source_line"], rows[1]["quantity"]) == ("USD", "3", "1")
    assert rows[0]["promotion_id"] == ""


def test_csv_export_of_mixed_currencies(tmp_path: Path) -> None:
    """Each row's amount is written with its own currency's decimals."""
    us = write_v2(tmp_path / "us.txt", v2_settlement("U", ["1.50"]))
    jp = write_v2(tmp_path / "jp.txt", v2_settlement("J", ["-1500"], "JPY"))
    out = tmp_path / "lines.csv"
    write_lines(load_settlements([us, jp]).lines, out)
    with out.open(encoding="utf-8", newline="") as handle:
        assert [(r["currency"], r["amount"]) for r in csv.DictReader(handle)] == [("USD", "1.50"), ("JPY", "-1500")]


def test_parquet_amounts_are_exact_decimal128(tmp_path: Path) -> None:
    """Parquet amounts are decimal128 at the widest currency's scale and read back exactly."""
    us = write_v2(tmp_path / "us.txt", v2_settlement("U", ["0.01", "-999999999999.99"]))
    jp = write_v2(tmp_path / "jp.txt", v2_settlement("J", ["-1500"], "JPY"))
    kw = write_v2(tmp_path / "kw.txt", v2_settlement("K", ["1.234"], "KWD"))
    out = tmp_path / "lines.parquet"
    write_lines(load_settlements([us, jp, kw]).lines, out)
    table = pq.read_table(out)
    assert table.column_names == EXPORT_COLUMNS
    assert table.schema.field("amount").type == pa.decimal128(18, 3)
    assert table.column("amount").to_pylist() == [
        Decimal("0.010"),
        Decimal("-999999999999.990"),
        Decimal("-1500.000"),
        Decimal("1.234"),
    ]
    assert table.column("order_item_code").to_pylist()[0] == "00592319913016"
    assert table.schema.field("posted_time").type.tz == "UTC"
    assert str(table.column("posted_time")[0].as_py()) == "2024-01-05 10:00:00+00:00"


def test_parquet_of_one_currency_keeps_its_scale(tmp_path: Path) -> None:
    """A USD-only export has two decimals."""
    out = tmp_path / "lines.parquet"
    write_lines(load_settlements([_lines(tmp_path)]).lines, out)
    amount = pq.read_table(out).column("amount")
    assert amount.type == pa.decimal128(18, 2)
    assert amount.to_pylist() == [Decimal("0.01"), Decimal("-1.00")]


def test_decimal_column_handles_negative_and_extreme_values() -> None:
    """Minor units become decimal128 without a float in between, at the limits too."""
    column = decimal_column([-1, 0, 99999999999999999, -99999999999999999], ["USD"] * 4)
    assert column.to_pylist() == [
        Decimal("-0.01"),
        Decimal("0.00"),
        Decimal("999999999999999.99"),
        Decimal("-999999999999999.99"),
    ]


def test_empty_export(tmp_path: Path) -> None:
    """A load with no lines writes a header-only CSV and an empty Parquet file."""
    lines = load_settlements([write_v2(tmp_path / "r.txt", [summary("1", "0.00")])]).lines
    write_lines(lines, tmp_path / "e.csv")
    write_lines(lines, tmp_path / "e.parquet")
    with (tmp_path / "e.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [EXPORT_COLUMNS]
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


def test_unknown_output_type(tmp_path: Path) -> None:
    """An output file that is neither .csv nor .parquet is a usage error listing both."""
    lines = load_settlements([_lines(tmp_path)]).lines
    with pytest.raises(UsageError, match=r"valid options are \.csv, \.parquet"):
        write_lines(lines, tmp_path / "lines.xlsx")


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    """An output path that cannot be written is a file problem naming it, and nothing is left behind."""
    lines = load_settlements([_lines(tmp_path)]).lines
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(FileProblem, match="cannot be written"):
        write_lines(lines, blocker / "lines.csv")
    target = tmp_path / "out.csv"
    target.mkdir()  # a folder where the file should go
    with pytest.raises(FileProblem):
        write_lines(lines, target)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
