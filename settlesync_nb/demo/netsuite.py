"""The NetSuite side of the demo: a saved-search CSV export with planted discrepancies.

Every Amazon order and refund gets the transaction NetSuite Connector would have posted, for
the sum of its ItemPrice and Promotion lines across every loaded settlement (refunds by
magnitude, written with either sign as real exports do). Then exactly these are planted: two
orders never synced, an amount off by 5.00 and one off by 0.01, an order posted twice, an order
whose only posting is voided, a EUR order recorded in USD, and a cash sale for an order Amazon
never settled.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from .records import BasisEntry
from .scenario import Scenario

HEADER = ("Internal ID", "Type", "Date", "Document Number", "Status", "Amazon Order ID", "Amount", "Currency")
_PREFIX = {"Cash Sale": "CS", "Invoice": "INV", "Credit Memo": "CM", "Cash Refund": "CR"}
_STATUS = {
    "Cash Sale": "Deposited",
    "Invoice": "Paid In Full",
    "Credit Memo": "Fully Applied",
    "Cash Refund": "Applied",
}
SIGN_STYLES = ("minus", "parentheses", "plain")  # how a refund's amount is written, in turn
OFF_BY = 500
OFF_BY_ROUNDING = 1


@dataclass(frozen=True)
class Row:
    """One NetSuite transaction before formatting; ``amount`` in minor units, unsigned."""

    type: str
    day: date
    order_id: str
    amount: int
    currency: str
    status: str = ""
    sign: str = "plain"
    internal_id: str = ""
    document_number: str = ""


@dataclass(frozen=True)
class Plants:
    """Which order got which planted discrepancy (order ids)."""

    missing_us: str
    missing_de: str
    off_by_5: str
    off_by_cent: str
    duplicated: str
    voided: str
    wrong_currency: str
    not_in_amazon: str
    not_in_amazon_amount: int
    invoices: tuple[str, ...]
    earlier_refund: str  # not a discrepancy: the refund of an earlier order is a Credit Memo


def plain_orders(scenario: Scenario, entries: dict[tuple[str, str], BasisEntry], currency: str) -> list[str]:
    """Orders in one settlement with no promotion, refund or split: safe to plant on."""
    return [
        entry.order_id
        for key, entry in entries.items()
        if key[1] == "Order"
        and entry.currency == currency
        and len(entry.settlement_ids) == 1
        and not scenario.tags.get(entry.order_id)
    ]


def choose_plants(rng: random.Random, scenario: Scenario, entries: dict[tuple[str, str], BasisEntry]) -> Plants:
    """Pick distinct ordinary orders for every planted discrepancy."""
    us = rng.sample(plain_orders(scenario, entries, "USD"), 8)
    de = rng.sample(plain_orders(scenario, entries, "EUR"), 2)
    known = {entry.order_id for entry in entries.values()}
    while True:
        ghost = f"114-{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
        if ghost not in known:
            break
    # the ghost order is a gooseneck kettle shipped to a 7.25% tax state: 49.99 + 3.62
    return Plants(us[0], de[0], us[1], us[2], us[3], us[4], de[1], ghost, 5361, tuple(us[5:]), scenario.earlier_order)


def build_rows(rng: random.Random, entries: dict[tuple[str, str], BasisEntry], plants: Plants) -> list[Row]:
    """NetSuite transactions for every basis entry, with the plants applied; ids assigned."""
    rows: list[Row] = []
    refunds = 0
    for (order_id, kind), entry in entries.items():
        if order_id in (plants.missing_us, plants.missing_de):
            continue
        if kind == "Refund":
            day = entry.first_posted.date()
            memo = refunds % 3 != 1 or order_id == plants.earlier_refund
            kind_name = "Credit Memo" if memo else "Cash Refund"
            rows.append(Row(kind_name, day, order_id, -entry.amount, entry.currency, sign=SIGN_STYLES[refunds % 3]))
            refunds += 1
            continue
        day = entry.first_posted.date() - timedelta(days=rng.randrange(0, 3))  # ordered before shipped
        row = Row(
            "Invoice" if order_id in plants.invoices else "Cash Sale", day, order_id, entry.amount, entry.currency
        )
        if order_id == plants.off_by_5:
            row = replace(row, amount=row.amount + OFF_BY)
        elif order_id == plants.off_by_cent:
            row = replace(row, amount=row.amount - OFF_BY_ROUNDING)
        elif order_id == plants.voided:
            row = replace(row, status="Voided")
        elif order_id == plants.wrong_currency:
            row = replace(row, currency="USD")
        elif order_id == plants.duplicated:
            rows.append(replace(row, day=row.day + timedelta(days=1)))  # synced a second time next day
        rows.append(row)
    rows.append(Row("Cash Sale", date(2026, 9, 9), plants.not_in_amazon, plants.not_in_amazon_amount, "USD"))
    rows.sort(key=lambda row: (row.day, row.order_id, row.type))
    return _number(rng, rows)


def _number(rng: random.Random, rows: list[Row]) -> list[Row]:
    """Internal IDs ascending with gaps (other transactions sit between), document numbers per type."""
    internal = 48210
    counters = {"Cash Sale": 10231, "Invoice": 2040, "Credit Memo": 311, "Cash Refund": 87}
    out = []
    for row in rows:
        internal += rng.randrange(1, 40)
        counters[row.type] += 1
        out.append(
            replace(
                row,
                internal_id=str(internal),
                document_number=f"{_PREFIX[row.type]}{counters[row.type]}",
                status=row.status or _STATUS[row.type],
            )
        )
    return out


def format_amount(minor: int, sign: str = "plain") -> str:
    """NetSuite's number format: ``1,234.56``; negatives ``-1.00`` or ``(1.00)``."""
    whole, cents = divmod(abs(minor), 100)
    text = f"{whole:,}.{cents:02d}"
    if sign == "minus":
        return "-" + text
    if sign == "parentheses":
        return f"({text})"
    return text


def write_export(path: Path, rows: list[Row]) -> Path:
    """Write the rows as NetSuite's CSV export (UTF-8, quoted where needed) and return the path."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow(
            (
                row.internal_id,
                row.type,
                f"{row.day.month}/{row.day.day}/{row.day.year}",
                row.document_number,
                row.status,
                row.order_id,
                format_amount(row.amount, row.sign),
                row.currency,
            )
        )
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path
