"""Flat File V2 settlement reports read into canonical lines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from conftest import V2_COLUMNS, detail, physical_lines, summary, tsv_text, v2_settlement, write_bytes, write_v2

from settlesync_nb.io import load_settlements, read_report
from settlesync_nb.model import LINE_COLUMNS

# every test runs twice: files read into memory, and memory-mapped (how large files are read)
pytestmark = pytest.mark.usefixtures("file_access")


def test_detail_rows_become_canonical_lines(tmp_path: Path) -> None:
    """Every V2 detail row is one line with its identifiers as text, exact amount, time and provenance."""
    rows = [
        summary("1001", "27.45"),
        detail(
            "1001",
            "29.99",
            order_item_code="00592319913016",
            merchant_order_id="M-1",
            promotion_id="PROMO-1",
            quantity_purchased="2",
        ),
        detail("1001", "-2.54", amount_type="ItemFees", amount_description="Commission", quantity_purchased=""),
    ]
    path = write_v2(tmp_path / "r.txt", rows)
    result = load_settlements([path])
    lines = result.lines
    assert list(lines.columns) == list(LINE_COLUMNS)
    first = lines.iloc[0]
    assert first["settlement_id"] == "1001"
    assert first["order_item_code"] == "00592319913016"  # not 592319913016.0
    assert (first["merchant_order_id"], first["promotion_id"], first["quantity"]) == ("M-1", "PROMO-1", 2)
    assert first["posted_time"] == pd.Timestamp("2024-01-05 10:00:00", tz="UTC")
    assert (first["source_file"], first["source_line"], first["currency"]) == (str(path), 3, "USD")
    assert lines["amount_minor"].tolist() == [2999, -254]
    assert pd.isna(lines["quantity"].iloc[1]) and pd.isna(lines["adjustment_id"].iloc[0])
    settlement = result.settlement("1001")
    assert (settlement.format, settlement.line_count, settlement.consistent) == ("flat-v2", 2, True)
    assert settlement.deposit_date == datetime(2024, 1, 17, tzinfo=UTC)


def test_23_columns_without_promotion_id(tmp_path: Path) -> None:
    """A file without the 24th column (promotion-id) loads with promotion ids null."""
    path = write_v2(tmp_path / "r.txt", v2_settlement("1", ["1.00"]), columns=V2_COLUMNS[:-1])
    result = load_settlements([path])
    assert result.lines["promotion_id"].isna().all()
    assert result.settlement("1").consistent


def test_columns_are_found_by_name_whatever_their_order_or_extras(tmp_path: Path) -> None:
    """Reordered columns, unknown extra columns and header case or spacing do not matter."""
    columns = ["Amount ", "new-column", *reversed([c for c in V2_COLUMNS if c != "amount"])]
    rows = [
        {**row, "new-column": "x", "Amount ": row.get("amount", "")} for row in v2_settlement("1", ["1.25", "2.50"])
    ]
    text = tsv_text(columns, rows).replace("Amount ", "AMOUNT ", 1)
    path = write_bytes(tmp_path / "r.txt", text.encode())
    result = load_settlements([path])
    assert result.lines["amount_minor"].tolist() == [125, 250]
    assert result.settlement("1").total_amount == "3.75"


def test_summary_row_is_not_a_line(tmp_path: Path) -> None:
    """The summary row gives the settlement's total, dates and currency, and no canonical line."""
    path = write_v2(tmp_path / "r.txt", [summary("5", "0.00"), detail("5", "0.00")])
    result = load_settlements([path])
    assert len(result.lines) == 1
    assert result.files[0].summary_rows == 1


def test_settlement_with_summary_row_only(tmp_path: Path) -> None:
    """A settlement of zero with no detail lines loads and foots."""
    path = write_v2(tmp_path / "r.txt", [summary("5", "0.00")])
    settlement = load_settlements([path]).settlement("5")
    assert (settlement.line_count, settlement.lines_total, settlement.consistent) == (0, "0.00", True)


def test_decimal_comma_file(tmp_path: Path) -> None:
    """EU files' ``1141,18`` is 1141.18, never 114118."""
    path = write_v2(tmp_path / "r.txt", v2_settlement("1", ["1141.18", "-0.18"], "EUR"), decimal_comma=True)
    result = load_settlements([path])
    assert result.lines["amount_minor"].tolist() == [114118, -18]
    assert result.settlement("1").total_amount == "1141.00"


def test_trailing_spaces_are_ignored(tmp_path: Path) -> None:
    """Amazon's trailing spaces around amounts and ids do not change them."""
    rows = [summary("1", "32.09   "), detail("1", "32.09    ", order_id="111-1  ", sku=" SKU-9 ")]
    result = load_settlements([write_v2(tmp_path / "r.txt", rows)])
    assert result.lines[["order_id", "sku", "amount_minor"]].iloc[0].tolist() == ["111-1", "SKU-9", 3209]
    assert result.settlement("1").consistent


def test_one_cent_and_negative_settlements(tmp_path: Path) -> None:
    """A one-cent settlement and a negative one foot exactly."""
    path = write_v2(tmp_path / "r.txt", v2_settlement("c", ["0.01"]) + v2_settlement("n", ["-321.69", "0.00"]))
    result = load_settlements([path])
    assert result.settlement("c").total_minor == 1
    assert (result.settlement("n").total_amount, result.settlement("n").consistent) == ("-321.69", True)


