"""The NetSuite export of the benchmark data set, built column-wise like the settlement.

One transaction per Amazon order (Cash Sale, a few Invoices) and per refund (Credit Memo or
Cash Refund, signed either way), amount = the ItemPrice lines. About 0.1% of orders get a
wrong amount and about 0.1% get no transaction at all; they are listed for expected.json.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..money import format_minor
from .netsuite import HEADER
from .vectorised import by_day, grouped_cents, join_fields, write_lines

if TYPE_CHECKING:
    from .large import LargeOrders

PLANTED_PER_MILLE = 1
INVOICE_PERCENT = 2
_TYPES = ("Cash Sale", "Invoice", "Credit Memo", "Cash Refund")
_STATUSES = ("Deposited", "Paid In Full", "Fully Applied", "Applied")
_PREFIXES = ("CS", "INV", "CM", "CR")


def _us_date(day: date) -> str:
    """NetSuite's US date preference: ``9/3/2026``."""
    return f"{day.month}/{day.day}/{day.year}"


def _planted_count(orders: int) -> int:
    """About 0.1% of orders, at least one of each kind when there are two orders to plant on."""
    return max(1 if orders >= 2 else 0, (orders * PLANTED_PER_MILLE + 500) // 1000)


def _amount_text(minor: np.ndarray, style: np.ndarray) -> pa.Array:
    """Unsigned amounts written as NetSuite does; style 0 plain, 1 ``-1.00``, 2 ``(1.00)``.

    Values with a thousands separator are quoted, as in a CSV export.
    """
    text = grouped_cents(minor)
    text = pc.if_else(pa.array(style == 1), pc.binary_join_element_wise("-", text, ""), text)
    text = pc.if_else(pa.array(style == 2), pc.binary_join_element_wise("(", text, ")", ""), text)
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    return pc.if_else(pc.match_substring(text, ","), quoted, text)


def plant_and_write(path: Path, data: LargeOrders, seed: int) -> tuple[list[dict[str, Any]], int]:
    """Write the export; returns the planted discrepancies and the number of rows written."""
    rng = np.random.default_rng([seed, 2])
    k = len(data.posted)
    amazon = data.amounts[:, :4].sum(axis=1)
    planted = _planted_count(k)
    picks = rng.choice(k, 2 * planted, replace=False) if planted else np.zeros(0, dtype=np.int64)
    mismatched, missing = np.sort(picks[:planted]), np.sort(picks[planted:])
    delta = rng.integers(1, 2500, len(mismatched)) * rng.choice([-1, 1], len(mismatched))
    delta = np.where(amazon[mismatched] + delta > 0, delta, np.abs(delta))
    netsuite = amazon.copy()
    netsuite[mismatched] += delta
    kept = np.ones(k, dtype=bool)
    kept[missing] = False

    orders = np.flatnonzero(kept)
    refunds = np.flatnonzero(data.refunded)
    order_type = (rng.integers(0, 100, len(orders)) < INVOICE_PERCENT).astype(np.int64)
    refund_type = np.where(np.arange(len(refunds)) % 3 == 1, 3, 2)
    index = np.concatenate([orders, refunds])
    kind = np.concatenate([order_type, refund_type])
    minor = np.concatenate([netsuite[orders], -(data.amounts[refunds, 8] + data.amounts[refunds, 9])])
    sign = np.concatenate([np.zeros(len(orders), dtype=np.int64), np.arange(len(refunds)) % 3])
    ordered_on = data.posted[orders] - 86400 * rng.integers(0, 3, len(orders))  # ordered before shipped
    seconds = np.concatenate([ordered_on, data.refund_posted[refunds]])
    order = np.lexsort((index, seconds // 86400))
    index, kind, minor, sign, seconds = index[order], kind[order], minor[order], sign[order], seconds[order]

    internal = 7_000_000 + np.cumsum(rng.integers(1, 4, len(index)))
    fields: list[pa.Array | str] = [
        pa.array(internal).cast(pa.string()),
        pa.array(_TYPES).take(pa.array(kind)),
        by_day(seconds, _us_date),
        pc.binary_join_element_wise(
            pa.array(_PREFIXES).take(pa.array(kind)), pa.array(np.arange(len(index)) + 100001).cast(pa.string()), ""
        ),
        pa.array(_STATUSES).take(pa.array(kind)),
        data.order_ids(index),
        _amount_text(minor, sign),
        "USD",
    ]
    with path.open("wb") as handle:
        handle.write((",".join(HEADER) + "\n").encode())
        if len(index):
            write_lines(handle, join_fields(fields, ","))
    return _describe(data, amazon, netsuite, mismatched, missing), len(index)


def _describe(
    data: LargeOrders, amazon: np.ndarray, netsuite: np.ndarray, mismatched: np.ndarray, missing: np.ndarray
) -> list[dict[str, Any]]:
    out = []
    for kind, rows in (("amount_mismatch", mismatched), ("missing_in_netsuite", missing)):
        ids = data.order_ids(rows).to_pylist()
        for order_id, row in zip(ids, rows.tolist(), strict=True):
            entry: dict[str, Any] = {
                "kind": kind,
                "order_id": order_id,
                "transaction_type": "Order",
                "settlement_id": data.settlement_id,
                "amazon_amount": format_minor(int(amazon[row]), "USD"),
                "currency": "USD",
            }
            if kind == "amount_mismatch":
                entry["netsuite_amount"] = format_minor(int(netsuite[row]), "USD")
                entry["difference"] = format_minor(int(netsuite[row] - amazon[row]), "USD")
                entry["note"] = "NetSuite amount differs from the order's ItemPrice lines"
            else:
                entry["note"] = "no NetSuite transaction for the order"
            out.append(entry)
    return out
