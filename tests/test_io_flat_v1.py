"""The old flat file ("V1", 33 or 36 columns): one canonical line per non-empty amount."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import V1_COLUMNS_33, physical_lines, summary, write_v1

from settlesync_nb.errors import RowErrors
from settlesync_nb.io import load_settlements

# file -> (settlement id, total, detail rows, columns), from the corpus README
CORPUS_FILES = {
    "50011020300.txt": ("23874396421", "-321.69", 3, 33),
    "50018020314.txt": ("23874397121", "-62.31", 15, 36),
    "50034020328.txt": ("24288684721", "1016.08", 189, 36),
    "50044020356.txt": ("24495221541", "4630.23", 729, 36),
}


def _v1_row(settlement_id: str = "42", **fields: str) -> dict[str, str]:
    row = {"settlement-id": settlement_id, "posted-date": "2025-06-06T23:04:51+00:00"}
    row.update({key.replace("_", "-"): value for key, value in fields.items()})
    return row


def _summary(total: str) -> dict[str, str]:
    return summary("42", total, "CAD", start="2025-06-05T22:07:18+00:00", end="2025-07-31T22:07:18+00:00", deposit="")


@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_real_corpus_files_foot_to_the_cent(corpus: Path, name: str) -> None:
    """Each real Amazon.ca old flat file loads and its lines add up exactly to its total."""
    settlement_id, total, detail_rows, _ = CORPUS_FILES[name]
    path = corpus / "amazon-ca-v1" / name
    result = load_settlements([path])
    settlement = result.settlement(settlement_id)
    assert (settlement.format, settlement.currency) == ("flat-v1", "CAD")
    assert (settlement.total_amount, settlement.lines_total, settlement.consistent) == (total, total, True)
    source = result.files[0]
    assert source.data_rows - source.summary_rows == detail_rows
    assert source.data_rows == source.summary_rows + source.no_amount_rows + source.detail_rows
    assert 1 + source.data_rows + source.blank_lines == physical_lines(path)
    assert source.lines == settlement.line_count == len(result.lines)


def test_all_corpus_files_load_together(corpus: Path) -> None:
    """The four real files load in one call as four consistent settlements."""
    result = load_settlements(sorted((corpus / "amazon-ca-v1").glob("*.txt")))
    assert sorted(s.settlement_id for s in result.settlements) == sorted(v[0] for v in CORPUS_FILES.values())
    assert all(s.consistent for s in result.settlements)
    assert result.duplicates == ()


def test_corpus_advertising_row_gives_two_lines(corpus: Path) -> None:
    """A real row carrying an amount in two columns (advertising and its tax) gives two lines on one source line."""
    lines = load_settlements([corpus / "amazon-ca-v1" / "50018020314.txt"]).lines
    per_line = lines.groupby("source_line").size()
    assert (per_line == 2).sum() == 1


def test_33_column_file(tmp_path: Path) -> None:
    """A file without the promotion columns loads, its trailing-space amount read exactly."""
    rows = [
        _summary("-321.69"),
        _v1_row(transaction_type="Inbound Transportation Fee", shipment_id="FBA1", other_amount="-321.69"),
        _v1_row(transaction_type="Subscription Fee", other_amount="-32.09"),
        _v1_row(transaction_type="Successful charge", other_amount="32.09    "),
    ]
    path = write_v1(tmp_path / "v1.txt", rows, columns=V1_COLUMNS_33)
    result = load_settlements([path])
    assert result.settlement("42").consistent
    assert result.lines["amount_description"].tolist() == [
        "Inbound Transportation Fee",
        "Subscription Fee",
        "Successful charge",
    ]
    assert result.lines["promotion_id"].isna().all()


def test_each_amount_column_is_one_line_in_column_order(tmp_path: Path) -> None:
    """A row with amounts in two type/amount pairs gives two lines, typed by their pair."""
    rows = [
        _summary("22.49"),
        _v1_row(
            transaction_type="Order",
            order_id="702-1",
            price_type="Principal",
            price_amount="25.00",
            item_related_fee_type="Commission",
            item_related_fee_amount="-2.51",
            quantity_purchased="1",
        ),
    ]
    result = load_settlements([write_v1(tmp_path / "v1.txt", rows)])
    lines = result.lines
    assert lines[["amount_type", "amount_description", "amount_minor"]].values.tolist() == [
        ["ItemPrice", "Principal", 2500],
        ["ItemFees", "Commission", -251],
    ]
    assert lines["source_line"].tolist() == [3, 3]
    assert result.settlement("42").line_count == 2
    assert result.files[0].detail_rows == 1


def test_every_pair_is_read(tmp_path: Path) -> None:
    """Every amount column of the old layout counts toward the total (promotion, direct payment, misc, other fee)."""
    rows = [
        _summary("0.10"),
        _v1_row(transaction_type="Order", shipment_fee_type="ShippingChargeback", shipment_fee_amount="0.01"),
        _v1_row(transaction_type="Order", order_fee_type="X", order_fee_amount="0.01"),
        _v1_row(transaction_type="Order", promotion_type="Shipping", promotion_amount="0.01", promotion_id="P1"),
        _v1_row(transaction_type="Payment", direct_payment_type="Card", direct_payment_amount="0.01"),
        _v1_row(transaction_type="Misc", misc_fee_amount="0.02"),
        _v1_row(transaction_type="Fee", other_fee_reason_description="Storage Fee", other_fee_amount="0.04"),
    ]
    result = load_settlements([write_v1(tmp_path / "v1.txt", rows)])
    assert result.settlement("42").consistent
    assert result.lines["amount_type"].tolist() == [
        "Shipment-Fees",
        "Order-Fees",
        "Promotion",
        "Direct-Payment",
        "other-transaction",
        "other-transaction",
    ]
    assert result.lines["amount_description"].tolist()[-2:] == ["Misc", "Storage Fee"]


def test_rows_without_amount_are_counted_not_lines(tmp_path: Path) -> None:
    """Amazon's per-item rows carrying only a quantity are counted as no-amount rows."""
    rows = [
        _summary("5.00"),
        _v1_row(transaction_type="Order", order_id="702-1", sku="A", quantity_purchased="1"),
        _v1_row(transaction_type="Order", order_id="702-1", price_type="Principal", price_amount="5.00"),
    ]
    path = write_v1(tmp_path / "v1.txt", rows)
    result = load_settlements([path])
    source = result.files[0]
    assert (source.no_amount_rows, source.detail_rows, source.lines) == (1, 1, 1)
    assert 1 + source.data_rows + source.blank_lines == physical_lines(path)


def test_file_with_no_amount_at_all(tmp_path: Path) -> None:
    """A settlement whose rows carry no amount loads with no lines."""
    rows = [_summary("0.00"), _v1_row(transaction_type="Order", sku="A")]
    result = load_settlements([write_v1(tmp_path / "v1.txt", rows)])
    assert (len(result.lines), result.files[0].no_amount_rows) == (0, 1)
    assert result.settlement("42").consistent


def test_bad_amount_names_its_own_column(tmp_path: Path) -> None:
    """A bad amount in the old layout is reported under the column it sits in."""
    rows = [
        _summary("1.00"),
        _v1_row(transaction_type="Order", price_type="Principal", price_amount="1.00"),
        _v1_row(transaction_type="Order", item_related_fee_type="Commission", item_related_fee_amount="-0.5x"),
        _v1_row(transaction_type="Fee", other_amount="1.234"),
    ]
    with pytest.raises(RowErrors) as raised:
        load_settlements([write_v1(tmp_path / "v1.txt", rows)])
    problems = [(p.line, p.column, p.found) for p in raised.value.problems]
    assert problems == [(4, "item-related-fee-amount", "-0.5x"), (5, "other-amount", "1.234")]
