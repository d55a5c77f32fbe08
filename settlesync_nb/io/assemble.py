"""Join what the format readers found in every file into one canonical load.

Here the cross-file rules are enforced: a settlement's summary comes from exactly one copy (a
second copy of the same settlement id is kept out and reported, identical or not); detail lines
in a file without their summary row are a part of a settlement split across files; amounts are
parsed exactly in their settlement's currency; every problem from every file is raised together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import RowErrors, RowProblem
from ..model import CATEGORICAL_COLUMNS, LINE_COLUMNS, DuplicateSettlement, LoadResult, Settlement, SourceFile
from ..money import expected_form, exponent, parse_amount, parse_amounts
from .dates import EXPECTED_SETTLEMENT_DATE, SETTLEMENT_DATE_FORMATS, parse_date
from .parsed import AMOUNT_TEXT, ParsedFile, ProblemLog, SummaryRow
from .tabular import DICTIONARY

HINT = "Fix or re-download the file(s) named above; nothing was loaded."


@dataclass(frozen=True)
class _Copy:
    file: int
    summary: SummaryRow


def assemble(files: list[ParsedFile]) -> LoadResult:
    """Combine parsed files into canonical lines and settlements.

    Raises:
        RowErrors: with every row problem of every file.
    """
    log = ProblemLog()
    for parsed in files:
        log.extend(parsed.problems)
    copies = _copies(files, log)
    kept = {sid: found[0] for sid, found in copies.items()}
    owners = [_owners(i, parsed, copies, log) for i, parsed in enumerate(files)]
    duplicates, dropped = _duplicates(files, copies, owners)
    currencies = {sid: copy.summary.currency for sid, copy in kept.items()}
    tables = []
    for i, parsed in enumerate(files):
        allowed = owners[i] - {sid for sid, f in dropped if f == i}
        tables.append(_canonical(parsed, _lines_of(parsed.details, allowed), currencies, log))
    settlements_header = {sid: _header(files, copy, log) for sid, copy in kept.items()}
    if log.total:
        raise RowErrors(log.problems, HINT, total=log.total)
    table = pa.concat_tables(tables).unify_dictionaries() if tables else _empty()
    frame = _to_pandas(table)
    settlements = _settlements(frame, files, kept, settlements_header)
    kept_lines = frame["source_file"].value_counts().to_dict()
    accounting = tuple(_accounting(parsed, kept_lines) for parsed in files)
    return LoadResult(frame, settlements, tuple(duplicates), accounting)


def _lines_of(details: pa.Table, settlement_ids: set[str]) -> pa.Table:
    """The detail lines belonging to these settlements (no copy when that is all of them)."""
    ids = details.column("settlement_id")
    present = set(pc.unique(ids.cast(pa.string())).drop_null().to_pylist())
    if present <= settlement_ids:
        return details
    return details.filter(pc.is_in(ids.cast(pa.string()), value_set=pa.array(sorted(settlement_ids), pa.string())))


def _copies(files: list[ParsedFile], log: ProblemLog) -> dict[str, list[_Copy]]:
    """Summary rows by settlement id, in load order; one per file."""
    copies: dict[str, list[_Copy]] = defaultdict(list)
    for i, parsed in enumerate(files):
        first_line: dict[str, int] = {}
        for summary in parsed.summaries:
            if not summary.settlement_id:
                log.add(
                    RowProblem(
                        parsed.raw.path, summary.line, "settlement-id", "", "the settlement id on the summary row"
                    )
                )
            elif summary.settlement_id in first_line:
                log.add(
                    RowProblem(
                        parsed.raw.path,
                        summary.line,
                        "total-amount",
                        summary.total,
                        f"one summary row per settlement (settlement {summary.settlement_id} already has one "
                        f"at line {first_line[summary.settlement_id]})",
                    )
                )
            else:
                first_line[summary.settlement_id] = summary.line
                copies[summary.settlement_id].append(_Copy(i, summary))
    return copies


def _owners(index: int, parsed: ParsedFile, copies: dict[str, list[_Copy]], log: ProblemLog) -> set[str]:
    """Settlement ids whose detail lines in this file can be attributed to a summary."""
    ids = parsed.details.column("settlement_id").cast(pa.string())
    owned = set()
    for sid in pc.unique(pc.drop_null(ids)).to_pylist():
        if sid in copies:
            owned.add(sid)
            continue
        rows = np.flatnonzero(np.asarray(pc.fill_null(pc.equal(ids, sid), False)))
        line = int(parsed.details.column("source_line")[int(rows[0])].as_py())
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


def _duplicates(
    files: list[ParsedFile], copies: dict[str, list[_Copy]], owners: list[set[str]]
) -> tuple[list[DuplicateSettlement], set[tuple[str, int]]]:
    """Compare every extra copy of a settlement with the kept (first) one."""
    found: list[DuplicateSettlement] = []
    dropped: set[tuple[str, int]] = set()
    for sid, items in copies.items():
        first = items[0]
        for other in items[1:]:
            dropped.add((sid, other.file))
            mine, theirs = _copy_lines(files[first.file], sid), _copy_lines(files[other.file], sid)
            same_summary = _summary_key(first.summary) == _summary_key(other.summary)
            found.append(
                DuplicateSettlement(
                    settlement_id=sid,
                    kept_source=files[first.file].raw.path,
                    dropped_source=files[other.file].raw.path,
                    identical=same_summary and mine.equals(theirs),
                    dropped_lines=theirs.num_rows,
                )
            )
    return found, dropped


def _summary_key(summary: SummaryRow) -> tuple[str, ...]:
    return (summary.start, summary.end, summary.deposit_date, summary.total, summary.currency)


def _copy_lines(parsed: ParsedFile, sid: str) -> pa.Table:
    """One file's lines of a settlement, in a canonical order, without provenance."""
    table = parsed.details
    table = table.filter(pc.fill_null(pc.equal(table.column("settlement_id").cast(pa.string()), sid), False))
    compared = [c for c in table.column_names if c not in ("source_line",)]
    plain = table.select(compared).cast(
        pa.schema(
            [
                pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type)
                for f in table.select(compared).schema
            ]
        )
    )
    return plain.sort_by([(c, "ascending") for c in compared])


