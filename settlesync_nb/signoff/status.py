"""What a reviewer (or the sign-off panel) sees for a run: the gate, the errors, the sync state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .facts import Approval, ErrorItem, GateResult, InputState, ReportFacts, StoredResolution, SyncState
from .gate import CANCELLED_WARNING, TITLES


@dataclass(frozen=True)
class ErrorStatus:
    """One error of the run and how it stands (the latest stored resolution, else the report's)."""

    item: ErrorItem
    resolution: str | None
    reviewer: str | None
    note: str | None
    recorded_at: str | None  # None when decided in the report's resolutions file, or open

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record."""
        item = self.item
        return {
            "settlement_id": item.settlement_id,
            "order_id": item.order_id,
            "transaction_type": item.transaction_type,
            "kind": item.kind,
            "resolution": self.resolution,
            "reviewer": self.reviewer,
            "note": self.note,
            "recorded_at": self.recorded_at,
        }


def error_statuses(errors: Iterable[ErrorItem], stored: Iterable[StoredResolution]) -> tuple[ErrorStatus, ...]:
    """Each error with its effective resolution (same rule as the gate's)."""
    latest = {r.key: r for r in sorted(stored, key=lambda r: r.seq)}
    out = []
    for item in errors:
        decided = latest.get(item.key)
        if decided is not None:
            out.append(ErrorStatus(item, decided.action, decided.reviewer, decided.note, decided.recorded_at))
        else:
            out.append(ErrorStatus(item, item.resolution, item.reviewer, item.note, None))
    return tuple(out)


@dataclass(frozen=True)
class SignoffStatus:
    """A run's sign-off as it stands now."""

    run_dir: str
    database: str  # password hidden
    registered: bool
    report: ReportFacts
    gate: GateResult
    errors: tuple[ErrorStatus, ...]
    cancelled_postings: int
    inputs: tuple[InputState, ...]
    approval: Approval | None
    sync: SyncState | None  # global: the latest change of the switch, whichever run it was for

    @property
    def run_id(self) -> str:
        """sha256 of the run's test_report.json."""
        return self.report.run_id

    @property
    def sync_enabled(self) -> bool:
        """Settlement Sync is on (for this run or another)."""
        return self.sync is not None and self.sync.enabled

    @property
    def enabled_for_this_run(self) -> bool:
        """Settlement Sync is on, and it was this run that was signed off for it."""
        return self.sync_enabled and self.sync is not None and self.sync.run_id == self.run_id

    @property
    def cutoff(self) -> str | None:
        """The cutoff in force when sync is on, else the one this run was approved with."""
        if self.sync is not None and self.sync.enabled and self.sync.cutoff is not None:
            return self.sync.cutoff.isoformat()
        return self.approval.cutoff.isoformat() if self.approval else None

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record (``settlesync signoff status --json``)."""
        sync, approval = self.sync, self.approval
        on = sync if sync is not None and sync.enabled else None
        return {
            "run": self.run_id,
            "run_dir": self.run_dir,
            "database": self.database,
            "registered": self.registered,
            "passed": self.gate.passed,
            "conditions": [{**c.describe_dict(), "title": TITLES.get(c.name, c.name)} for c in self.gate.conditions],
            "warnings": list(self.gate.warnings),
            "sync_enabled": self.sync_enabled,
            "enabled_for_this_run": self.enabled_for_this_run,
            "sync_run": on.run_id if on else None,
            "cutoff": self.cutoff,
            "approved_by": approval.reviewer if approval else None,
            "approved_at": approval.recorded_at if approval else None,
            "approved_cutoff": approval.cutoff.isoformat() if approval else None,
            "enabled_by": on.reviewer if on else None,
            "enabled_at": on.recorded_at if on else None,
            "last_change": None
            if sync is None
            else {"enabled": sync.enabled, "by": sync.reviewer, "at": sync.recorded_at, "seq": sync.seq},
            "cancelled_postings": self.cancelled_postings,
            "cancelled_warning": CANCELLED_WARNING if self.cancelled_postings else None,
            "suggested_checks": {
                "refunded": list(self.report.refunded),
                "not_refunded": list(self.report.not_refunded),
            },
            "errors": [e.describe_dict() for e in self.errors],
            "inputs": [
                {"path": i.path, "role": i.role, "unchanged": i.ok, "missing": i.found is None, "location": i.location}
                for i in self.inputs
            ],
        }
