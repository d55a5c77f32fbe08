"""Realistic, unique identifiers for the demo data: settlement, order, item and shipment ids.

The shapes copy real reports: 11-digit settlement ids, ``113-1234567-1234567`` order ids
(``3xx-`` on the European marketplaces), 14-digit order-item codes, 9-character FBA shipment
ids starting with ``D`` and ``amzn1:crow:`` refund adjustment ids. Every id comes from one
seeded :class:`random.Random`, so a seed always gives the same ids.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable

_ALNUM = string.ascii_letters + string.digits
_BASE64 = string.ascii_letters + string.digits + "+/"
US_ORDER_PREFIXES = ("111", "112", "113", "114")
EU_ORDER_PREFIXES = ("028", "302", "303", "304", "305", "306")


class IdMaker:
    """Draws identifiers from one seeded generator and never hands out the same one twice."""

    def __init__(self, rng: random.Random) -> None:
        """Start from ``rng``; the ids depend only on its state."""
        self.rng = rng
        self._seen: set[str] = set()

    def _unique(self, draw: Callable[[], str]) -> str:
        while True:
            value = draw()
            if value not in self._seen:
                self._seen.add(value)
                return value

    def _digits(self, count: int) -> str:
        return str(self.rng.randrange(10 ** (count - 1), 10**count))

    def settlement_id(self) -> str:
        """An 11-digit settlement id such as ``23874396421``."""
        return self._unique(lambda: self._digits(11))

    def order_id(self, europe: bool = False) -> str:
        """An Amazon order id, ``113-1234567-1234567`` (``302-...`` in Europe)."""
        prefixes = EU_ORDER_PREFIXES if europe else US_ORDER_PREFIXES

        def draw() -> str:
            prefix = self.rng.choice(prefixes)
            return f"{prefix}-{self.rng.randrange(10**7):07d}-{self.rng.randrange(10**7):07d}"

        return self._unique(draw)

    def order_item_code(self) -> str:
        """A 14-digit order-item code such as ``05318274610294`` (leading zeros are real)."""
        return self._unique(lambda: f"{self.rng.randrange(10**14):014d}")

    def shipment_id(self) -> str:
        """An FBA shipment id such as ``DkX9pLm2Q``."""
        return self._unique(lambda: "D" + "".join(self.rng.choice(_ALNUM) for _ in range(8)))

    def adjustment_id(self) -> str:
        """A refund adjustment id such as ``amzn1:crow:0UcGz5LNTCm+rGIQEkAv5g``."""
        return self._unique(lambda: "amzn1:crow:" + "".join(self.rng.choice(_BASE64) for _ in range(22)))

    def promotion_id(self, label: str) -> str:
        """A promotion id such as ``US Core Free Shipping Promotion 2026-09 7QK3``."""
        return self._unique(lambda: f"{label} {''.join(self.rng.choice(string.ascii_uppercase) for _ in range(4))}")
