"""Reconciliation settings, with defaults, read from an optional TOML config file.

Every setting has a default that matches NetSuite Connector's out-of-the-box behaviour; a
config file changes only what it names, and an unknown key is an error listing the valid ones.

Example ``settlesync.toml``::

    tolerance = "0.01"
    basis = "buyer"                 # or "net-of-fees", "payout", or a list of amount types
    cutoff = "2026-09-01"

    [netsuite]
    preset = "farapp"               # order-id column of NetSuite Connector (FarApp)
    decimal_separator = "."
    date_order = "mdy"               # or "dmy" for 15/3/2026
    cancelled_statuses = ["Voided", "Cancelled"]

    [netsuite.columns]              # your saved search's labels
    amount = "Amount (Net)"

    [netsuite.types]                # NetSuite type -> Order, Refund or ignore
    "Cash Sale" = "Order"

    [[categories]]                  # extra category rules, tried before the built-in ones
    amount_type = "NewProgramFee"
    category = "selling fees"
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .errors import ConfigError, UsageError
from .io.netsuite import ColumnMapping

BASES: dict[str, tuple[str, ...]] = {
    # what the buyer paid or got back: principal, tax, shipping, gift wrap, minus promotions
    "buyer": ("ItemPrice", "Promotion"),
    # the billed record after Settlement Sync adds the order's fees to it
    "net-of-fees": ("ItemPrice", "Promotion", "ItemFees"),
    # everything the order contributed to the payout
    "payout": ("ItemPrice", "Promotion", "ItemFees", "ItemWithheldTax", "Shipment-Fees", "Order-Fees"),
}
DEFAULT_NETSUITE_TYPES: dict[str, str] = {
    "Cash Sale": "Order",
    "Invoice": "Order",
    "Sales Order": "Order",
    "Credit Memo": "Refund",
    "Cash Refund": "Refund",
    "Return Authorization": "Refund",
    "Customer Refund": "Refund",
}
TYPE_TARGETS = ("Order", "Refund", "ignore")
DEFAULT_CANCELLED = ("Voided", "Cancelled", "Canceled")
_TOP_KEYS = {"tolerance", "basis", "cutoff", "netsuite", "categories"}
_NETSUITE_KEYS = {"preset", "columns", "decimal_separator", "date_order", "currency", "types", "cancelled_statuses"}
CATEGORY_KEYS = ("transaction_type", "amount_type", "amount_description", "category")


@dataclass(frozen=True)
class CategoryRule:
    """Lines whose three fields match (``*`` and ``?`` wildcards, any case) fall in ``category``."""

    transaction_type: str
    amount_type: str
    amount_description: str
    category: str


@dataclass(frozen=True)
class Settings:
    """Everything that decides what counts as a discrepancy."""

    tolerance: Decimal = Decimal(0)
    basis: tuple[str, ...] = BASES["buyer"]
    cutoff: date | None = None
    netsuite_types: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_NETSUITE_TYPES))
    cancelled_statuses: tuple[str, ...] = DEFAULT_CANCELLED
    categories: tuple[CategoryRule, ...] = ()
    netsuite: ColumnMapping = field(default_factory=ColumnMapping)

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe summary of the settings a report was made with."""
        return {
            "tolerance": str(self.tolerance),
            "basis": list(self.basis),
            "cutoff": self.cutoff.isoformat() if self.cutoff else None,
            "netsuite_types": dict(self.netsuite_types),
            "cancelled_statuses": list(self.cancelled_statuses),
            "extra_category_rules": len(self.categories),
            "netsuite_preset": self.netsuite.preset,
        }

    def with_overrides(self, tolerance: str | None = None, cutoff: str | None = None) -> Settings:
        """These settings with command-line values taking precedence."""
        changed = self
        if tolerance is not None:
            changed = replace(changed, tolerance=parse_tolerance(tolerance, "--tolerance"))
        if cutoff is not None:
            changed = replace(changed, cutoff=parse_cutoff(cutoff, "--cutoff"))
        return changed


