"""``verify``: is the audit log intact, and do the tables still say what it recorded?

Two checks. The chain (:func:`.chain.check_chain`): every row's hash and its link to the
previous one, so an edited, deleted, reordered or inserted row is found. The tables: each row of
runs, resolutions, approvals and sync_state must equal the payload of the audit row with its seq
(and every audited write must still have its row), so editing a table directly is found too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from .chain import GENESIS, AuditEntry, Problem, check_chain
from .queries import raw_entries
from .schema import AUDITED, payload_of, runs


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify`` found; ``ok`` is derived from the problems."""

    entries: int
    head_seq: int
    head_hash: str
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems

    @property
    def first(self) -> Problem | None:
        """The problem with the lowest seq (where tampering starts)."""
        return self.problems[0] if self.problems else None

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record."""
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "problems": [{"seq": p.seq, "where": p.where, "reason": p.reason} for p in self.problems],
        }


def verify_store(connection: Connection) -> VerifyResult:
    """Check the chain and the audited tables against it."""
    entries, problems = check_chain(raw_entries(connection))
    problems += table_problems(connection, {e.seq: e for e in entries})
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0, p.where != "audit_log"))
    head = entries[-1] if entries else None
    return VerifyResult(
        entries=len(entries),
        head_seq=head.seq if head else 0,
        head_hash=head.hash if head else GENESIS,
        problems=tuple(problems),
    )


def table_problems(connection: Connection, by_seq: Mapping[int, AuditEntry]) -> list[Problem]:
    """Rows that differ from, or lack, the audit row that recorded them."""
    problems: list[Problem] = []
    seen: set[int] = set()
    tables: list[Table] = list(dict.fromkeys(AUDITED.values()))
    for table in tables:
        for row in connection.execute(select(table).order_by(table.c.seq)):
            data = dict(row._mapping)
            seq = int(data["seq"])
            seen.add(seq)
            problems += _row_problems(table, data, by_seq.get(seq))
    for entry in by_seq.values():
        table_of = AUDITED.get(entry.action)
        if table_of is not None and entry.seq not in seen:
            reason = f"the {entry.action} recorded in the audit log has no row in {table_of.name} (deleted?)"
            problems.append(Problem(entry.seq, table_of.name, reason))
    return problems


def _row_problems(table: Table, data: dict[str, Any], entry: AuditEntry | None) -> list[Problem]:
    seq = int(data["seq"])
    if entry is None:
        return [Problem(seq, table.name, "has no audit row (inserted directly?)")]
    if AUDITED.get(entry.action) is not table:
        return [Problem(seq, table.name, f"its seq belongs to a {entry.action!r} audit row (inserted directly?)")]
    out = []
    changed = differences(entry.payload, payload_of(data))
    if changed:
        out.append(Problem(seq, table.name, f"differs from what its audit row recorded: {changed}"))
    if table is runs and hashlib.sha256(str(data["report_json"]).encode("utf-8")).hexdigest() != data["run_id"]:
        out.append(Problem(seq, table.name, "report_json does not match its sha256 run_id (edited)"))
    return out


def differences(recorded: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """``column: 'old' recorded, 'new' in the table`` for each column that differs."""
    keys = sorted(set(recorded) | set(now))
    return "; ".join(
        f"{k}: {recorded.get(k)!r} recorded, {now.get(k)!r} in the table" for k in keys if recorded.get(k) != now.get(k)
    )
