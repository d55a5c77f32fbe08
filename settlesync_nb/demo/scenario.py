"""The Amazon side of the demo: three settlements and the situations planted in them.

Two consecutive Amazon.com settlements and one Amazon.de settlement (with Amazon.fr rows).
Besides ordinary orders they hold promotions, refunds (one partial, one of an order settled
before the loaded periods), an order whose two shipments fall into different settlements,
reserve holds and releases, service fees, advertising, an FBA reimbursement and one line of a
vocabulary no category map knows. The second US settlement does not foot: its Current Reserve
line is missing from the file. A re-download of the DE settlement restates one commission.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from . import catalogue as cat
from .identifiers import IdMaker
from .orders import Item, Market, Product, order_lines, refund_lines, share
from .records import DemoSettlement, Line

US_ORDERS_FIRST = 34
US_ORDERS_SECOND = 18
DE_ORDERS = 14
FR_ORDERS = 6
RESTATED_BY = -150  # the re-downloaded DE copy charges 1,50 more commission on one line


@dataclass(frozen=True)
class Scenario:
    """Everything generated on the Amazon side, and where each planted situation is."""

    us_first: DemoSettlement
    us_second: DemoSettlement
    de: DemoSettlement
    de_redownload: DemoSettlement
    restated_line: int  # index in ``de.lines`` of the line the re-download changes
    tags: dict[str, frozenset[str]]  # order id -> situations it takes part in
    promotions: tuple[str, ...]
    split_order: str
    earlier_order: str
    unclassified: Line

    @property
    def settlements(self) -> tuple[DemoSettlement, ...]:
        """The three distinct settlements, in load order."""
        return (self.us_first, self.us_second, self.de)


@dataclass
class _Builder:
    rng: random.Random
    ids: IdMaker
    items: dict[str, list[Item]] = field(default_factory=dict)
    tags: dict[str, set[str]] = field(default_factory=dict)

    def moment(self, start: datetime, end: datetime) -> datetime:
        return start + timedelta(seconds=self.rng.randrange(1, int((end - start).total_seconds())))

    def order(
        self,
        market: Market,
        window: tuple[datetime, datetime],
        products: tuple[Product, ...] | None = None,
        quantity: int | None = None,
        promotion: str = "",
    ) -> tuple[str, list[Line]]:
        """A new order of one shipment; ``promotion`` labels a 10% discount on its first item."""
        europe = market is not cat.US
        rng = self.rng
        if products is None:
            catalogue = cat.DE_CATALOGUE if europe else cat.US_CATALOGUE
            products = tuple(rng.sample(catalogue, 2 if rng.random() < 0.2 else 1))
        order_id = self.ids.order_id(europe)
        posted = self.moment(*window)
        tax_bp = rng.choice(cat.EU_TAX_BP if europe else cat.US_TAX_BP)
        shipping = rng.choice(cat.EU_SHIPPING if europe else cat.US_SHIPPING)
        shipment = self.ids.shipment_id()
        items = []
        for position, product in enumerate(products):
            count = quantity or (1 if product.price > 50000 else rng.choice((1, 1, 1, 2, 3)))
            discount = share(product.price * count, 1000) if promotion and position == 0 else 0
            code = self.ids.order_item_code()
            promotion_id = self.ids.promotion_id(promotion) if discount else ""
            charged = shipping if position == 0 else 0
            items.append(Item(product, count, code, shipment, posted, tax_bp, charged, discount, promotion_id))
        self.items[order_id] = items
        self.tags[order_id] = {"promotion"} if promotion else set()
        return order_id, [line for item in items for line in order_lines(order_id, item, market)]

    def refund(
        self, order_id: str, market: Market, end: datetime, quantity: int | None = None, start: datetime | None = None
    ) -> list[Line]:
        """Refund an order's first item between ``start`` (default: when it was posted) and
        five days later (at most ``end``)."""
        item = self.items[order_id][0]
        begin = start or item.posted
        posted = self.moment(begin, min(end, begin + timedelta(days=5)))
        self.tags[order_id].add("refunded")
        return refund_lines(order_id, item, market, self.ids.adjustment_id(), posted, quantity)

    def settlement(
        self, currency: str, period: cat.Period, blocks: list[list[Line]], missing: tuple[Line, ...] = ()
    ) -> DemoSettlement:
        """Blocks of lines ordered by when they were posted (stable for equal times)."""
        ordered = sorted(blocks, key=lambda block: block[0].posted)
        lines = tuple(line for block in ordered for line in block)
        sid = self.ids.settlement_id()
        return DemoSettlement(sid, currency, period.start, period.end, period.deposit, lines, missing)


@dataclass(frozen=True)
class _UsFirst:
    settlement: DemoSettlement
    orders: list[str]
    promotions: list[str]
    split_order: str
    split_second: Item
    earlier_order: str
    unclassified: Line
    reserve_held: int


def _us_first(b: _Builder) -> _UsFirst:
    period = cat.US_FIRST
    window = (period.start, period.end - timedelta(days=1))
    blocks: list[list[Line]] = []
    orders, promotions = [], []
    for index in range(US_ORDERS_FIRST):
        label = "Save 10% Coffee Week 2026-09" if index in (4, 15, 27) else ""
        quantity = 2 if index == 1 else None  # the partial refund takes back one of two
        order_id, lines = b.order(cat.US, window, quantity=quantity, promotion=label)
        blocks.append(lines)
        orders.append(order_id)
        if label:
            promotions.append(order_id)
    blocks.append(b.refund(orders[1], cat.US, period.end, quantity=1))
    blocks += [b.refund(orders[i], cat.US, period.end) for i in (7, 20)]

    # One order, two shipments: the first settles on 14 September, the second after the cut.
    split_order, _ = b.order(cat.US, window, products=(cat.US_CATALOGUE[2], cat.US_CATALOGUE[4]), quantity=1)
    first, second = b.items[split_order]
    first = replace(first, posted=period.end - timedelta(hours=20, minutes=13))
    later = cat.US_SECOND.start + timedelta(days=1, hours=4)
    second = replace(second, shipment_id=b.ids.shipment_id(), posted=later)
    b.items[split_order] = [first, second]
    b.tags[split_order] = {"split"}
    blocks.append(order_lines(split_order, first, cat.US))

    # A refund of an order from an August settlement, which is not loaded.
    earlier_order, _ = b.order(cat.US, (cat.EARLIER_ORDER_DAY, cat.EARLIER_ORDER_DAY + timedelta(hours=1)))
    b.tags[earlier_order] = {"earlier"}
    blocks.append(b.refund(earlier_order, cat.US, period.end, start=period.start + timedelta(days=4)))

    start, end = period.start, period.end
    held = -38750
    reimbursed = cat.US_CATALOGUE[6]
    unclassified = Line(
        "other-transaction", "NewProgramFee", "Storefront Pilot Programme 2026", -20000, start + timedelta(days=6)
    )
    other = "other-transaction"
    blocks += [
        [Line(other, other, "Previous Reserve Amount Balance", 41237, start + timedelta(seconds=1))],
        [Line("ServiceFee", other, "Subscription Fee", -3999, start + timedelta(days=2, hours=4))],
        [Line(other, other, "Storage Fee", -6428, start + timedelta(days=7, hours=9))],
        [Line("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", -15237, start + timedelta(days=9))],
        [
            Line(
                other,
                "FBA Inventory Reimbursement",
                "WAREHOUSE_DAMAGE",
                reimbursed.price,
                start + timedelta(days=10, hours=5),
                marketplace="Amazon.com",
                fulfillment_id="AFN",
                sku=reimbursed.sku,
                quantity="1",
            )
        ],
        [unclassified],
        [Line(other, other, "Current Reserve Amount", held, end - timedelta(seconds=1))],
    ]
    settlement = b.settlement("USD", period, blocks)
    return _UsFirst(settlement, orders, promotions, split_order, second, earlier_order, unclassified, held)


def _us_second(b: _Builder, first: _UsFirst) -> DemoSettlement:
    period = cat.US_SECOND
    start, end = period.start, period.end
    blocks = [order_lines(first.split_order, first.split_second, cat.US)]
    orders = []
    for _ in range(US_ORDERS_SECOND):
        order_id, lines = b.order(cat.US, (start, end))
        blocks.append(lines)
        orders.append(order_id)
    # an order of the first settlement refunded in this one, and one of this settlement's own
    blocks.append(b.refund(first.orders[11], cat.US, end, start=start + timedelta(hours=2)))
    blocks.append(b.refund(orders[3], cat.US, end))
    other = "other-transaction"
    blocks += [
        [Line(other, other, "Previous Reserve Amount Balance", -first.reserve_held, start + timedelta(seconds=1))],
        [Line("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", -9811, start + timedelta(days=8))],
    ]
    # Amazon's total includes a reserve hold whose line is not in the file (A2X flags these).
    missing = Line(other, other, "Current Reserve Amount", -25000, end - timedelta(seconds=1))
    return b.settlement("USD", period, blocks, (missing,))


def _de(b: _Builder) -> tuple[DemoSettlement, list[str]]:
    period = cat.DE_PERIOD
    window = (period.start, period.end - timedelta(days=1))
    blocks = []
    orders, promotions = [], []
    chosen = {0: (cat.GRINDER,), 5: (cat.ESPRESSO_EU,), 9: (cat.GRINDER, cat.DE_CATALOGUE[1])}
    for index in range(DE_ORDERS + FR_ORDERS):
        market = cat.DE if index < DE_ORDERS else cat.FR
        label = "Herbstaktion Kaffee 2026" if index == 2 else ""
        order_id, lines = b.order(market, window, products=chosen.get(index), promotion=label)
        blocks.append(lines)
        orders.append(order_id)
        if label:
            promotions.append(order_id)
    blocks.append(b.refund(orders[6], cat.DE, period.end))
    blocks.append(b.refund(orders[DE_ORDERS + 1], cat.FR, period.end))
    start, other = period.start, "other-transaction"
    fees = [
        ("ServiceFee", other, "Subscription Fee", -3900, timedelta(days=1, hours=2)),
        (other, other, "Storage Fee", -2176, timedelta(days=5, hours=6)),
        ("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", -4490, timedelta(days=8, hours=1)),
    ]
    for kind, amount_type, description, amount, after in fees:
        blocks.append([Line(kind, amount_type, description, amount, start + after, marketplace="Amazon.de")])
    return b.settlement("EUR", period, blocks), promotions


def build_scenario(seed: int) -> Scenario:
    """Generate the Amazon side of the demo data set from ``seed`` (deterministic)."""
    b = _Builder(random.Random(seed), IdMaker(random.Random(seed + 1)))
    first = _us_first(b)
    second = _us_second(b, first)
    de, de_promotions = _de(b)
    # the re-download restates the commission of the fourth DE order
    de_orders = list(dict.fromkeys(line.order_id for line in de.lines if line.transaction_type == "Order"))
    fourth = de_orders[3]
    restated = next(
        i for i, line in enumerate(de.lines) if line.order_id == fourth and line.amount_description == "Commission"
    )
    return Scenario(
        us_first=first.settlement,
        us_second=second,
        de=de,
        de_redownload=de.with_amount(restated, de.lines[restated].amount + RESTATED_BY),
        restated_line=restated,
        tags={order_id: frozenset(tags) for order_id, tags in b.tags.items()},
        promotions=(*first.promotions, *de_promotions),
        split_order=first.split_order,
        earlier_order=first.earlier_order,
        unclassified=first.unclassified,
    )