def _canonical(parsed: ParsedFile, details: pa.Table, currencies: dict[str, str], log: ProblemLog) -> pa.Table:
    """Parse amounts in their settlement's currency and order the columns canonically."""
    path = parsed.raw.path
    lines = details.column("source_line").to_numpy()
    sids = details.column("settlement_id")
    sids = (sids.combine_chunks() if sids.num_chunks else pa.array([], DICTIONARY)).cast(DICTIONARY)
    by_id = pa.array([currencies.get(sid, "") for sid in sids.dictionary.to_pylist()], pa.string())
    expected = by_id.take(sids.indices)
    own = details.column("currency").cast(pa.string())
    conflict = pc.fill_null(pc.and_(pc.is_valid(own), pc.not_equal(own, expected)), False)
    log.add_mask(
        path, conflict, lines, own.combine_chunks(), "currency", "the settlement's currency from its summary row"
    )
    text = details.column(AMOUNT_TEXT)
    minor = None
    for currency in sorted({c for c in by_id.to_pylist() if c}):
        rows = np.asarray(pc.equal(expected, currency), dtype=bool)
        part, valid = parse_amounts(text if rows.all() else text.filter(pa.array(rows)), exponent(currency))
        bad = np.zeros(len(rows), dtype=bool)
        bad[rows] = ~np.asarray(valid, dtype=bool)
        log.add_mask(path, pa.array(bad), lines, text.combine_chunks(), "amount", expected_form(currency))
        if rows.all():
            minor = part
        else:
            values = minor.to_numpy() if minor is not None else np.zeros(len(rows), dtype=np.int64)
            values[rows] = part.to_numpy()
            minor = pa.array(values)
    columns = {}
    for name in LINE_COLUMNS:
        if name == "amount_minor":
            columns[name] = minor if minor is not None else pa.array(np.zeros(details.num_rows, dtype=np.int64))
        elif name == "currency":
            columns[name] = pa.DictionaryArray.from_arrays(sids.indices, by_id)
        elif name == "source_file":
            columns[name] = pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(details.num_rows, dtype=np.int32)), pa.array([path])
            )
        elif name in CATEGORICAL_COLUMNS:
            column = details.column(name)
            columns[name] = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
        else:
            columns[name] = details.column(name)
    return pa.table(columns)


