"""The benchmark data set: one Flat File V2 settlement of exactly N lines, written column-wise.

Every order has 8 lines (ItemPrice Principal, Tax, Shipping, ShippingTax; ItemFees Commission,
FBAPerUnitFulfillmentFee; ItemWithheldTax MarketplaceFacilitatorTax-Principal, -Shipping);
3% of orders are followed by a 5-line refund; the few lines left over are fees and reserve
lines. All numbers are drawn up front with numpy (so the total-amount on line 2 is exact and
the output does not depend on the chunk size), then the text is built a chunk of orders at a
time with pyarrow kernels, keeping memory modest for 5 million lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..money import format_minor
from . import catalogue as cat
from .flatfile import COLUMNS, SUMMARY_FIELDS
from .identifiers import US_ORDER_PREFIXES
from .large_netsuite import plant_and_write
from .vectorised import ALNUM, BASE64, ascii_text, by_day, cents, clock, digits, join_fields, write_lines

ORDER_SLOTS = (
    ("Order", "ItemPrice", "Principal"),
    ("Order", "ItemPrice", "Tax"),
    ("Order", "ItemPrice", "Shipping"),
    ("Order", "ItemPrice", "ShippingTax"),
    ("Order", "ItemFees", "Commission"),
    ("Order", "ItemFees", "FBAPerUnitFulfillmentFee"),
    ("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
    ("Order", "ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping"),
)
REFUND_SLOTS = (
    ("Refund", "ItemPrice", "Principal"),
    ("Refund", "ItemPrice", "Tax"),
    ("Refund", "ItemFees", "Commission"),
    ("Refund", "ItemFees", "RefundCommission"),
    ("Refund", "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal"),
)
SLOTS = ORDER_SLOTS + REFUND_SLOTS
OTHER_LINES = (  # (transaction-type, amount-type, amount-description, sign) used in turn
    ("other-transaction", "other-transaction", "Storage Fee", -1),
    ("ServiceFee", "other-transaction", "Subscription Fee", -1),
    ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", -1),
    ("other-transaction", "FBA Inventory Reimbursement", "WAREHOUSE_DAMAGE", 1),
    ("other-transaction", "other-transaction", "Previous Reserve Amount Balance", 1),
    ("other-transaction", "other-transaction", "Current Reserve Amount", -1),
)
REFUND_SHARE_PERCENT = 3
CHUNK_ORDERS = 1 << 15  # about 270,000 lines of text at a time
DATE_TIME = "%Y-%m-%d %H:%M:%S UTC"
DATE = "%Y-%m-%d"


@dataclass(frozen=True)
class LargeOrders:
    """Per-order numbers of the large settlement; arrays of one value per order."""

    settlement_id: str
    prefix: np.ndarray  # index into US_ORDER_PREFIXES
    body: np.ndarray  # the 14 digits after the prefix
    item_code: np.ndarray
    product: np.ndarray  # index into the US catalogue
    quantity: np.ndarray
    posted: np.ndarray  # seconds since the epoch
    refunded: np.ndarray  # bool
    refund_posted: np.ndarray  # seconds; meaningful where refunded
    shipment: np.ndarray  # (orders, 8) ASCII codes
    adjustment: np.ndarray  # (orders, 22) ASCII codes
    amounts: np.ndarray  # (orders, 13) minor units per slot; refund slots 0 where not refunded
    other: np.ndarray  # amounts of the leftover lines

    def order_ids(self, rows: np.ndarray | slice) -> pa.Array:
        """Order ids (``113-1234567-1234567``) of the orders at ``rows``."""
        body = self.body[rows]
        prefix = pa.array(list(US_ORDER_PREFIXES)).take(pa.array(self.prefix[rows]))
        return pc.binary_join_element_wise(prefix, digits(body // 10**7, 7), digits(body % 10**7, 7), "-")


def counts(lines: int) -> tuple[int, int]:
    """(orders, refunds) for ``lines`` detail lines; the few lines left are other transactions."""
    orders = lines // 8 + 1
    while orders and 8 * orders + 5 * _refunds(orders) > lines:
        orders -= 1
    return orders, _refunds(orders)


def _refunds(orders: int) -> int:
    return (orders * REFUND_SHARE_PERCENT + 50) // 100


def _share(amount: np.ndarray, basis_points: int | np.ndarray) -> np.ndarray:
    return (amount * basis_points + 5000) // 10000


def generate(lines: int, seed: int) -> LargeOrders:
    """Draw every number of the large settlement (deterministic for ``seed``)."""
    rng = np.random.default_rng(seed)
    k, r = counts(lines)
    prices = np.array([p.price for p in cat.US_CATALOGUE])
    fees = np.array([p.fba_fee for p in cat.US_CATALOGUE])
    product = rng.integers(0, len(prices) - 1, k)  # the espresso machine is too dear for volume
    quantity = np.array([1, 1, 1, 2, 3])[rng.integers(0, 5, k)]
    rate = np.array(cat.US_TAX_BP)[rng.integers(0, len(cat.US_TAX_BP), k)]
    shipping = np.array(cat.US_SHIPPING)[rng.integers(0, len(cat.US_SHIPPING), k)]
    principal = prices[product] * quantity
    tax, shipping_tax = _share(principal, rate), _share(shipping, rate)
    amounts = np.zeros((k, len(SLOTS)), dtype=np.int64)
    amounts[:, :8] = np.column_stack(
        [
            principal,
            tax,
            shipping,
            shipping_tax,
            -np.maximum(30, _share(principal + shipping, 1500)),
            -fees[product] * quantity,
            -tax,
            -shipping_tax,
        ]
    )
    refunded = np.zeros(k, dtype=bool)
    refunded[rng.choice(k, r, replace=False)] = True
    commission = np.maximum(30, _share(principal, 1500))
    refund = np.column_stack([-principal, -tax, commission, -np.minimum(500, _share(commission, 2000)), tax])
    amounts[refunded, 8:] = refund[refunded]
    start = int(cat.US_FIRST.start.timestamp())
    posted = start + np.sort(rng.integers(60, 13 * 86400, k))
    prefix = rng.integers(0, len(US_ORDER_PREFIXES), k)
    body = rng.integers(0, 10**14, k)
    while len(np.unique(prefix * 10**14 + body)) < k:  # order ids must be unique
        _, first = np.unique(prefix * 10**14 + body, return_index=True)
        again = np.ones(k, dtype=bool)
        again[first] = False
        body[again] = rng.integers(0, 10**14, int(again.sum()))
    leftover = lines - 8 * k - 5 * r
    signs = np.array([sign for *_, sign in OTHER_LINES])[np.arange(leftover) % len(OTHER_LINES)]
    return LargeOrders(
        settlement_id=str(rng.integers(10**10, 10**11)),
        prefix=prefix,
        body=body,
        item_code=rng.integers(0, 10**14, k),
        product=product,
        quantity=quantity,
        posted=posted,
        refunded=refunded,
        refund_posted=posted + rng.integers(3600, 86400, k),
        shipment=ALNUM[rng.integers(0, len(ALNUM), (k, 8))],
        adjustment=BASE64[rng.integers(0, len(BASE64), (k, 22))],
        amounts=amounts,
        other=signs * rng.integers(100, 50000, leftover),
    )


def _us_day(day: date) -> str:
    return day.strftime(DATE)


def _chunk_lines(data: LargeOrders, first: int, last: int) -> pa.Array:
    """The text of the detail lines of orders ``first`` to ``last`` (exclusive)."""
    per_order = np.where(data.refunded[first:last], len(SLOTS), len(ORDER_SLOTS))
    local = np.repeat(np.arange(last - first), per_order)
    slot = np.arange(len(local)) - np.repeat(np.cumsum(per_order) - per_order, per_order)
    refund = pa.array(slot >= len(ORDER_SLOTS))
    take = pa.array(local)
    rows = slice(first, last)

    def either(order_value: pa.Array | str, refund_value: pa.Array | str) -> pa.Array:
        return pc.if_else(refund, refund_value, order_value)

    kinds = [pa.array([s[i] for s in SLOTS]).take(pa.array(slot)) for i in range(3)]
    posted = data.posted[rows][local]
    refund_posted = data.refund_posted[rows][local]
    when = np.where(slot >= len(ORDER_SLOTS), refund_posted, posted)
    day = by_day(when, _us_day)
    skus = pa.array([p.sku for p in cat.US_CATALOGUE]).take(pa.array(data.product[rows][local]))
    adjustment = pc.binary_join_element_wise("amzn1:crow:", ascii_text(data.adjustment[rows]), "").take(take)
    fields: list[pa.Array | str] = [
        data.settlement_id,
        *[""] * (SUMMARY_FIELDS - 1),
        kinds[0],
        data.order_ids(rows).take(take),
        "",
        either("", adjustment),
        either(pc.binary_join_element_wise("D", ascii_text(data.shipment[rows]), "").take(take), ""),
        "Amazon.com",
        kinds[1],
        kinds[2],
        cents(data.amounts[first + local, slot]),
        "AFN",
        day,
        pc.binary_join_element_wise(day, clock(when), "UTC", " "),
        digits(data.item_code[rows], 14).take(take),
        "",
        "",
        skus,
        either(pa.array(data.quantity[rows][local]).cast(pa.string()), ""),
        "",
    ]
    return join_fields(fields, "\t")


def _other_lines(data: LargeOrders, end: int) -> bytes:
    rows = []
    for index, amount in enumerate(data.other.tolist()):
        kind, amount_type, description, _ = OTHER_LINES[index % len(OTHER_LINES)]
        fields = [data.settlement_id, *[""] * (SUMMARY_FIELDS - 1), kind, "", "", "", "", "Amazon.com"]
        fields += [amount_type, description, format_minor(amount, "USD"), ""]
        moment = datetime.fromtimestamp(end - 3600 - index, UTC)
        fields += [moment.strftime(DATE), moment.strftime(DATE_TIME)]
        rows.append("\t".join(fields + [""] * 6) + "\n")
    return "".join(rows).encode("ascii")


def write_settlement(path: Path, data: LargeOrders) -> tuple[int, int]:
    """Write the settlement report; returns (total-amount, bytes written)."""
    total = int(data.amounts.sum()) + int(data.other.sum())
    period = cat.US_FIRST
    summary = [
        data.settlement_id,
        *(moment.strftime(DATE_TIME) for moment in (period.start, period.end, period.deposit)),
        format_minor(total, "USD"),
        "USD",
    ]
    head = ("\t".join(COLUMNS) + "\n" + "\t".join(summary + [""] * (len(COLUMNS) - SUMMARY_FIELDS)) + "\n").encode()
    size = len(head)
    with path.open("wb") as handle:
        handle.write(head)
        for first in range(0, len(data.posted), CHUNK_ORDERS):
            size += write_lines(handle, _chunk_lines(data, first, min(len(data.posted), first + CHUNK_ORDERS)))
        tail = _other_lines(data, int(period.end.timestamp()))
        handle.write(tail)
    return total, size + len(tail)


def write_large(out: Path, amazon: str, netsuite: str, lines: int, seed: int) -> dict[str, Any]:
    """Write the large settlement and its NetSuite export; return the expected.json document."""
    data = generate(lines, seed)
    total, _ = write_settlement(out / amazon, data)
    amount = format_minor(total, "USD")
    planted, rows = plant_and_write(out / netsuite, data, seed)
    return {
        "generator": "settlesync demo",
        "mode": "large",
        "seed": seed,
        "lines": lines,
        "orders": len(data.posted),
        "refunds": int(data.refunded.sum()),
        "other_lines": len(data.other),
        "netsuite_rows": rows,
        "basis": "NetSuite amount = sum of ItemPrice + Promotion lines per (order id, Order|Refund) (this data set has "
        "no promotions); refunds compared by magnitude",
        "files": {"amazon": [amazon], "netsuite": [netsuite]},
        "settlements": [
            {
                "settlement_id": data.settlement_id,
                "file": amazon,
                "currency": "USD",
                "total_amount": amount,
                "lines_total": amount,
                "consistent": True,
                "line_count": lines,
            }
        ],
        "discrepancy_counts": {
            kind: sum(1 for p in planted if p["kind"] == kind) for kind in ("amount_mismatch", "missing_in_netsuite")
        },
        "discrepancies": planted,
        "explanations": [],
    }
