"""The settlement test report: per settlement, the checks run and whether it is Complete.

A :class:`TestReport` is a frozen value. Its status is derived, never stored: ``Complete`` when
no error is left unresolved, ``Errors`` otherwise. An error resolved as ``cancelled`` no longer
blocks but is counted as a cancelled posting (Oracle's warning: the synced data will then be
incomplete). ``describe_dict`` is the JSON contract of ``test_report.json``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..config import Settings
from ..model import DuplicateSettlement, Settlement
from .rules import ERROR, KINDS

COMPLETE = "Complete"
ERRORS = "Errors"
ACTIONS = ("rectified", "cancelled")


@dataclass(frozen=True)
class Resolution:
    """A reviewer's decision on one error: ``rectified`` (fixed in NetSuite) or ``cancelled``.

    Order-level errors are keyed by ``order_id`` and ``transaction_type``; settlement-level
    ones (inconsistent or duplicated settlements) by ``settlement_id`` and ``kind``.
    """

    action: str
    reviewer: str
    note: str = ""
    order_id: str | None = None
    transaction_type: str | None = None
    settlement_id: str | None = None
    kind: str | None = None
    recorded_at: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """What the resolution applies to."""
        if self.order_id:
            return ("order", self.order_id, self.transaction_type or "")
        return ("settlement", self.settlement_id or "", self.kind or "")


@dataclass(frozen=True)
class InputFile:
    """A file a report was made from, fingerprinted."""

    path: str
    sha256: str
    role: str  # amazon | netsuite | config | resolutions


@dataclass(frozen=True)
class Check:
    """One check run on a settlement or on the whole report."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class SettlementResult:
    """A settlement, its checks and the discrepancies attributed to it."""

    settlement: Settlement
    counts: Mapping[str, int]
    unresolved_errors: int
    checks: tuple[Check, ...]

    @property
    def status(self) -> str:
        """``Complete`` when no error attributed to this settlement is unresolved."""
        return COMPLETE if self.unresolved_errors == 0 else ERRORS

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record."""
        item = self.settlement
        return {
            "settlement_id": item.settlement_id,
            "status": self.status,
            "currency": item.currency,
            "total_amount": item.total_amount,
            "lines_total": item.lines_total,
            "consistent": item.consistent,
            "format": item.format,
            "start": item.describe_dict()["start"],
            "end": item.describe_dict()["end"],
            "deposit_date": item.describe_dict()["deposit_date"],
            "line_count": item.line_count,
            "counts": dict(self.counts),
            "unresolved_errors": self.unresolved_errors,
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks],
        }


@dataclass(frozen=True)
class TestReport:
    """Everything a reconciliation found; see the module docstring for the status rule."""

    __test__ = False  # not a pytest test class, despite the name

    discrepancies: pd.DataFrame
    summary: pd.DataFrame
    settlements: tuple[SettlementResult, ...]
    excluded: tuple[Settlement, ...]
    duplicates: tuple[DuplicateSettlement, ...]
    inputs: tuple[InputFile, ...]
    settings: Settings
    checks: tuple[Check, ...] = ()
    ignored_netsuite_types: Mapping[str, int] = field(default_factory=dict)
    unmatched_resolutions: tuple[Resolution, ...] = ()
    suggestions: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def blocking(self) -> pd.DataFrame:
        """Errors without a resolution."""
        d = self.discrepancies
        return d[(d["severity"] == ERROR) & d["resolution"].isna()]

    @property
    def status(self) -> str:
        """``Complete`` when every error is rectified or cancelled, else ``Errors``."""
        return COMPLETE if self.blocking.empty else ERRORS

    @property
    def counts(self) -> dict[str, int]:
        """Discrepancies per kind (every kind listed, zeros included)."""
        found = self.discrepancies["kind"].value_counts().to_dict()
        return {kind: int(found.get(kind, 0)) for kind in KINDS}

    @property
    def cancelled_postings(self) -> int:
        """Errors resolved by cancelling their posting: the synced data will lack them."""
        return int((self.discrepancies["resolution"] == "cancelled").sum())

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe report (the ``test_report.json`` contract)."""
        d = self.discrepancies
        errors = d["severity"] == ERROR
        return {
            "status": self.status,
            "settlements": [s.describe_dict() for s in self.settlements],
            "counts": self.counts,
            "errors": int(errors.sum()),
            "unresolved_errors": len(self.blocking),
            "resolved": {a: int((errors & (d["resolution"] == a)).sum()) for a in ACTIONS},
            "cancelled_postings": self.cancelled_postings,
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in self.checks],
            "duplicate_settlements": sorted({dup.settlement_id for dup in self.duplicates}),
            "excluded_settlements": [s.settlement_id for s in self.excluded],
            "ignored_netsuite_types": dict(self.ignored_netsuite_types),
            "unmatched_resolutions": [r.__dict__ for r in self.unmatched_resolutions],
            "error_items": self.error_items(),
            "suggested_checks": dict(self.suggestions),
            "settings": self.settings.describe_dict(),
            "inputs": [{"path": i.path, "sha256": i.sha256, "role": i.role} for i in self.inputs],
            "fingerprint": self.fingerprint,
        }

    def error_items(self) -> list[dict[str, Any]]:
        """Every error with its key and resolution (what sign-off needs to decide the gate)."""
        errors = self.discrepancies[self.discrepancies["severity"] == ERROR]
        keys = ["settlement_id", "transaction_type", "order_id", "kind", "resolution", "reviewer", "note"]
        rows = errors[keys].astype(object).where(errors[keys].notna(), None)
        return [{str(k): v for k, v in row.items()} for row in rows.to_dict("records")]

    @property
    def fingerprint(self) -> str:
        """sha256 over the inputs' fingerprints and the settings: same inputs, same value."""
        basis = {"inputs": [[i.role, i.sha256] for i in self.inputs], "settings": self.settings.describe_dict()}
        return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
