"""The plain frozen values the sign-off gate is evaluated over, and the result it returns.

Nothing here reads a file or a database: the service builds these from the run folder and the
store, and :mod:`settlesync_nb.signoff.gate` decides over them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

ORDER = "order"
SETTLEMENT = "settlement"
Key = tuple[str, str, str]  # (ORDER, order id, Order|Refund) or (SETTLEMENT, settlement id, kind)


def error_key(
    order_id: str | None = None,
    transaction_type: str | None = None,
    settlement_id: str | None = None,
    kind: str | None = None,
) -> Key:
    """The key of an error: an order and its type, else a settlement and the kind of finding."""
    if order_id:
        return (ORDER, order_id, transaction_type or "")
    return (SETTLEMENT, settlement_id or "", kind or "")


def describe_key(key: Key) -> str:
    """``order 111-22 (Refund)`` or ``settlement 1001 settlement_inconsistent``."""
    scope, target, detail = key
    return f"order {target} ({detail})" if scope == ORDER else f"settlement {target} {detail}"


@dataclass(frozen=True)
class ErrorItem:
    """One error of the test report (``error_items`` in test_report.json)."""

    settlement_id: str
    kind: str
    order_id: str | None = None
    transaction_type: str | None = None
    resolution: str | None = None  # decided in a resolutions file given to reconcile
    reviewer: str | None = None
    note: str | None = None

    @property
    def key(self) -> Key:
        """What a resolution must name to resolve this error."""
        return error_key(self.order_id, self.transaction_type, self.settlement_id, self.kind)

    def describe(self) -> str:
        """The error in a few words, e.g. ``order C (Order): amount_mismatch``."""
        if self.order_id:
            return f"{describe_key(self.key)}: {self.kind}"
        return f"settlement {self.settlement_id}: {self.kind}"


@dataclass(frozen=True)
class InputRecord:
    """A file the report was made from, as test_report.json lists it."""

    path: str
    sha256: str
    role: str


@dataclass(frozen=True)
class ReportFacts:
    """What the gate needs from a run's test report."""

    run_id: str  # sha256 of test_report.json: the run's identity in the store
    fingerprint: str  # the report's own fingerprint of its inputs and settings
    errors: tuple[ErrorItem, ...]
    refunded: tuple[str, ...]  # suggested refunded orders to compare
    not_refunded: tuple[str, ...]  # suggested non-refunded orders to compare
    inputs: tuple[InputRecord, ...]

    @classmethod
    def from_report(cls, report: Mapping[str, Any], run_id: str) -> ReportFacts:
        """Read the facts from a ``test_report.json`` object."""
        suggested = report.get("suggested_checks") or {}
        return cls(
            run_id=run_id,
            fingerprint=str(report.get("fingerprint") or ""),
            errors=tuple(
                ErrorItem(
                    settlement_id=str(item.get("settlement_id") or ""),
                    kind=str(item.get("kind") or ""),
                    order_id=item.get("order_id"),
                    transaction_type=item.get("transaction_type"),
                    resolution=item.get("resolution"),
                    reviewer=item.get("reviewer"),
                    note=item.get("note"),
                )
                for item in report.get("error_items") or ()
            ),
            refunded=tuple(str(s["order_id"]) for s in suggested.get("refunded") or ()),
            not_refunded=tuple(str(s["order_id"]) for s in suggested.get("not_refunded") or ()),
            inputs=tuple(
                InputRecord(str(i["path"]), str(i["sha256"]), str(i["role"])) for i in report.get("inputs") or ()
            ),
        )


@dataclass(frozen=True)
class StoredResolution:
    """A reviewer's decision on one error, as recorded in the store."""

    key: Key
    action: str  # rectified | cancelled
    reviewer: str
    note: str
    recorded_at: str
    seq: int  # its audit log row: later rows come after


@dataclass(frozen=True)
class Approval:
    """A reviewer's answers to Oracle's checklist for one run."""

    reviewer: str
    cutoff: date
    checked_order: str
    checked_refund: str
    connector_live: bool
    ack_cancelled: bool
    cancelled_count: int  # cancelled postings shown to the reviewer when approving
    recorded_at: str
    seq: int


@dataclass(frozen=True)
class InputState:
    """A listed input file and what is on disk now (``found`` is None when it is missing)."""

    path: str
    role: str
    expected: str
    found: str | None
    location: str | None = None

    @property
    def ok(self) -> bool:
        """The file exists and still has the recorded sha256."""
        return self.found == self.expected


@dataclass(frozen=True)
class SyncState:
    """One change of the Settlement Sync switch; the latest is the current state."""

    enabled: bool
    run_id: str | None
    cutoff: date | None
    reviewer: str
    recorded_at: str
    seq: int


@dataclass(frozen=True)
class GateInput:
    """Everything the gate decides over."""

    report: ReportFacts
    resolutions: tuple[StoredResolution, ...]
    approval: Approval | None
    inputs: tuple[InputState, ...]
    today: date
    store_problems: tuple[str, ...] = ()  # what ``verify`` finds wrong in the store, if anything


def effective_resolutions(errors: Iterable[ErrorItem], stored: Iterable[StoredResolution]) -> dict[Key, str | None]:
    """Each error's resolution: the latest stored one, else the report's own, else None."""
    out: dict[Key, str | None] = {e.key: e.resolution for e in errors}
    for item in sorted(stored, key=lambda r: r.seq):
        if item.key in out:
            out[item.key] = item.action
    return out


@dataclass(frozen=True)
class Condition:
    """One condition of the gate: met or not, why, and an optional non-blocking warning."""

    name: str
    met: bool
    detail: str
    warning: str = ""

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record."""
        return {"name": self.name, "met": self.met, "detail": self.detail, "warning": self.warning or None}


@dataclass(frozen=True)
class GateResult:
    """The gate's verdict; ``passed`` is derived from the conditions, never stored."""

    conditions: tuple[Condition, ...]

    @property
    def passed(self) -> bool:
        """Every condition is met."""
        return all(c.met for c in self.conditions)

    @property
    def unmet(self) -> tuple[Condition, ...]:
        """The conditions that block enabling."""
        return tuple(c for c in self.conditions if not c.met)

    @property
    def warnings(self) -> tuple[str, ...]:
        """Non-blocking warnings, in condition order."""
        return tuple(c.warning for c in self.conditions if c.warning)

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record."""
        return {
            "passed": self.passed,
            "conditions": [c.describe_dict() for c in self.conditions],
            "warnings": list(self.warnings),
        }
