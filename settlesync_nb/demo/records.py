"""The generator's own model of a settlement: lines in integer minor units, not yet text.

Scenario code builds these records; :mod:`.flatfile` writes them in a marketplace's style and
:mod:`.netsuite` derives the NetSuite side from them, so both sides come from the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

# What NetSuite Connector posts as an order's (or refund's) total: principal, tax, shipping and
# shipping tax less promotions. Fees and Amazon-withheld tax are not part of it.
BASIS_AMOUNT_TYPES = ("ItemPrice", "Promotion")
BASIS_TRANSACTION_TYPES = ("Order", "Refund")


@dataclass(frozen=True)
class Line:
    """One detail row of a Flat File V2 report; ``amount`` is in minor units."""

    transaction_type: str
    amount_type: str
    amount_description: str
    amount: int
    posted: datetime
    order_id: str = ""
    merchant_order_id: str = ""
    adjustment_id: str = ""
    shipment_id: str = ""
    marketplace: str = ""
    fulfillment_id: str = ""
    order_item_code: str = ""
    merchant_order_item_id: str = ""
    merchant_adjustment_item_id: str = ""
    sku: str = ""
    quantity: str = ""
    promotion_id: str = ""


@dataclass(frozen=True)
class DemoSettlement:
    """A settlement as generated.

    ``missing`` holds lines that belong to the settlement (its total includes them) but are
    left out of the written file: that is how an inconsistent settlement is planted.
    """

    settlement_id: str
    currency: str
    start: datetime
    end: datetime
    deposit: datetime
    lines: tuple[Line, ...]
    missing: tuple[Line, ...] = field(default=())

    @property
    def lines_total(self) -> int:
        """Sum of the lines written to the file, in minor units."""
        return sum(line.amount for line in self.lines)

    @property
    def total(self) -> int:
        """The summary row's total-amount: every line, written or missing."""
        return self.lines_total + sum(line.amount for line in self.missing)

    def with_amount(self, index: int, amount: int) -> DemoSettlement:
        """A copy with line ``index`` restated to ``amount`` (the total follows)."""
        lines = list(self.lines)
        lines[index] = replace(lines[index], amount=amount)
        return replace(self, lines=tuple(lines))


@dataclass(frozen=True)
class BasisEntry:
    """What NetSuite should hold for one (order id, Order|Refund) across all settlements."""

    order_id: str
    transaction_type: str
    currency: str
    amount: int
    settlement_ids: tuple[str, ...]
    first_posted: datetime
    marketplace: str


def basis(settlements: Iterable[DemoSettlement]) -> dict[tuple[str, str], BasisEntry]:
    """Sum ItemPrice and Promotion lines per (order id, transaction type), in order of first line.

    Refund entries keep Amazon's sign (negative); NetSuite compares them by magnitude.
    """
    found: dict[tuple[str, str], BasisEntry] = {}
    for settlement in settlements:
        for line in settlement.lines:
            if line.transaction_type not in BASIS_TRANSACTION_TYPES or not line.order_id:
                continue
            key = (line.order_id, line.transaction_type)
            amount = line.amount if line.amount_type in BASIS_AMOUNT_TYPES else 0
            entry = found.get(key)
            if entry is None:
                found[key] = BasisEntry(
                    line.order_id,
                    line.transaction_type,
                    settlement.currency,
                    amount,
                    (settlement.settlement_id,),
                    line.posted,
                    line.marketplace,
                )
                continue
            sids = entry.settlement_ids
            if settlement.settlement_id not in sids:
                sids = (*sids, settlement.settlement_id)
            found[key] = replace(
                entry,
                amount=entry.amount + amount,
                settlement_ids=sids,
                first_posted=min(entry.first_posted, line.posted),
            )
    return found
