"""Errors of the sign-off: refusals the caller must act on, and mistakes in what was asked.

:class:`SignoffRefused` is not an :class:`InputError`: nothing the user typed is wrong, the
gate is simply not met (the CLI exits 1 and lists why). The others are input errors (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InputError, SettleSyncError
from .facts import Condition


class SignoffRefused(SettleSyncError):
    """Sync cannot be enabled: the gate has unmet conditions (listed in ``unmet``)."""

    def __init__(self, unmet: Sequence[Condition]) -> None:
        self.unmet = tuple(unmet)
        lines = [f"sync not enabled: {len(self.unmet)} condition(s) unmet:"]
        lines += [f"  - {c.name}: {c.detail}" for c in self.unmet]
        super().__init__("\n".join(lines))


class NotAnError(InputError):
    """A resolution names something that is not an error of the run."""

    def __init__(self, target: str, errors: Sequence[str]) -> None:
        self.target = target
        self.errors = tuple(errors)
        listed = "; ".join(self.errors) if self.errors else "none (the report has no errors)"
        super().__init__(f"{target} is not an error of this run. Errors of this run: {listed}")


class InvalidCheckedOrder(InputError):
    """A checked order is not among the orders the report suggests comparing."""

    def __init__(self, label: str, order_id: str, valid: Sequence[str]) -> None:
        self.label = label
        self.order_id = order_id
        self.valid = tuple(valid)
        listed = ", ".join(self.valid) if self.valid else "none: reconcile a period that has one"
        super().__init__(
            f"{label} order {order_id!r} is not one of the {label} orders the test report suggests "
            f"comparing (valid options are: {listed})"
        )


class StoreUnavailable(InputError):
    """The sign-off database cannot be reached or opened (the URL is shown without password)."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(
            f"cannot use the sign-off database {url}: {reason}. "
            "Check --db (or SETTLESYNC_DB): dialect+driver://user:password@host:port/database"
        )


class StoreBusy(SettleSyncError):
    """A write kept colliding with concurrent writers and was given up (nothing was recorded)."""
