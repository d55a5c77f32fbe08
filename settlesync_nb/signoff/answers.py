"""What a reviewer enters, checked before anything is written: names, notes, dates, targets.

Each check raises an :class:`~settlesync_nb.errors.InputError` saying what was expected and,
where there is a closed list, the valid options.
"""

from __future__ import annotations

import re
from datetime import date

from ..errors import UsageError
from ..reconcile import ACTIONS
from .errors import InvalidCheckedOrder, NotAnError
from .facts import Key, ReportFacts, describe_key, error_key

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def required(value: str, name: str) -> str:
    """``value`` stripped; blank is refused (a reviewer's name, a note)."""
    text = (value or "").strip()
    if not text:
        raise UsageError(f"{name} is required and cannot be blank")
    return text


def parse_cutoff(value: date | str) -> date:
    """A ``YYYY-MM-DD`` cutoff (a ``date`` passes through).

    Raises:
        UsageError: not a valid date in that form.
    """
    if isinstance(value, date):
        return value
    try:
        if DATE.fullmatch(value.strip()):
            return date.fromisoformat(value.strip())
    except ValueError:
        pass
    raise UsageError(f"cutoff {value!r} is not a date (expected YYYY-MM-DD, e.g. 2026-08-01)")


def resolution_key(
    facts: ReportFacts,
    action: str,
    order_id: str | None,
    transaction_type: str | None,
    settlement_id: str | None,
    kind: str | None,
) -> Key:
    """The key of the error a resolution names, which must be an error of the run.

    Raises:
        UsageError: an unknown action, or not exactly one of (order, type) / (settlement, kind).
        NotAnError: the run has no such error (the message lists those it has).
    """
    if action not in ACTIONS:
        raise UsageError(f"unknown action {action!r} (valid options are: {', '.join(ACTIONS)})")
    if bool(order_id) == bool(settlement_id) or (order_id and not transaction_type) or (settlement_id and not kind):
        raise UsageError("name an order (order id and type Order|Refund) or a settlement (settlement id and kind)")
    key = error_key(order_id, transaction_type, settlement_id, kind)
    if key not in {e.key for e in facts.errors}:
        raise NotAnError(describe_key(key), [e.describe() for e in facts.errors])
    return key


def check_compared(facts: ReportFacts, checked_order: str, checked_refund: str) -> None:
    """The compared orders must be among the report's suggestions.

    Raises:
        InvalidCheckedOrder: one is not (the message lists the valid options).
    """
    if checked_order not in facts.not_refunded:
        raise InvalidCheckedOrder("non-refunded", checked_order, facts.not_refunded)
    if checked_refund not in facts.refunded:
        raise InvalidCheckedOrder("refunded", checked_refund, facts.refunded)
