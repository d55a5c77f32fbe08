"""Low-cardinality columns as integer codes: what the reconciliation groups and filters on.

Canonical lines keep repetitive columns (settlement id, transaction type, amount type,
currency, ...) dictionary-encoded; their codes, remapped to one sorted list of names, turn
grouping into dense numpy reductions and filters into table lookups.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

NONE = -1  # the code of a null value


def codes(column: pa.ChunkedArray | pa.Array, rows: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """Integer codes of a text or dictionary column (null: :data:`NONE`) and the names they stand
    for, sorted: a smaller code is an earlier name.

    Dictionary chunks may each carry their own dictionary; a plain text column is encoded first
    (meant for columns with few distinct values). With ``rows`` (a boolean mask), only the codes
    of those rows.
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    if not pa.types.is_dictionary(column.type):
        whole = pa.concat_arrays(chunks) if chunks else pa.array([], pa.string())
        chunks = [pc.dictionary_encode(whole)]
    names = sorted({v for chunk in chunks for v in chunk.dictionary.to_pylist() if v is not None})
    lookup = pa.array(names, pa.string())
    parts = []
    start = 0
    for chunk in chunks:
        rank = pc.index_in(chunk.dictionary.cast(pa.string()), value_set=lookup).fill_null(NONE)
        remap = np.append(rank.to_numpy().astype(np.int64), NONE)  # the last entry: a null index
        indices = chunk.indices if not chunk.null_count else chunk.indices.fill_null(len(chunk.dictionary))
        positions = indices.to_numpy()
        if rows is not None:
            positions = positions[rows[start : start + len(chunk)]]
            start += len(chunk)
        parts.append(remap[positions])
    if len(parts) == 1:
        return parts[0], names
    return (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)), names


@dataclass(frozen=True)
class Lookup:
    """A column's codes and names, for several questions about one column."""

    values: np.ndarray
    names: list[str]

    def is_one_of(self, wanted: Collection[str]) -> np.ndarray:
        """Where the column holds one of ``wanted`` (never where it is null)."""
        hits = np.array([name in wanted for name in self.names] + [False])
        return hits[self.values]  # NONE (-1) takes the last entry: False


def is_one_of(column: pa.ChunkedArray | pa.Array, wanted: Collection[str]) -> np.ndarray:
    """Where a dictionary or text column holds one of ``wanted`` (never where it is null)."""
    return Lookup(*codes(column)).is_one_of(wanted)


def names_of(values: np.ndarray, names: list[str]) -> pa.Array:
    """The names of codes (:data:`NONE`: null), as Arrow text."""
    lookup = pa.array([*names, None], pa.string())
    return lookup.take(pa.array(np.where(values == NONE, len(names), values)))