def test_zero_decimal_currency(tmp_path: Path) -> None:
    """JPY amounts are whole yen; ``1500`` is 1500 minor units."""
    result = load_settlements([write_v2(tmp_path / "r.txt", v2_settlement("j", ["1500", "-20"], "JPY"))])
    assert result.lines["amount_minor"].tolist() == [1500, -20]
    assert result.settlement("j").total_amount == "1480"


def test_inconsistent_settlement_is_reported_not_refused(tmp_path: Path) -> None:
    """A settlement whose lines do not add up to its total loads with ``consistent`` false."""
    rows = [summary("1", "100.00"), detail("1", "120.00")]  # the -20.00 reserve line is missing
    settlement = load_settlements([write_v2(tmp_path / "r.txt", rows)]).settlement("1")
    assert (settlement.consistent, settlement.total_amount, settlement.lines_total) == (False, "100.00", "120.00")


def test_two_settlements_of_one_currency_in_one_file(tmp_path: Path) -> None:
    """One file can hold two settlements in the same currency; each gets its own lines and total."""
    path = write_v2(tmp_path / "r.txt", v2_settlement("1", ["1.00"]) + v2_settlement("2", ["2.00", "3.00"]))
    result = load_settlements([path])
    assert [(s.settlement_id, s.line_count, s.lines_total) for s in result.settlements] == [
        ("1", 1, "1.00"),
        ("2", 2, "5.00"),
    ]
    assert list(result.lines["currency"].cat.categories) == ["USD"]


@pytest.mark.parametrize(
    ("start", "posted_date", "posted_date_time", "expected_posted"),
    [
        ("2024-01-15 08:23:12 UTC", "2024-01-15", "2024-01-15 08:23:12 UTC", "2024-01-15T08:23:12"),
        ("14.03.2023 07:49:55 UTC", "14.03.2023", "14.03.2023 07:49:55 UTC", "2023-03-14T07:49:55"),
        ("2025-06-05T22:07:18+00:00", "06/05/25", "", "2025-06-05T00:00:00"),
        ("2025-06-05T22:07:18-07:00", "2025-06-05T22:07:18-07:00", "", "2025-06-06T05:07:18"),
        ("2024/01/15 08:23:12 UTC", "2024/01/15", "", "2024-01-15T00:00:00"),
        ("2024-01-15T08:23:12.000Z", "01/15/2024", "", "2024-01-15T00:00:00"),
    ],
)
def test_date_forms(tmp_path: Path, start: str, posted_date: str, posted_date_time: str, expected_posted: str) -> None:
    """Every date form seen in settlement reports is read as UTC; the posted time prefers posted-date-time."""
    rows = [
        summary("1", "1.00", start=start),
        detail("1", "1.00", posted_date=posted_date, posted_date_time=posted_date_time),
    ]
    result = load_settlements([write_v2(tmp_path / "r.txt", rows)])
    assert result.lines["posted_time"].iloc[0] == pd.Timestamp(expected_posted, tz="UTC")
    assert result.settlement("1").start is not None


def test_blank_lines_inside_are_counted_and_numbering_kept(tmp_path: Path) -> None:
    """Blank lines (empty or only tabs/spaces) are skipped and counted; later rows keep their physical line."""
    lines = tsv_text(V2_COLUMNS, v2_settlement("1", ["1.00", "2.00"])).splitlines()
    lines[2:2] = ["", "\t" * 23, "   "]
    path = write_bytes(tmp_path / "r.txt", ("\n".join(lines) + "\n\n").encode())
    result = load_settlements([path])
    assert result.lines["source_line"].tolist() == [6, 7]
    assert result.files[0].blank_lines == 4


def test_line_accounting_identity(tmp_path: Path) -> None:
    """Every physical line is the header, a summary row, a detail line, or a counted blank line."""
    lines = tsv_text(V2_COLUMNS, v2_settlement("1", ["1.00", "2.00", "-0.50"])).splitlines()
    lines.insert(3, "")
    path = write_bytes(tmp_path / "r.txt", ("\n".join(lines) + "\n\n").encode())
    source = load_settlements([path]).files[0]
    assert 1 + source.data_rows + source.blank_lines == physical_lines(path)
    assert source.data_rows == source.summary_rows + source.no_amount_rows + source.detail_rows
    assert (source.lines, source.detail_rows, source.duplicate_lines) == (3, 3, 0)


def test_synthetic_corpus_sample_foots(corpus: Path) -> None:
    """The third-party synthetic V2 sample loads and foots to 582.89."""
    path = corpus / "synthetic-v2" / "settlement-sample.txt"
    result = load_settlements([path])
    settlement = result.settlement("28471003921")
    assert (settlement.format, settlement.currency) == ("flat-v2", "USD")
    assert (settlement.total_amount, settlement.lines_total, settlement.consistent) == ("582.89", "582.89", True)
    source = result.files[0]
    assert 1 + source.data_rows + source.blank_lines == physical_lines(path)
    assert source.lines == settlement.line_count == len(result.lines)


def test_read_report_keeps_amounts_as_text(tmp_path: Path) -> None:
    """Reading one file without assembly keeps the amounts as written (their currency decides later)."""
    parsed = read_report(write_v2(tmp_path / "r.txt", v2_settlement("1", ["1.50 "])))
    assert parsed.format == "flat-v2"
    assert parsed.details.column("amount_text").to_pylist() == ["1.50 "]
