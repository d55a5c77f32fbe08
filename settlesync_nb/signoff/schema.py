"""The sign-off store's tables (SQLAlchemy Core; SQLite and PostgreSQL alike).

Every row of ``runs``, ``resolutions``, ``approvals`` and ``sync_state`` is written together with
one ``audit_log`` row in the same transaction, and carries that row's ``seq``. The audit row's
payload is the table row itself (:func:`payload_of`), so :mod:`.verify` can tell when either was
edited. Timestamps are ISO 8601 text in UTC (exact round trip on every backend, hence hashable);
dates are ``YYYY-MM-DD`` text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Boolean, Column, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

TIMESTAMP = String(40)
SHA256 = String(64)

runs = Table(
    "runs",
    metadata,
    Column("run_id", SHA256, primary_key=True, comment="sha256 of test_report.json"),
    Column("seq", Integer, nullable=False, unique=True),
    Column("fingerprint", SHA256, nullable=False, comment="the report's fingerprint of inputs and settings"),
    Column("run_dir", Text, nullable=False, comment="the folder it was first registered from"),
    Column("report_json", Text, nullable=False),
    Column("reviewer", Text, nullable=False),
    Column("recorded_at", TIMESTAMP, nullable=False),
)

resolutions = Table(
    "resolutions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("run_id", SHA256, ForeignKey("runs.run_id"), nullable=False, index=True),
    Column("scope", String(16), nullable=False, comment="order | settlement"),
    Column("target", Text, nullable=False, comment="order id or settlement id"),
    Column("detail", Text, nullable=False, comment="Order|Refund, or the kind of settlement finding"),
    Column("action", String(16), nullable=False, comment="rectified | cancelled"),
    Column("reviewer", Text, nullable=False),
    Column("note", Text, nullable=False),
    Column("recorded_at", TIMESTAMP, nullable=False),
)

approvals = Table(
    "approvals",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("run_id", SHA256, ForeignKey("runs.run_id"), nullable=False, index=True),
    Column("reviewer", Text, nullable=False),
    Column("cutoff", String(10), nullable=False),
    Column("checked_order", Text, nullable=False),
    Column("checked_refund", Text, nullable=False),
    Column("connector_live", Boolean, nullable=False),
    Column("ack_cancelled", Boolean, nullable=False),
    Column("cancelled_count", Integer, nullable=False),
    Column("recorded_at", TIMESTAMP, nullable=False),
)

sync_state = Table(
    "sync_state",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("run_id", SHA256, ForeignKey("runs.run_id"), nullable=True),
    Column("enabled", Boolean, nullable=False),
    Column("cutoff", String(10), nullable=True),
    Column("reviewer", Text, nullable=False),
    Column("recorded_at", TIMESTAMP, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    # Not autoincrement: a writer takes head + 1, so two concurrent writers collide on the key
    # (one fails with IntegrityError and retries) instead of forking the chain.
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("recorded_at", TIMESTAMP, nullable=False),
    Column("actor", Text, nullable=False),
    Column("action", String(16), nullable=False),
    Column("run", SHA256, nullable=True),
    Column("payload", Text, nullable=False),
    Column("prev_hash", SHA256, nullable=False),
    Column("hash", SHA256, nullable=False),
)

REGISTER, RESOLVE, APPROVE, ENABLE, DISABLE = "register", "resolve", "approve", "enable", "disable"
AUDITED: dict[str, Table] = {
    REGISTER: runs,
    RESOLVE: resolutions,
    APPROVE: approvals,
    ENABLE: sync_state,
    DISABLE: sync_state,
}
NOT_IN_PAYLOAD = frozenset({"seq", "report_json"})  # the report is checked by its sha256 (run_id)


def payload_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The audit payload of a table row: its columns but ``seq`` and the report text."""
    return {k: v for k, v in row.items() if k not in NOT_IN_PAYLOAD}
