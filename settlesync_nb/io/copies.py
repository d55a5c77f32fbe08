"""Which copy of each settlement counts, when several files hold the same settlement id.

A settlement's summary row is taken from its first copy in load order; a later summary row
of the same id is a duplicate copy and all its file's lines of that settlement are left out
and reported (identical or not). Detail lines in a file without the settlement's summary row
are a part of a settlement split across files and count, unless an earlier file held
exactly the same part (the same part downloaded twice). Detail lines whose settlement has
no summary row in any loaded file are a row problem.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import RowProblem
from ..model import DuplicateSettlement
from .parsed import ParsedFile, ProblemLog, SummaryRow


@dataclass(frozen=True)
class Copy:
    """One file's summary row of a settlement."""

    file: int
    summary: SummaryRow


@dataclass
class Ownership:
    """The outcome: the summary kept per settlement, and whose lines count in each file."""

    kept: dict[str, Copy]
    counted: list[set[str]]  # per file: the settlement ids whose lines in it count
    duplicates: list[DuplicateSettlement] = field(default_factory=list)


def resolve(files: list[ParsedFile], log: ProblemLog) -> Ownership:
    """Decide which file's summary and lines count for every settlement id.

    Args:
        files: The parsed files, in load order.
        log: Receives duplicate summary rows within a file and orphan detail lines.
    """
    copies = _copies(files, log)
    present = [detail_ids(parsed) for parsed in files]
    counted = [_owned(parsed, ids, copies, log) for parsed, ids in zip(files, present, strict=True)]
    duplicates: list[DuplicateSettlement] = []
    for sid, items in copies.items():
        first = items[0]
        summary_files = {c.file for c in items}
        for other in items[1:]:
            counted[other.file].discard(sid)
            duplicates.append(_duplicate(files, sid, first, other))
        parts = [i for i, ids in enumerate(present) if sid in ids and i not in summary_files]
        for later, part in enumerate(parts):
            for earlier in parts[:later]:
                if sid in counted[earlier] and _same_part(files[earlier], files[part], sid):
                    counted[part].discard(sid)
                    dropped = _line_count(files[part], sid)
                    duplicates.append(
                        DuplicateSettlement(sid, files[earlier].raw.path, files[part].raw.path, True, dropped)
                    )
                    break
    return Ownership({sid: items[0] for sid, items in copies.items()}, counted, duplicates)


def detail_ids(parsed: ParsedFile) -> set[str]:
    """The settlement ids present on a file's detail lines (without decoding every row)."""
    column = parsed.details.column("settlement_id")
    if pa.types.is_dictionary(column.type):
        values = column.combine_chunks()
        used = pc.unique(pc.drop_null(values.indices))
        return {v for v in values.dictionary.take(used).to_pylist() if v is not None}
    return {v for v in pc.unique(pc.drop_null(column)).to_pylist() if v is not None}


def _copies(files: list[ParsedFile], log: ProblemLog) -> dict[str, list[Copy]]:
    """Summary rows by settlement id, in load order; one per file."""
    copies: dict[str, list[Copy]] = defaultdict(list)
    for i, parsed in enumerate(files):
        first_line: dict[str, int] = {}
        for summary in parsed.summaries:
            sid, path = summary.settlement_id, parsed.raw.path
            if not sid:
                log.add(RowProblem(path, summary.line, "settlement-id", "", "the settlement id on the summary row"))
            elif sid in first_line:
                expected = (
                    f"one summary row per settlement (settlement {sid} already has one at line {first_line[sid]})"
                )
                log.add(RowProblem(path, summary.line, "total-amount", summary.total, expected))
            else:
                first_line[sid] = summary.line
                copies[sid].append(Copy(i, summary))
    return copies


def _owned(parsed: ParsedFile, present: set[str], copies: dict[str, list[Copy]], log: ProblemLog) -> set[str]:
    """Settlement ids whose detail lines in this file can be attributed to a summary."""
    owned = present & copies.keys()
    if owned == present:
        return owned
    ids = parsed.details.column("settlement_id").cast(pa.string())
    for sid in sorted(present - owned):
        rows = pc.indices_nonzero(pc.fill_null(pc.equal(ids, sid), False))
        line = int(parsed.details.column("source_line")[rows[0].as_py()].as_py())
        log.add(
            RowProblem(
                parsed.raw.path,
                line,
                "settlement-id",
                sid,
                f"a settlement whose summary row (the one with total-amount) is in a loaded file: "
                f"{len(rows)} detail line(s) of settlement {sid} have none; load the file holding it",
            )
        )
    return owned


def _duplicate(files: list[ParsedFile], sid: str, first: Copy, other: Copy) -> DuplicateSettlement:
    """Compare an extra copy of a settlement with the kept (first) one."""
    kept, dropped = files[first.file], files[other.file]
    return DuplicateSettlement(
        settlement_id=sid,
        kept_source=kept.raw.path,
        dropped_source=dropped.raw.path,
        identical=_summary_key(first.summary) == _summary_key(other.summary) and _same_lines(kept, dropped, sid),
        dropped_lines=_line_count(dropped, sid),
    )


def _same_part(first: ParsedFile, second: ParsedFile, sid: str) -> bool:
    return first.format == second.format and _same_lines(first, second, sid)


def _same_lines(first: ParsedFile, second: ParsedFile, sid: str) -> bool:
    """Whether two files hold the same lines of a settlement (byte-identical files trivially do)."""
    if first.raw.sha256 == second.raw.sha256 and first.format == second.format:
        return True
    return _copy_lines(first, sid).equals(_copy_lines(second, sid))


def _line_count(parsed: ParsedFile, sid: str) -> int:
    ids = parsed.details.column("settlement_id").cast(pa.string())
    return int(pc.sum(pc.fill_null(pc.equal(ids, sid), False)).as_py() or 0)


def _summary_key(summary: SummaryRow) -> tuple[str, ...]:
    return (summary.start, summary.end, summary.deposit_date, summary.total, summary.currency)


def _copy_lines(parsed: ParsedFile, sid: str) -> pa.Table:
    """One file's lines of a settlement, in a canonical order, without provenance."""
    table = parsed.details
    table = table.filter(pc.fill_null(pc.equal(table.column("settlement_id").cast(pa.string()), sid), False))
    compared = [c for c in table.column_names if c != "source_line"]
    plain = table.select(compared)
    plain = plain.cast(
        pa.schema([pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type) for f in plain.schema])
    )
    return plain.sort_by([(c, "ascending") for c in compared])
