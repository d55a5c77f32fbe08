"""Which column of a NetSuite saved-search export is which field, and how its values are written.

Saved-search labels are the user's choice: a :class:`ColumnMapping` finds each field by its
usual labels, by the order-id field of NetSuite Connector (FarApp) or Celigo (``preset``), or by
exact labels from the config file; it also carries the user's number and date preferences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import UsageError

FIELDS = ("internal_id", "type", "date", "document_number", "status", "order_id", "amount", "currency")
REQUIRED = ("internal_id", "type", "order_id", "amount")  # columns the export must have
REQUIRED_VALUES = ("internal_id", "type", "amount")  # a summary Cash Sale has no order id
DATE_ORDERS = ("mdy", "dmy")
# NetSuite shows currencies by name in saved searches unless the ISO code is chosen.
CURRENCY_NAMES = {
    "US DOLLAR": "USD",
    "USA": "USD",
    "CANADIAN DOLLAR": "CAD",
    "CANADA": "CAD",
    "EURO": "EUR",
    "BRITISH POUND": "GBP",
    "POUND STERLING": "GBP",
    "UK POUND": "GBP",
    "JAPANESE YEN": "JPY",
    "YEN": "JPY",
    "MEXICAN PESO": "MXN",
    "AUSTRALIAN DOLLAR": "AUD",
    "INDIAN RUPEE": "INR",
    "SWEDISH KRONA": "SEK",
    "POLISH ZLOTY": "PLN",
    "TURKISH LIRA": "TRY",
    "UAE DIRHAM": "AED",
    "SAUDI RIYAL": "SAR",
    "SINGAPORE DOLLAR": "SGD",
    "BRAZILIAN REAL": "BRL",
    "EGYPTIAN POUND": "EGP",
}
_ORDER_ID_LABELS = {
    "default": ("Amazon Order ID", "Amazon Order Id", "Amazon Order Number"),
    "farapp": (
        "FarApp Channel Order",
        "Channel Order",
        "Channel Order #",
        "Channel Order ID",
        "custbody_fa_channel_order",
    ),
    "celigo": ("eTail Order Id", "eTail Order ID", "Celigo eTail Order ID", "custbody_celigo_etail_order_id"),
}
PRESETS = tuple(_ORDER_ID_LABELS)
_LABELS: dict[str, tuple[str, ...]] = {
    "internal_id": ("Internal ID", "Internal Id", "id"),
    "type": ("Type", "Transaction Type", "type"),
    "date": ("Date", "Transaction Date", "trandate"),
    "document_number": ("Document Number", "Document Number/ID", "Number", "tranid"),
    "status": ("Status", "status"),
    "amount": ("Amount", "Amount (Transaction Total)", "Total", "foreigntotal"),
    "currency": ("Currency", "currency"),
}
MISSING_HINT = (
    'Name your column labels in a config file ([netsuite.columns] internal_id = "...", ...) or '
    'choose a preset for the order-id field ([netsuite] preset = "farapp" or "celigo").'
)


@dataclass(frozen=True)
class ColumnMapping:
    """Which header label holds each field; ``None`` means "find it by its usual labels".

    Attributes:
        preset: ``default`` (an ``Amazon Order ID`` column), ``farapp`` or ``celigo``.
        columns: Field name -> exact header label, overriding the preset.
        decimal_separator: ``.`` (``1,234.56``) or ``,`` (``1.234,56``).
        currency: Currency of every amount when the export has no Currency column; ``None``
            takes each order's settlement currency at reconciliation.
        date_order: ``mdy`` (``3/15/2023``, NetSuite's US default) or ``dmy`` (``15/3/2023``).
    """

    preset: str = "default"
    columns: Mapping[str, str] = field(default_factory=dict)
    decimal_separator: str = "."
    currency: str | None = None
    date_order: str = "mdy"

    def __post_init__(self) -> None:
        if self.preset not in _ORDER_ID_LABELS:
            raise UsageError(f"Unknown NetSuite preset: {self.preset!r} (valid options are {', '.join(PRESETS)})")
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise UsageError(
                f"Unknown NetSuite field(s) {unknown} in the column mapping (valid options are {', '.join(FIELDS)})"
            )
        if self.date_order not in DATE_ORDERS:
            raise UsageError(f"date_order must be one of {', '.join(DATE_ORDERS)} (found {self.date_order!r})")
        if self.decimal_separator not in (".", ","):
            raise UsageError(f"decimal_separator must be '.' or ',' (found {self.decimal_separator!r})")
        if self.currency is not None:
            code = self.currency.strip().upper()
            if not (len(code) == 3 and code.isascii() and code.isalpha()):
                raise UsageError(f"currency must be a three-letter ISO code such as USD (found {self.currency!r})")
            object.__setattr__(self, "currency", code)  # frozen: normalised once, here

    def labels(self, name: str) -> tuple[str, ...]:
        """Header labels accepted for a field, most specific first."""
        if name in self.columns:
            return (self.columns[name],)
        if name == "order_id":
            return _ORDER_ID_LABELS[self.preset]
        return _LABELS[name]
