"""The canonical data every loader produces and every rule consumes.

Canonical lines are an Arrow table (and, on demand, a pandas DataFrame), one row per amount,
with the columns of :data:`LINE_COLUMNS`. Money is ``amount_minor`` (int64 minor units of ``currency``); a decimal
``amount`` exists only in exports. Identifiers are strings; absent values are null.
Per-settlement facts are frozen :class:`Settlement` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .money import format_minor

if TYPE_CHECKING:  # pandas is imported by pyarrow's to_pandas, when a frame is made
    import pandas as pd
    import pyarrow as pa

# name -> meaning; the order is the column order of the frame and of `settlesync load`.
LINE_COLUMNS: dict[str, str] = {
    "settlement_id": "Amazon settlement id",
    "transaction_type": "Order, Refund, ServiceFee, other-transaction, ...",
    "order_id": "Amazon order id",
    "merchant_order_id": "seller's own order id, when Amazon has one",
    "adjustment_id": "refund or adjustment id",
    "shipment_id": "shipment id",
    "marketplace": "marketplace name (Amazon.com, Amazon.de, ...)",
    "amount_type": "ItemPrice, ItemFees, Promotion, ItemWithheldTax, other-transaction, ...",
    "amount_description": "Principal, Tax, Commission, Current Reserve Amount, ...",
    "amount_minor": "amount in minor units of currency (int64, exact)",
    "currency": "ISO currency code of the settlement",
    "posted_time": "when Amazon posted the amount (UTC)",
    "fulfillment_id": "AFN (Amazon) or MFN (merchant) fulfilled",
    "sku": "seller SKU",
    "quantity": "quantity purchased",
    "order_item_code": "Amazon order item code",
    "promotion_id": "promotion id",
    "source_file": "file the line was read from",
    "source_line": "1-based physical line in that file (header = line 1)",
}
CATEGORICAL_COLUMNS = (
    "settlement_id",
    "transaction_type",
    "marketplace",
    "amount_type",
    "amount_description",
    "currency",
    "fulfillment_id",
    "source_file",
)


@dataclass(frozen=True)
class Settlement:
    """One settlement as loaded: the report's own summary and what its lines add up to."""

    settlement_id: str
    format: str
    currency: str
    start: datetime | None
    end: datetime | None
    deposit_date: datetime | None
    total_minor: int
    lines_total_minor: int
    line_count: int
    sources: tuple[str, ...]

    @property
    def consistent(self) -> bool:
        """True when the detail lines add up exactly to the report's total."""
        return self.total_minor == self.lines_total_minor

    @property
    def total_amount(self) -> str:
        """The report's total as a decimal string."""
        return format_minor(self.total_minor, self.currency)

    @property
    def lines_total(self) -> str:
        """The sum of the detail lines as a decimal string."""
        return format_minor(self.lines_total_minor, self.currency)

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record (the ``settlesync inspect --json`` contract)."""
        return {
            "settlement_id": self.settlement_id,
            "format": self.format,
            "currency": self.currency,
            "start": iso_utc(self.start),
            "end": iso_utc(self.end),
            "deposit_date": iso_utc(self.deposit_date),
            "total_amount": self.total_amount,
            "lines_total": self.lines_total,
            "consistent": self.consistent,
            "line_count": self.line_count,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class DuplicateSettlement:
    """A settlement id met more than once; only the first copy is kept."""

    settlement_id: str
    kept_source: str
    dropped_source: str
    identical: bool
    dropped_lines: int


@dataclass(frozen=True)
class SourceFile:
    """What one input file held, so that every row is accounted for.

    ``data_rows`` counts the non-blank rows after the header (for XML: the summaries and money
    elements). Each is a summary row, a row with no amount (old flat file item rows), or one of
    the ``detail_rows`` that gave canonical lines: ``lines`` kept, plus ``duplicate_lines`` left
    out because they belong to a second copy of a settlement. So, for a file that loaded::

        data_rows == summary_rows + no_amount_rows + detail_rows
        lines + duplicate_lines >= detail_rows   (equal but for old flat file rows with two amounts)

    and for a flat file, 1 (header) + ``data_rows`` + ``blank_lines`` is its number of lines.
    """

    path: str
    format: str
    sha256: str
    encoding: str
    compressed: bool
    data_rows: int
    summary_rows: int
    lines: int
    no_amount_rows: int
    blank_lines: int
    duplicate_lines: int
    detail_rows: int = 0


@dataclass(frozen=True)
class LoadResult:
    """Canonical lines of every loaded settlement and how they were obtained.

    ``table`` holds the lines as Arrow (what the reconciliation reads, without a copy);
    ``lines`` is the same data as a pandas frame, made on first use.
    """

    table: pa.Table
    settlements: tuple[Settlement, ...]
    duplicates: tuple[DuplicateSettlement, ...] = ()
    files: tuple[SourceFile, ...] = field(default_factory=tuple)

    @cached_property
    def lines(self) -> pd.DataFrame:
        """The canonical lines as a pandas frame (:data:`LINE_COLUMNS`; made once, on first use)."""
        frame = self.table.to_pandas(split_blocks=True)
        frame["quantity"] = frame["quantity"].astype("Int64")
        return frame

    def settlement(self, settlement_id: str) -> Settlement:
        """The settlement with this id (KeyError listing the loaded ids otherwise)."""
        for item in self.settlements:
            if item.settlement_id == settlement_id:
                return item
        raise KeyError(f"{settlement_id!r} not loaded; loaded: {[s.settlement_id for s in self.settlements]}")

    def describe(self) -> list[dict[str, Any]]:
        """One JSON-safe record per settlement."""
        return [s.describe_dict() for s in self.settlements]


def iso_utc(value: datetime | None) -> str | None:
    """ISO 8601 with an explicit UTC offset, or None."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime in canonical data")
    return value.isoformat().replace("+00:00", "Z")
