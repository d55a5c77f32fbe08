"""Sign-off: the gate before Settlement Sync is switched on, its store and its audit log.

Layers: :mod:`.facts` (frozen values) -> :mod:`.gate` (pure conditions) -> :mod:`.store` /
:mod:`.chain` / :mod:`.verify` (SQLAlchemy, hash chain) -> :mod:`.service` (the API the CLI and
the panel call). Nothing here imports ipywidgets.
"""

from __future__ import annotations

from .answers import parse_cutoff
from .chain import AuditEntry, Problem
from .errors import InvalidCheckedOrder, NotAnError, SignoffRefused, StoreBusy, StoreUnavailable
from .facts import (
    Approval,
    Condition,
    ErrorItem,
    GateInput,
    GateResult,
    InputRecord,
    InputState,
    ReportFacts,
    StoredResolution,
    SyncState,
)
from .gate import CANCELLED_WARNING, CONDITIONS, CUTOFF_DAYS, TITLES, evaluate
from .service import SignoffService, utc_now
from .status import ErrorStatus, SignoffStatus
from .store import ENV_VAR, database_url, safe_url
from .verify import VerifyResult

__all__ = [
    "CANCELLED_WARNING",
    "CONDITIONS",
    "CUTOFF_DAYS",
    "ENV_VAR",
    "TITLES",
    "Approval",
    "AuditEntry",
    "Condition",
    "ErrorItem",
    "ErrorStatus",
    "GateInput",
    "GateResult",
    "InputRecord",
    "InputState",
    "InvalidCheckedOrder",
    "NotAnError",
    "Problem",
    "ReportFacts",
    "SignoffRefused",
    "SignoffService",
    "SignoffStatus",
    "StoreBusy",
    "StoreUnavailable",
    "StoredResolution",
    "SyncState",
    "VerifyResult",
    "database_url",
    "evaluate",
    "parse_cutoff",
    "safe_url",
    "utc_now",
]
