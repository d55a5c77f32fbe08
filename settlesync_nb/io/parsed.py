"""What a format reader hands to assembly: one file's summaries, detail lines and problems.

Readers keep amounts as text: the number of decimals allowed depends on the settlement's
currency, which for a settlement split across files may only be known once every file is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import RowProblem
from .source import RawFile
from .tabular import DICTIONARY

PROBLEMS_KEPT_PER_KIND = 200

# Columns of a reader's detail table, besides the canonical string columns.
AMOUNT_TEXT = "amount_text"
DETAIL_CURRENCY = "currency"


@dataclass(frozen=True)
class SummaryRow:
    """A settlement's own summary, as written in the file."""

    settlement_id: str
    start: str
    end: str
    deposit_date: str
    total: str
    currency: str
    line: int


@dataclass
class ProblemLog:
    """Collects row problems; keeps a sample per kind but counts them all."""

    problems: list[RowProblem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: RowProblem) -> None:
        """Record one problem."""
        self.total += 1
        self.problems.append(problem)

    def add_mask(
        self,
        path: str,
        mask: pa.Array,
        lines: np.ndarray,
        found: pa.Array,
        column: str,
        expected: str,
    ) -> None:
        """Record one problem per true value of ``mask`` (a sample of them is kept)."""
        hits = np.flatnonzero(np.asarray(pc.fill_null(mask, False), dtype=bool))
        if not len(hits):
            return
        self.total += len(hits)
        kept = hits[:PROBLEMS_KEPT_PER_KIND]
        values = found.take(pa.array(kept)).to_pylist()
        for index, value in zip(kept, values, strict=True):
            self.problems.append(RowProblem(path, int(lines[index]), column, value or "", expected))

    def extend(self, other: ProblemLog) -> None:
        """Take over another log's problems."""
        self.problems.extend(other.problems)
        self.total += other.total


@dataclass
class ParsedFile:
    """One file read by a format reader, before cross-file assembly."""

    raw: RawFile
    format: str
    summaries: list[SummaryRow]
    details: pa.Table  # canonical string columns + amount_text, posted_time, quantity, source_line
    problems: ProblemLog
    data_rows: int
    no_amount_rows: int
    blank_lines: int


def blank_to_null(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """Trimmed text with empty strings as nulls; dictionary columns stay dictionary-encoded."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    if pa.types.is_dictionary(values.type):
        # one dictionary for the whole column: cleaned once, not once per parsed block
        whole = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        return pa.chunked_array([_clean_dictionary(whole)], DICTIONARY)
    return pa.chunked_array([_null_empty(_trimmed(c)) for c in chunks], pa.string())


def _trimmed(chunk: pa.StringArray) -> pa.StringArray:
    """``chunk`` without surrounding whitespace; the original when nothing was trimmed, so that
    clean columns (the usual case) are not held twice in memory."""
    trimmed = pc.utf8_trim_whitespace(chunk)
    return chunk if _text_bytes(trimmed) == _text_bytes(chunk) else trimmed


def _text_bytes(chunk: pa.StringArray) -> int:
    if not len(chunk):
        return 0
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32)
    return int(offsets[chunk.offset + len(chunk)] - offsets[chunk.offset])


def _null_empty(text: pa.StringArray) -> pa.StringArray:
    """Mark empty strings null by attaching a validity bitmap (the text buffers are reused)."""
    present = pc.not_equal(text, "")
    if text.null_count or text.offset:
        return pc.if_else(present, text, pa.scalar(None, pa.string()))
    _, offsets, data = text.buffers()
    return pa.Array.from_buffers(pa.string(), len(text), [present.buffers()[1], offsets, data])


def _clean_dictionary(chunk: pa.DictionaryArray) -> pa.DictionaryArray:
    trimmed = pc.utf8_trim_whitespace(chunk.dictionary)
    distinct = pc.unique(pc.drop_null(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)))
    remap = pc.index_in(trimmed, value_set=distinct)
    return pa.DictionaryArray.from_arrays(remap.take(chunk.indices).cast(pa.int32()), distinct)