def parse_tolerance(text: object, where: str) -> Decimal:
    """A non-negative decimal amount, e.g. ``"0.01"``."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise UsageError(f"{where}: {text!r} is not an amount; expected e.g. 0.01") from None
    if not value.is_finite() or value < 0:
        raise UsageError(f"{where}: {text!r} must be zero or a positive amount such as 0.01")
    return value


def parse_cutoff(text: object, where: str) -> date:
    """A calendar date written ``YYYY-MM-DD``."""
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise UsageError(f"{where}: {text!r} is not a date; expected YYYY-MM-DD such as 2026-09-01") from None


def load_settings(path: str | Path | None) -> Settings:
    """Settings from a TOML file (``None``: the defaults).

    Raises:
        ConfigError: the file is missing, not TOML, or holds an unknown key or invalid value.
    """
    if path is None:
        return Settings()
    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{name}: config file not found. Check the --config path.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML ({exc}). See the example in the README.") from None
    try:
        return settings_from_dict(data)
    except (UsageError, ConfigError) as exc:
        raise ConfigError(f"{name}: {exc}") from None


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """Settings from already-parsed config data (the TOML structure)."""
    _known(data, _TOP_KEYS, "top level")
    settings = Settings()
    if "tolerance" in data:
        settings = replace(settings, tolerance=parse_tolerance(data["tolerance"], "tolerance"))
    if "basis" in data:
        settings = replace(settings, basis=_basis(data["basis"]))
    if "cutoff" in data:
        settings = replace(settings, cutoff=parse_cutoff(data["cutoff"], "cutoff"))
    if "netsuite" in data:
        settings = _netsuite(settings, data["netsuite"])
    if "categories" in data:
        settings = replace(settings, categories=tuple(_category(i, r) for i, r in enumerate(data["categories"], 1)))
    return settings


def _basis(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        if value not in BASES:
            raise ConfigError(f"basis: unknown basis {value!r} (valid options are {', '.join(BASES)}, or a list)")
        return BASES[value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ConfigError(f"basis: expected a name or a list of amount types, found {value!r}")


def _netsuite(settings: Settings, section: object) -> Settings:
    if not isinstance(section, Mapping):
        raise ConfigError("[netsuite] must be a table")
    _known(section, _NETSUITE_KEYS, "[netsuite]")
    mapping = ColumnMapping(
        preset=section.get("preset", "default"),
        columns=dict(section.get("columns", {})),
        decimal_separator=section.get("decimal_separator", "."),
        date_order=section.get("date_order", "mdy"),
        currency=section.get("currency"),
    )
    types = dict(settings.netsuite_types)
    for name, target in dict(section.get("types", {})).items():
        if target not in TYPE_TARGETS:
            raise ConfigError(f"[netsuite.types] {name!r} = {target!r}: valid options are {', '.join(TYPE_TARGETS)}")
        types[name] = target
    cancelled = tuple(section.get("cancelled_statuses", settings.cancelled_statuses))
    return replace(settings, netsuite=mapping, netsuite_types=types, cancelled_statuses=cancelled)


def _category(position: int, rule: object) -> CategoryRule:
    if not isinstance(rule, Mapping):
        raise ConfigError(f"[[categories]] #{position}: expected a table")
    _known(rule, set(CATEGORY_KEYS), f"[[categories]] #{position}")
    if "category" not in rule:
        raise ConfigError(f"[[categories]] #{position}: 'category' is required")
    return CategoryRule(
        transaction_type=str(rule.get("transaction_type", "*")),
        amount_type=str(rule.get("amount_type", "*")),
        amount_description=str(rule.get("amount_description", "*")),
        category=str(rule["category"]),
    )


def _known(data: Mapping[str, Any], valid: set[str], where: str) -> None:
    unknown = sorted(set(data) - valid)
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)} (valid keys are {', '.join(sorted(valid))})")
