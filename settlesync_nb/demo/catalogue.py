"""The fixed facts the demo data is made of: products, marketplaces, tax rates and periods.

A small coffee-equipment seller on Amazon.com and Amazon.de (with Amazon.fr orders in the
European settlement). Money in minor units; every date is UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from .orders import Market, Product

US = Market("Amazon.com")
DE = Market("Amazon.de", withholds_tax=False)
# France charges a 3% digital services tax that Amazon passes on as a fee on its commission.
FR = Market("Amazon.fr", digital_services_bp=300, withholds_tax=False)

US_CATALOGUE = (
    Product("BK-CAST-10", 3499, 412),
    Product("KT-PRESS-08", 2995, 358),
    Product("GR-BURR-02", 8999, 611),
    Product("ST-MUG-12OZ", 1450, 322),
    Product("FL-PAPER-100", 799, 275),
    Product("SC-SCALE-01", 2499, 341),
    Product("KT-GOOSE-1L", 4999, 512),
    Product("ESP-PRO-900", 104900, 1985),
)
# EU prices include VAT (no Tax lines); SKUs with umlauts are real and need cp1252.
DE_CATALOGUE = (
    Product("Kaffeemühle-01", 4990, 356),
    Product("Milchkännchen-350", 1999, 289),
    Product("SIEBTRÄGER-58", 3490, 311),
    Product("FILTERPAPIER-100", 699, 247),
    Product("ESP-PRO-900-EU", 114118, 1720),
)
GRINDER = DE_CATALOGUE[0]
ESPRESSO_EU = DE_CATALOGUE[4]
# Destination sales tax in basis points; 0 is a state without sales tax (OR, MT, NH, DE).
US_TAX_BP = (725, 625, 888, 650, 600, 700, 825, 0, 0)
US_SHIPPING = (0, 0, 0, 0, 599)  # most FBA orders ship free
EU_SHIPPING = (0, 0, 0, 399)
EU_TAX_BP = (0,)


@dataclass(frozen=True)
class Period:
    """A settlement period and the day Amazon pays out."""

    start: datetime
    end: datetime
    deposit: datetime


def _utc(day: int, hour: int, minute: int, second: int, month: int = 9) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


US_FIRST = Period(_utc(1, 2, 14, 7), _utc(15, 2, 14, 7), _utc(17, 2, 14, 7))
US_SECOND = Period(_utc(15, 2, 14, 7), _utc(29, 2, 14, 7), _utc(1, 2, 14, 7, month=10))
DE_PERIOD = Period(_utc(3, 7, 49, 55), _utc(17, 7, 49, 55), _utc(19, 7, 49, 55))
EARLIER_ORDER_DAY = _utc(21, 15, 2, 44, month=8)  # an order settled before the loaded periods
