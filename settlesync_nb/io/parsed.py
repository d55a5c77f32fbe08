"""What a format reader hands to assembly: one file's summaries, detail lines and problems.

Readers keep amounts as text: the number of decimals allowed depends on the settlement's
currency, which for a settlement split across files may only be known once every file is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..arrowtext import text_layout
from ..errors import RowProblem
from .source import RawFile
from .tabular import DICTIONARY

PROBLEMS_KEPT_PER_KIND = 200
# Bytes a value may not start or end with untrimmed: ASCII controls and space, and any byte of a
# multi-byte character (it may be Unicode whitespace such as a no-break space).
_MAY_BE_SPACE = np.array([b <= 0x20 or b >= 0x80 for b in range(256)])

# Columns of a reader's detail table, besides the canonical string columns.
AMOUNT_TEXT = "amount_text"
# Optional: the report column (or XML element) each amount was read from, named in errors;
# without it the column is "amount".
AMOUNT_SOURCE = "amount_source"


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
        mask: pa.Array | pa.ChunkedArray | np.ndarray,
        lines: np.ndarray,
        found: pa.Array | pa.ChunkedArray,
        column: str | pa.Array | pa.ChunkedArray,
        expected: str,
    ) -> None:
        """Record one problem per true value of ``mask`` (a sample of them is kept).

        Args:
            path: The file.
            mask: Which rows are bad (nulls are not).
            lines: Physical line number of every row.
            found: Every row's value, shown for the bad ones.
            column: The column's name, or every row's column name.
            expected: What a good value looks like.
        """
        flags = mask if isinstance(mask, np.ndarray) else pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
        hits = np.flatnonzero(np.asarray(flags, dtype=bool))
        if not len(hits):
            return
        self.total += len(hits)
        kept = pa.array(hits[:PROBLEMS_KEPT_PER_KIND])
        values = _text(found.take(kept))
        names = [column] * len(kept) if isinstance(column, str) else _text(column.take(kept))
        for index, value, name in zip(kept.to_pylist(), values, names, strict=True):
            self.problems.append(RowProblem(path, int(lines[index]), name, value, expected))

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
    detail_rows: int  # rows (XML: money elements) that gave detail lines
    # amount_text already parsed as (currency, minor, valid), when the reader could tell the
    # currency (a file with one summary row); assembly uses it if that is the lines' currency
    amounts: tuple[str, pa.Array, pa.Array] | None = None


def _text(values: pa.Array | pa.ChunkedArray) -> list[str]:
    """Values as Python strings, nulls as empty strings."""
    return ["" if v is None else str(v) for v in values.to_pylist()]


def blank_to_null(values: pa.ChunkedArray | pa.Array, *, empty_is_null: bool = False) -> pa.ChunkedArray:
    """Trimmed text with empty strings as nulls; dictionary columns stay dictionary-encoded.

    Text is not copied unless a value needs trimming: clean columns (the usual case) keep their
    buffers and at most gain a validity bitmap.

    Args:
        values: Text or dictionary-encoded text.
        empty_is_null: The values have no empty strings, only nulls (what :mod:`.tabular`'s
            parser hands over): untrimmed chunks are then kept as they are.
    """
    if pa.types.is_dictionary(values.type):
        # one dictionary for the whole column: cleaned once, not once per parsed block
        whole = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
        return pa.chunked_array([_clean_dictionary(whole)], DICTIONARY)
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    cleaned = []
    for chunk in chunks:
        if _needs_trim(chunk):
            cleaned.append(_null_empty(pc.utf8_trim_whitespace(chunk)))  # spaces only: empty, so null
        else:
            cleaned.append(chunk if empty_is_null else _null_empty(chunk))
    return pa.chunked_array(cleaned, pa.string())


def _needs_trim(text: pa.StringArray) -> bool:
    """Whether any value may start or end with whitespace (checked on its first and last bytes;
    a non-ASCII byte there counts, as it may be Unicode whitespace)."""
    bounds, data = text_layout(text)
    data = data[: bounds[-1]] if len(bounds) else data[:0]
    if not data.size:
        return False
    # Most columns (ids, amounts, SKUs) hold no space or non-ASCII byte at all: the range of
    # their bytes settles it (reductions, no temporary arrays).
    values = data[bounds[0] :]
    if values.size and values.min() > 0x20 and values.max() < 0x80:
        return False
    # An empty value's "first" and "last" bytes are its neighbours' (checked anyway): looking at
    # them too is harmless and saves filtering the empty values out.
    if _MAY_BE_SPACE[data[bounds[1:] - 1]].any():
        return True
    return bool(_MAY_BE_SPACE[data[np.minimum(bounds[:-1], data.size - 1)]].any())


def _null_empty(text: pa.StringArray) -> pa.StringArray:
    """Mark empty strings null by attaching a validity bitmap (the text buffers are reused)."""
    bounds, _ = text_layout(text) if len(text) else (np.zeros(1, dtype=np.int32), None)
    present = np.diff(bounds) != 0
    if text.null_count:
        present &= np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    if text.buffers()[2] is None:
        return pa.nulls(len(text), pa.string())
    bits = np.packbits(np.concatenate([np.zeros(text.offset, dtype=bool), present]), bitorder="little")
    _, offsets, data = text.buffers()
    return pa.Array.from_buffers(pa.string(), len(text), [pa.py_buffer(bits), offsets, data], offset=text.offset)


def _clean_dictionary(chunk: pa.DictionaryArray) -> pa.DictionaryArray:
    trimmed = pc.utf8_trim_whitespace(chunk.dictionary)
    if trimmed.equals(chunk.dictionary) and not pc.any(pc.equal(trimmed, "")).as_py():
        return chunk  # nothing to trim or blank out (the usual case): no remapping of every row
    distinct = pc.unique(pc.drop_null(pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)))
    remap = pc.index_in(trimmed, value_set=distinct)
    return pa.DictionaryArray.from_arrays(remap.take(chunk.indices).cast(pa.int32()), distinct)
