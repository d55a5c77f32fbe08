"""Reconciliation: pure rules over canonical frames, returning a frozen :class:`TestReport`."""

from __future__ import annotations

from .categories import CATEGORIES, UNCLASSIFIED, categorise, classify, settlement_summary
from .engine import reconcile
from .report import ACTIONS, COMPLETE, ERRORS, Check, InputFile, Resolution, SettlementResult, TestReport
from .rules import ERROR, INFO, KINDS

__all__ = [
    "ACTIONS",
    "CATEGORIES",
    "COMPLETE",
    "ERROR",
    "ERRORS",
    "INFO",
    "KINDS",
    "UNCLASSIFIED",
    "Check",
    "InputFile",
    "Resolution",
    "SettlementResult",
    "TestReport",
    "categorise",
    "classify",
    "reconcile",
    "settlement_summary",
]
