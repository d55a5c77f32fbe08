"""Order and refund lines the way Amazon writes them, computed exactly in minor units.

An order item gives ItemPrice lines (Principal, Tax, Shipping, ShippingTax), an optional
Promotion, ItemFees (Commission, FBA fulfilment fee, the French digital services fee) and,
where Amazon collects the sales tax as marketplace facilitator, ItemWithheldTax lines that net
the tax to zero. A refund reverses principal and tax, gives back the commission and charges a
refund administration fee (RefundCommission).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .records import Line


@dataclass(frozen=True)
class Product:
    """A catalogue entry; money in minor units."""

    sku: str
    price: int
    fba_fee: int


@dataclass(frozen=True)
class Market:
    """What differs between marketplaces: name, fee rates in basis points, tax collection."""

    name: str
    commission_bp: int = 1500
    digital_services_bp: int = 0
    withholds_tax: bool = True


@dataclass(frozen=True)
class Item:
    """One order item as shipped: which product, how many, in which shipment, when posted.

    ``tax_bp`` is the destination's sales tax rate (0: no tax lines); ``shipping`` is the
    shipping charged per item; ``promotion`` the discount given (positive minor units).
    """

    product: Product
    quantity: int
    order_item_code: str
    shipment_id: str
    posted: datetime
    tax_bp: int = 0
    shipping: int = 0
    promotion: int = 0
    promotion_id: str = ""


def share(amount: int, basis_points: int) -> int:
    """``amount * basis_points / 10000`` rounded half up, in integer arithmetic."""
    sign = -1 if amount < 0 else 1
    return sign * ((abs(amount) * basis_points + 5000) // 10000)


def order_lines(order_id: str, item: Item, market: Market) -> list[Line]:
    """The detail lines of one shipped order item."""
    principal = item.product.price * item.quantity
    tax = share(principal, item.tax_bp)
    shipping_tax = share(item.shipping, item.tax_bp)
    amounts: list[tuple[str, str, int, str]] = [("ItemPrice", "Principal", principal, "")]
    if tax:
        amounts.append(("ItemPrice", "Tax", tax, ""))
    if item.shipping:
        amounts.append(("ItemPrice", "Shipping", item.shipping, ""))
        if shipping_tax:
            amounts.append(("ItemPrice", "ShippingTax", shipping_tax, ""))
    if item.promotion:
        amounts.append(("Promotion", "Principal", -item.promotion, item.promotion_id))
    commission = max(30, share(principal + item.shipping - item.promotion, market.commission_bp))
    amounts.append(("ItemFees", "Commission", -commission, ""))
    amounts.append(("ItemFees", "FBAPerUnitFulfillmentFee", -item.product.fba_fee * item.quantity, ""))
    if market.digital_services_bp:
        amounts.append(("ItemFees", "DigitalServicesFee", -share(commission, market.digital_services_bp), ""))
    if market.withholds_tax and tax:
        amounts.append(("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", -tax, ""))
    if market.withholds_tax and shipping_tax:
        amounts.append(("ItemWithheldTax", "MarketplaceFacilitatorTax-Shipping", -shipping_tax, ""))
    return [
        Line(
            "Order",
            kind,
            description,
            amount,
            item.posted,
            order_id=order_id,
            shipment_id=item.shipment_id,
            marketplace=market.name,
            fulfillment_id="AFN",
            order_item_code=item.order_item_code,
            sku=item.product.sku,
            quantity=str(item.quantity),
            promotion_id=promotion_id,
        )
        for kind, description, amount, promotion_id in amounts
    ]


def refund_lines(
    order_id: str, item: Item, market: Market, adjustment_id: str, posted: datetime, quantity: int | None = None
) -> list[Line]:
    """Refund ``quantity`` units (default: all) of an order item: principal and tax back.

    Amazon keeps a refund administration fee of 20% of the commission it returns, at most
    5.00 (RefundCommission).
    """
    units = item.quantity if quantity is None else quantity
    principal = item.product.price * units
    tax = share(principal, item.tax_bp)
    commission = max(30, share(principal, market.commission_bp))
    amounts: list[tuple[str, str, int]] = [("ItemPrice", "Principal", -principal)]
    if tax:
        amounts.append(("ItemPrice", "Tax", -tax))
    amounts.append(("ItemFees", "Commission", commission))
    amounts.append(("ItemFees", "RefundCommission", -min(500, share(commission, 2000))))
    if market.withholds_tax and tax:
        amounts.append(("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", tax))
    return [
        Line(
            "Refund",
            kind,
            description,
            amount,
            posted,
            order_id=order_id,
            adjustment_id=adjustment_id,
            marketplace=market.name,
            fulfillment_id="AFN",
            order_item_code=item.order_item_code,
            sku=item.product.sku,
        )
        for kind, description, amount in amounts
    ]
