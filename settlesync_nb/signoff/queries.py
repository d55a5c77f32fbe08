"""Reading the store back as the gate's frozen values (one connection, no writes)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from .chain import RawEntry
from .facts import Approval, StoredResolution, SyncState
from .schema import approvals, audit_log, resolutions, runs, sync_state


def run_registered(connection: Connection, run_id: str) -> bool:
    """The run is in the ``runs`` table."""
    return connection.execute(select(runs.c.run_id).where(runs.c.run_id == run_id)).first() is not None


def stored_resolutions(connection: Connection, run_id: str) -> tuple[StoredResolution, ...]:
    """The run's resolutions, oldest first."""
    rows = connection.execute(select(resolutions).where(resolutions.c.run_id == run_id).order_by(resolutions.c.seq))
    return tuple(
        StoredResolution(
            key=(r.scope, r.target, r.detail),
            action=r.action,
            reviewer=r.reviewer,
            note=r.note,
            recorded_at=r.recorded_at,
            seq=int(r.seq),
        )
        for r in rows
    )


def latest_approval(connection: Connection, run_id: str) -> Approval | None:
    """The run's most recent approval, if any."""
    row = connection.execute(
        select(approvals).where(approvals.c.run_id == run_id).order_by(approvals.c.seq.desc()).limit(1)
    ).first()
    return None if row is None else approval_from_row(row._mapping)


def approval_from_row(row: Mapping[Any, Any]) -> Approval:
    """An ``approvals`` row (or the payload and seq of its audit entry) as an :class:`Approval`."""
    return Approval(
        reviewer=row["reviewer"],
        cutoff=date.fromisoformat(row["cutoff"]),
        checked_order=row["checked_order"],
        checked_refund=row["checked_refund"],
        connector_live=bool(row["connector_live"]),
        ack_cancelled=bool(row["ack_cancelled"]),
        cancelled_count=int(row["cancelled_count"]),
        recorded_at=row["recorded_at"],
        seq=int(row["seq"]),
    )


def current_sync(connection: Connection) -> SyncState | None:
    """The latest change of the sync switch (None: never enabled nor disabled)."""
    row = connection.execute(select(sync_state).order_by(sync_state.c.seq.desc()).limit(1)).first()
    return None if row is None else sync_from_row(row._mapping)


def sync_from_row(row: Mapping[Any, Any]) -> SyncState:
    """A ``sync_state`` row (or the payload and seq of its audit entry) as a :class:`SyncState`."""
    return SyncState(
        enabled=bool(row["enabled"]),
        run_id=row["run_id"],
        cutoff=date.fromisoformat(row["cutoff"]) if row["cutoff"] else None,
        reviewer=row["reviewer"],
        recorded_at=row["recorded_at"],
        seq=int(row["seq"]),
    )


def raw_entries(connection: Connection, run: str | None = None) -> list[RawEntry]:
    """Audit rows as stored, in seq order (only the run's when ``run`` is given)."""
    query = select(audit_log).order_by(audit_log.c.seq)
    if run is not None:
        query = query.where(audit_log.c.run == run)
    return [
        RawEntry(
            seq=int(r.seq),
            recorded_at=r.recorded_at,
            actor=r.actor,
            action=r.action,
            run=r.run,
            payload=r.payload,
            prev_hash=r.prev_hash,
            hash=r.hash,
        )
        for r in connection.execute(query)
    ]