def _header(files: list[ParsedFile], copy: _Copy, log: ProblemLog) -> dict[str, object]:
    """The summary row's dates and total, parsed; problems logged against its line."""
    s, path = copy.summary, files[copy.file].raw.path
    out: dict[str, object] = {"format": files[copy.file].format, "currency": s.currency}
    if len(s.currency) != 3 or not s.currency.isalpha():
        log.add(RowProblem(path, s.line, "currency", s.currency, "a three-letter ISO currency code such as USD or EUR"))
        return out
    try:
        out["total_minor"] = parse_amount(s.total, s.currency)
    except ValueError:
        log.add(RowProblem(path, s.line, "total-amount", s.total, expected_form(s.currency)))
    for key, text, column in (
        ("start", s.start, "settlement-start-date"),
        ("end", s.end, "settlement-end-date"),
        ("deposit_date", s.deposit_date, "deposit-date"),
    ):
        try:
            out[key] = parse_date(text, SETTLEMENT_DATE_FORMATS) if text else None
        except ValueError:
            log.add(RowProblem(path, s.line, column, text, EXPECTED_SETTLEMENT_DATE))
    return out


def _settlements(
    frame: pd.DataFrame, files: list[ParsedFile], kept: dict[str, _Copy], headers: dict[str, dict[str, object]]
) -> tuple[Settlement, ...]:
    grouped = frame.groupby(["settlement_id", "source_file"], observed=True)["amount_minor"].agg(["sum", "count"])
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    sources: dict[str, list[str]] = defaultdict(list)
    for (sid, source), row in grouped.iterrows():
        totals[sid][0] += int(row["sum"])
        totals[sid][1] += int(row["count"])
        sources[sid].append(source)
    order = [f.raw.path for f in files]
    out = []
    for sid, copy in kept.items():
        head = headers[sid]
        summary_file = files[copy.file].raw.path
        files_used = sorted(set(sources[sid]) | {summary_file}, key=order.index)
        out.append(
            Settlement(
                settlement_id=sid,
                format=str(head["format"]),
                currency=str(head["currency"]),
                start=head.get("start"),
                end=head.get("end"),
                deposit_date=head.get("deposit_date"),  # type: ignore[arg-type]
                total_minor=int(head["total_minor"]),  # type: ignore[call-overload]
                lines_total_minor=totals[sid][0],
                line_count=totals[sid][1],
                sources=tuple(files_used),
            )
        )
    return tuple(out)


def _accounting(parsed: ParsedFile, kept_lines: dict[str, int]) -> SourceFile:
    path = parsed.raw.path
    lines = kept_lines.get(path, 0)
    return SourceFile(
        path=path,
        format=parsed.format,
        sha256=parsed.raw.sha256,
        encoding=parsed.raw.encoding,
        compressed=parsed.raw.compressed,
        data_rows=parsed.data_rows,
        summary_rows=len(parsed.summaries),
        lines=lines,
        no_amount_rows=parsed.no_amount_rows,
        blank_lines=parsed.blank_lines,
        duplicate_lines=parsed.details.num_rows - lines,
    )


def _empty() -> pa.Table:
    fields = []
    for name in LINE_COLUMNS:
        if name in CATEGORICAL_COLUMNS:
            fields.append(pa.field(name, DICTIONARY))
        elif name in ("amount_minor", "quantity", "source_line"):
            fields.append(pa.field(name, pa.int64()))
        elif name == "posted_time":
            fields.append(pa.field(name, pa.timestamp("s", tz="UTC")))
        else:
            fields.append(pa.field(name, pa.string()))
    return pa.schema(fields).empty_table()


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    frame = table.to_pandas(split_blocks=True, self_destruct=True)
    frame["quantity"] = frame["quantity"].astype("Int64")
    return frame
