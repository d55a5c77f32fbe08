"""Tiny, readable scenario files for reconciliation tests: V2 reports and NetSuite exports."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pandas as pd

from settlesync_nb.io.flat import V2_COLUMNS
from settlesync_nb.reconcile.engine import COLUMNS

NETSUITE_HEADER = ("Internal ID", "Type", "Date", "Document Number", "Status", "Amazon Order ID", "Amount", "Currency")


def line(
    transaction_type: str, order_id: str, amount_type: str, description: str, amount: str, **extra: str
) -> dict[str, str]:
    """One detail row; ``extra`` sets other V2 columns (dashes as underscores)."""
    row = {
        "transaction-type": transaction_type,
        "order-id": order_id,
        "amount-type": amount_type,
        "amount-description": description,
        "amount": amount,
        "marketplace-name": "Amazon.com",
        "posted-date-time": "2026-09-03 10:00:00 UTC",
        "posted-date": "2026-09-03",
        "sku": "SKU-1",
    }
    row.update({k.replace("_", "-"): v for k, v in extra.items()})
    return row


def order(
    order_id: str,
    principal: str,
    tax: str | None = None,
    promotion: str | None = None,
    commission: str | None = "-1.00",
    shipment: str = "SHIP1",
) -> list[dict[str, str]]:
    """An Order's lines: principal, optional tax and promotion, a commission fee."""
    rows = [line("Order", order_id, "ItemPrice", "Principal", principal, shipment_id=shipment)]
    if tax:
        rows.append(line("Order", order_id, "ItemPrice", "Tax", tax, shipment_id=shipment))
    if promotion:
        rows.append(line("Order", order_id, "Promotion", "Principal", promotion, shipment_id=shipment))
    if commission:
        rows.append(line("Order", order_id, "ItemFees", "Commission", commission, shipment_id=shipment))
    return rows


def refund(order_id: str, principal: str, adjustment: str = "ADJ1") -> list[dict[str, str]]:
    """A Refund's lines: negative principal and the commission given back."""
    return [
        line("Refund", order_id, "ItemPrice", "Principal", principal, adjustment_id=adjustment),
        line("Refund", order_id, "ItemFees", "Commission", "0.50", adjustment_id=adjustment),
    ]


def write_v2(
    path: Path,
    settlement_id: str,
    rows: list[dict[str, str]],
    currency: str = "USD",
    total: str | None = None,
    start: str = "2026-09-01 00:00:00 UTC",
    end: str = "2026-09-14 23:59:59 UTC",
    deposit: str = "2026-09-16 00:00:00 UTC",
) -> Path:
    """Write a Flat File V2 report; the total is the exact sum of the rows unless given."""
    if total is None:
        places = 0 if currency == "JPY" else 2
        total_value = sum((Decimal(r["amount"]) for r in rows), Decimal(0))
        total = f"{total_value:.{places}f}"
    summary = {
        "settlement-id": settlement_id,
        "settlement-start-date": start,
        "settlement-end-date": end,
        "deposit-date": deposit,
        "total-amount": total,
        "currency": currency,
    }
    text = ["\t".join(V2_COLUMNS), "\t".join(summary.get(c, "") for c in V2_COLUMNS)]
    for row in rows:
        full = {"settlement-id": settlement_id, **row}
        text.append("\t".join(full.get(c, "") for c in V2_COLUMNS))
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def write_netsuite(path: Path, rows: list[tuple[str, ...]], header: tuple[str, ...] = NETSUITE_HEADER) -> Path:
    """Write a NetSuite export; each row is (internal id, type, date, doc, status, order id, amount[, currency])."""

    def cell(value: str) -> str:
        return f'"{value}"' if any(ch in value for ch in ',"\n') else value

    lines = [",".join(header), *(",".join(cell(v) for v in row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sale(
    internal_id: str,
    order_id: str,
    amount: str,
    status: str = "Deposited",
    kind: str = "Cash Sale",
    currency: str = "USD",
) -> tuple[str, ...]:
    """A NetSuite row for an order (or, with ``kind``, a refund)."""
    return (internal_id, kind, "9/3/2026", f"DOC{internal_id}", status, order_id, amount, currency)


# A discrepancy row as the engine builds it, for figure, filter and widget tests.
BASE: dict[str, object] = {
    "settlement_id": "1001",
    "transaction_type": "Order",
    "order_id": "A",
    "kind": "amount_mismatch",
    "severity": "error",
    "amazon_minor": 1000,
    "netsuite_minor": 999,
    "difference_minor": 1,
    "currency": "USD",
    "netsuite_documents": "Cash Sale CS1",
    "explanation": "Amazon 10.00 is 0.01 more than NetSuite 9.99",
    "marketplace": "Amazon.com",
    "posted_time": pd.Timestamp("2026-09-03 10:00", tz="UTC"),
    "skus": "SKU-1",
    "resolution": None,
    "reviewer": None,
    "note": None,
}


def frame(*changes: Mapping[str, object]) -> pd.DataFrame:
    """Discrepancy rows as the engine builds them: records with None, object columns."""
    return pd.DataFrame([{**BASE, **c} for c in changes], columns=COLUMNS)


def signoff_run(folder: Path) -> Path:
    """A reconciled run with one error (order C missing in NetSuite), a refunded order A whose
    sale and refund match, and a plain order B that matches: what a sign-off needs."""
    from settlesync_nb.cli import main

    rows = order("A", "10.00") + refund("A", "-4.00") + order("B", "5.00") + order("C", "7.00")
    report = write_v2(folder / "s.txt", "1001", rows)
    export = write_netsuite(
        folder / "ns.csv",
        [sale("1", "A", "10.00"), sale("2", "A", "4.00", kind="Credit Memo"), sale("3", "B", "5.00")],
    )
    run = folder / "run"
    assert main(["reconcile", "--amazon", str(report), "--netsuite", str(export), "--out", str(run)]) == 1
    return run
