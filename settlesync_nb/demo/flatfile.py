"""Writing generated settlements as Flat File V2 reports, in a marketplace's own style.

US reports: UTF-8, ``1141.18``, ``2026-09-14 07:49:55 UTC``. German reports: cp1252, decimal
comma ``1141,18``, ``14.09.2026 07:49:55 UTC``, some amounts padded with trailing spaces and a
blank line at the end, as real downloads are. Gzip output has a zero timestamp so that a seed
always gives the same bytes.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..io.flat import SUMMARY_COLUMNS, V2_COLUMNS
from ..money import format_minor
from .records import DemoSettlement, Line

COLUMNS = V2_COLUMNS
SUMMARY_FIELDS = len(SUMMARY_COLUMNS)  # settlement-id .. currency


@dataclass(frozen=True)
class FileStyle:
    """How one marketplace's reports write numbers, dates and text.

    ``padded_every``: every n-th detail row's amount carries trailing spaces (0: none).
    """

    decimal_separator: str
    date_time_format: str
    date_format: str
    encoding: str
    padded_every: int = 0
    trailing_blank_line: bool = False


US_STYLE = FileStyle(".", "%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d", "utf-8")
DE_STYLE = FileStyle(",", "%d.%m.%Y %H:%M:%S UTC", "%d.%m.%Y", "cp1252", padded_every=7, trailing_blank_line=True)
PADDING = "    "


def _amount(minor: int, currency: str, style: FileStyle) -> str:
    return format_minor(minor, currency).replace(".", style.decimal_separator)


def _detail(settlement: DemoSettlement, line: Line, style: FileStyle, padded: bool) -> list[str]:
    amount = _amount(line.amount, settlement.currency, style) + (PADDING if padded else "")
    return [
        settlement.settlement_id,
        *[""] * (SUMMARY_FIELDS - 1),
        line.transaction_type,
        line.order_id,
        line.merchant_order_id,
        line.adjustment_id,
        line.shipment_id,
        line.marketplace,
        line.amount_type,
        line.amount_description,
        amount,
        line.fulfillment_id,
        line.posted.strftime(style.date_format),
        line.posted.strftime(style.date_time_format),
        line.order_item_code,
        line.merchant_order_item_id,
        line.merchant_adjustment_item_id,
        line.sku,
        line.quantity,
        line.promotion_id,
    ]


def render(settlement: DemoSettlement, style: FileStyle) -> bytes:
    """The report file's bytes: header, summary row, detail rows, in ``style``'s encoding."""

    def when(moment: datetime) -> str:
        return moment.strftime(style.date_time_format)

    summary = [
        settlement.settlement_id,
        when(settlement.start),
        when(settlement.end),
        when(settlement.deposit),
        _amount(settlement.total, settlement.currency, style),
        settlement.currency,
        *[""] * (len(COLUMNS) - SUMMARY_FIELDS),
    ]
    rows = [list(COLUMNS), summary]
    for index, line in enumerate(settlement.lines, start=1):
        padded = bool(style.padded_every) and index % style.padded_every == 0
        rows.append(_detail(settlement, line, style, padded))
    text = "".join("\t".join(row) + "\n" for row in rows)
    if style.trailing_blank_line:
        text += "\n"
    return text.encode(style.encoding)


def write_report(path: Path, settlement: DemoSettlement, style: FileStyle, *, compress: bool = False) -> Path:
    """Write ``settlement`` to ``path`` (gzip-compressed when ``compress``) and return the path."""
    data = render(settlement, style)
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path
