"""The hash chain of the audit log: canonical JSON, each row's hash, and checking a chain.

``hash = sha256(prev_hash + canonical JSON of [seq, recorded_at, actor, action, run, payload])``
with ``prev_hash`` of the first row :data:`GENESIS`. Editing, deleting, reordering or inserting
a row breaks the hash of that row or the link of the next one. Pure: rows come in as values.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    """JSON with sorted keys, no spaces and no NaN: one text per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(
    prev_hash: str, seq: int, recorded_at: str, actor: str, action: str, run: str | None, payload: Mapping[str, Any]
) -> str:
    """The hash of one audit row, chained to the previous row's hash."""
    body = canonical([seq, recorded_at, actor, action, run, dict(payload)])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log."""

    seq: int
    recorded_at: str
    actor: str
    action: str
    run: str | None
    payload: dict[str, Any]
    prev_hash: str
    hash: str

    def describe_dict(self) -> dict[str, Any]:
        """JSON-safe record."""
        return {
            "seq": self.seq,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "action": self.action,
            "run": self.run,
            "payload": self.payload,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class Problem:
    """Something found wrong by ``verify``: where (audit seq and/or table) and why."""

    seq: int | None
    where: str  # "audit_log" or a table name
    reason: str

    def describe(self) -> str:
        """``audit_log seq 4: ...``."""
        at = f" seq {self.seq}" if self.seq is not None else ""
        return f"{self.where}{at}: {self.reason}"


@dataclass(frozen=True)
class RawEntry:
    """An audit row as stored (payload still text)."""

    seq: int
    recorded_at: str
    actor: str
    action: str
    run: str | None
    payload: str
    prev_hash: str
    hash: str

    def parsed(self) -> AuditEntry:
        """The entry with its payload parsed (an unreadable payload becomes ``{}``)."""
        return AuditEntry(
            self.seq,
            self.recorded_at,
            self.actor,
            self.action,
            self.run,
            parse_payload(self.payload) or {},
            self.prev_hash,
            self.hash,
        )


def parse_payload(text: str) -> dict[str, Any] | None:
    """The payload object, or None when the text is not a JSON object in canonical form."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) and canonical(value) == text else None


def check_chain(rows: Iterable[RawEntry]) -> tuple[list[AuditEntry], list[Problem]]:
    """Walk the rows in ``seq`` order; returns the parsed entries and one problem per bad row."""
    entries: list[AuditEntry] = []
    problems: list[Problem] = []
    prev_seq, prev_hash = 0, GENESIS
    for row in sorted(rows, key=lambda r: r.seq):
        payload = parse_payload(row.payload)
        reason = ""
        if row.seq != prev_seq + 1:
            gap = row.seq - prev_seq - 1
            reason = f"follows seq {prev_seq}: {gap} row(s) missing before it (deleted?)"
        elif row.prev_hash != prev_hash:
            reason = f"prev_hash does not match the hash of seq {prev_seq} (a row was replaced or reordered)"
        elif payload is None:
            reason = "payload is not the canonical JSON object that was hashed (edited)"
        elif entry_hash(row.prev_hash, row.seq, row.recorded_at, row.actor, row.action, row.run, payload) != row.hash:
            reason = "hash does not match the row's content (edited)"
        if reason:
            problems.append(Problem(row.seq, "audit_log", reason))
        entries.append(row.parsed())
        prev_seq, prev_hash = row.seq, row.hash
    return entries, problems
