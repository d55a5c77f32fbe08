"""Flat-file settlement reports: what V2 and the old flat file ("V1") share, and V2 itself.

Both are headed TSV with one summary row (the one carrying ``total-amount``) followed by
detail rows that repeat the settlement id. Columns are found by header name, so extra or
reordered columns are fine.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import FileProblem, MissingColumns
from ..money import exponent, parse_amounts
from .dates import EXPECTED_SETTLEMENT_DATE, SETTLEMENT_DATE_FORMATS, TIMESTAMP, parse_dates
from .parsed import AMOUNT_TEXT, ParsedFile, ProblemLog, SummaryRow, blank_to_null
from .source import RawFile
from .tabular import TsvTable, read_tsv

# Flat File V2, in Amazon's documented order (24th, promotion-id, present in most real files).
V2_COLUMNS = (
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "amount",
    "fulfillment-id",
    "posted-date",
    "posted-date-time",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
    "promotion-id",
)
SUMMARY_COLUMNS = V2_COLUMNS[:6]  # settlement-id .. currency: what the summary row carries
# canonical column -> report column, for the identifying columns both flat layouts share
SHARED_COLUMNS = {
    "settlement_id": "settlement-id",
    "transaction_type": "transaction-type",
    "order_id": "order-id",
    "merchant_order_id": "merchant-order-id",
    "adjustment_id": "adjustment-id",
    "shipment_id": "shipment-id",
    "marketplace": "marketplace-name",
    "fulfillment_id": "fulfillment-id",
    "sku": "sku",
    "order_item_code": "order-item-code",
    "promotion_id": "promotion-id",
}
# Read dictionary-encoded: few distinct values, grouped on later (measured faster than plain
# strings for these; high-cardinality columns stay plain).
REPETITIVE = {
    "settlement-id",
    "currency",
    "transaction-type",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "fulfillment-id",
    "posted-date",
    "price-type",
    "item-related-fee-type",
    "shipment-fee-type",
    "order-fee-type",
    "promotion-type",
    "direct-payment-type",
    "other-fee-reason-description",
}
V2_REQUIRED = (*SUMMARY_COLUMNS, "transaction-type", "amount-type", "amount-description", "amount")
HINT_V2 = "A Flat File V2 settlement report (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2) has these columns."


@dataclass
class FlatRows:
    """A flat file split into its summary rows and its non-blank detail rows."""

    path: str
    tsv: TsvTable
    summaries: list[SummaryRow]
    details: pa.Table
    lines: np.ndarray
    blank_rows: int
    problems: ProblemLog
    _cleaned: dict[str, pa.ChunkedArray] = field(default_factory=dict)

    @property
    def data_rows(self) -> int:
        """Non-blank rows after the header, malformed ones included."""
        return self.tsv.table.num_rows - self.blank_rows + len(self.tsv.problems)

    def column(self, name: str) -> pa.ChunkedArray:
        """A detail column by report header name; all-null when the file lacks it."""
        if name in self.details.column_names:
            return self.details.column(name)
        return pa.chunked_array([pa.nulls(self.details.num_rows, pa.string())])

    def clean(self, name: str) -> pa.ChunkedArray:
        """A detail column trimmed, with empty values null (computed once per column)."""
        if name not in self._cleaned:
            self._cleaned[name] = blank_to_null(self.column(name), empty_is_null=True)
        return self._cleaned[name]

    def flag(self, mask: pa.Array | pa.ChunkedArray, found: pa.ChunkedArray, column: str, expected: str) -> None:
        """Record a problem for every detail row where ``mask`` is true."""
        self.problems.add_mask(self.path, mask, self.lines, found, column, expected)

    def shared_columns(self) -> dict[str, pa.ChunkedArray | pa.Array]:
        """Canonical identifying columns, posted time and quantity, plus the source line."""
        # Column by column on two threads: the work is in numpy and pyarrow, which release the GIL.
        # Only the posting times flag problems meanwhile, so problems keep their order.
        with ThreadPoolExecutor(max_workers=2) as pool:
            posted = pool.submit(self._posted_time)
            list(pool.map(self.clean, [*SHARED_COLUMNS.values(), "quantity-purchased"]))
            stamps = posted.result()
        out: dict[str, pa.ChunkedArray | pa.Array] = {
            canonical: self.clean(name) for canonical, name in SHARED_COLUMNS.items()
        }
        out["posted_time"] = stamps
        out["quantity"] = self._quantity()
        out["source_line"] = pa.array(self.lines, pa.int64())
        return out

    def _posted_time(self) -> pa.Array:
        stamp = pa.nulls(self.details.num_rows, TIMESTAMP)
        for name in ("posted-date-time", "posted-date"):
            if name in self.details.column_names:
                values = self.column(name)
                parsed, bad = parse_dates(values, SETTLEMENT_DATE_FORMATS)
                self.flag(bad, values, name, EXPECTED_SETTLEMENT_DATE)
                stamp = pc.coalesce(stamp, parsed)
        return stamp

    def _quantity(self) -> pa.ChunkedArray:
        text = self.clean("quantity-purchased")
        try:
            return text.cast(pa.int32()).cast(pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            valid = pc.match_substring_regex(text, r"^-?[0-9]{1,9}$")
            self.flag(pc.invert(valid), text, "quantity-purchased", "a whole number")
            return pc.if_else(pc.fill_null(valid, False), text, pa.scalar(None, pa.string())).cast(pa.int64())


def split_rows(raw: RawFile, required: tuple[str, ...], hint: str) -> FlatRows:
    """Read a flat file and separate its summary rows from its detail rows."""
    tsv = read_tsv(raw, REPETITIVE)
    raw.release()
    missing = [c for c in required if c not in tsv.header]
    if missing:
        raise MissingColumns(raw.path, missing, tsv.header, hint)
    problems = ProblemLog()
    for problem in tsv.problems:
        problems.add(problem)
    table = tsv.table
    ids = blank_to_null(table.column("settlement-id"), empty_is_null=True)
    repeated_header = np.asarray(pc.fill_null(pc.equal(ids, "settlement-id"), False), dtype=bool)
    problems.add_mask(
        raw.path,
        repeated_header,
        tsv.lines,
        ids,
        "settlement-id",
        "a settlement id, not a second header row (two reports joined into one file? load them separately)",
    )
    summary = (
        np.asarray(pc.is_valid(blank_to_null(table.column("total-amount"), empty_is_null=True)), dtype=bool)
        & ~repeated_header
    )
    summaries = _summaries(table.filter(pa.array(summary)), tsv.lines[summary])
    detail = ~summary & ~repeated_header
    details, lines = _take(table, detail), tsv.lines[detail]
    rows = FlatRows(raw.path, tsv, summaries, details, lines, 0, problems)
    blank = _all_blank(rows)
    if blank.any():
        rows = FlatRows(
            raw.path, tsv, summaries, details.filter(pa.array(~blank)), lines[~blank], int(blank.sum()), problems
        )
    if not rows.data_rows:
        raise FileProblem(
            raw.path,
            "has a header but no rows",
            "A settlement report has a summary row after the header; download the report again.",
        )
    ids = rows.clean("settlement-id")
    rows.flag(pc.is_null(ids), ids, "settlement-id", "the settlement id on every detail row")
    return rows


def _take(table: pa.Table, mask: np.ndarray) -> pa.Table:
    """Rows where ``mask`` holds; a zero-copy slice when they are one run (the usual case:
    every row after the summary)."""
    hits = np.flatnonzero(mask)
    if len(hits) and hits[-1] - hits[0] + 1 == len(hits):
        return table.slice(int(hits[0]), len(hits))
    return table.filter(pa.array(mask))


def _summaries(rows: pa.Table, lines: np.ndarray) -> list[SummaryRow]:
    records = (
        rows.select(list(SUMMARY_COLUMNS)).cast(pa.schema([(c, pa.string()) for c in SUMMARY_COLUMNS])).to_pylist()
    )
    return [
        SummaryRow(
            settlement_id=(r["settlement-id"] or "").strip(),
            start=(r["settlement-start-date"] or "").strip(),
            end=(r["settlement-end-date"] or "").strip(),
            deposit_date=(r["deposit-date"] or "").strip(),
            total=(r["total-amount"] or "").strip(),
            currency=(r["currency"] or "").strip().upper(),
            line=int(line),
        )
        for r, line in zip(records, lines, strict=True)
    ]


def _all_blank(rows: FlatRows) -> np.ndarray:
    """Rows whose every field is empty (a line of tabs): not data."""
    blank = np.ones(rows.details.num_rows, dtype=bool)
    for name in rows.details.column_names:
        if not blank.any():
            break
        blank &= np.asarray(pc.is_null(rows.clean(name)))
    return blank


def read_flat_v2(raw: RawFile) -> ParsedFile:
    """Read a Flat File V2 report into canonical detail lines (amounts still text)."""
    rows = split_rows(raw, V2_REQUIRED, HINT_V2)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the usual file holds one settlement: its amounts are parsed meanwhile, in its currency
        amounts = pool.submit(_amounts_in_summary_currency, rows.column("amount"), rows.summaries)
        columns = rows.shared_columns()
        columns["amount_type"] = rows.clean("amount-type")
        columns["amount_description"] = rows.clean("amount-description")
        columns[AMOUNT_TEXT] = rows.column("amount")
        columns["currency"] = rows.clean("currency")
        details = pa.table(columns)
        parsed_amounts = amounts.result()
    return ParsedFile(
        raw=raw,
        format="flat-v2",
        summaries=rows.summaries,
        details=details,
        problems=rows.problems,
        data_rows=rows.data_rows,
        no_amount_rows=0,
        blank_lines=rows.tsv.blank_lines + rows.blank_rows,
        detail_rows=details.num_rows,
        amounts=parsed_amounts,
    )


def _amounts_in_summary_currency(
    amounts: pa.ChunkedArray, summaries: list[SummaryRow]
) -> tuple[str, pa.Array, pa.Array] | None:
    """The amounts parsed in the currency of the file's only summary row (None otherwise)."""
    currencies = {s.currency for s in summaries}
    if len(currencies) != 1:
        return None
    (currency,) = currencies
    minor, valid = parse_amounts(amounts, exponent(currency))
    return currency, minor, valid
