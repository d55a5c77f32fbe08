"""Writing canonical data out: CSV safe to open in a spreadsheet, and typed Parquet.

Amounts leave as exact decimal text (CSV) or ``decimal128`` (Parquet), never floats. In CSV,
a text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is prefixed
with ``'`` so that a spreadsheet shows it instead of evaluating it as a formula; plain numbers
such as ``-12.34`` are not text and stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ..errors import UsageError
from ..model import LINE_COLUMNS
from ..money import exponent, format_minor_array

FORMULA_START = r"^[=+\-@\t\r]"
PLAIN_NUMBER = r"^[+-]?\d+(\.\d+)?$"  # "-12.34" is a number, not a formula: left as it is
WRITERS = ("csv", "parquet")


def neutralise_formulas(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Prefix ``'`` to text a spreadsheet would run as a formula."""
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    risky = pc.and_(
        pc.match_substring_regex(values, FORMULA_START), pc.invert(pc.match_substring_regex(values, PLAIN_NUMBER))
    )
    risky = pc.fill_null(risky, False)
    if not pc.any(risky).as_py():
        return values
    return pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)


def decimal_column(minor: pa.Array | np.ndarray, currencies: Iterable[str]) -> pa.Array:
    """Exact ``decimal128`` amounts from minor units; the scale is the largest exponent present."""
    minor = np.asarray(minor, dtype=np.int64)
    places = np.array([exponent(c) for c in currencies], dtype=np.int64)
    scale = int(places.max()) if len(places) else 2
    unscaled = minor * 10 ** (scale - places)
    words = np.empty((len(minor), 2), dtype=np.int64)  # little-endian 128-bit two's complement
    words[:, 0] = unscaled
    words[:, 1] = np.where(unscaled < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(minor), [None, pa.py_buffer(words)])


def amount_text(frame: pd.DataFrame, amount: str = "amount_minor", currency: str = "currency") -> pa.Array:
    """Decimal strings of a minor-unit column, each in its row's currency."""
    codes = frame[currency].astype("string").fillna("").to_numpy()
    distinct = {c: exponent(c) for c in set(codes)}
    places = (
        pa.array(np.array([distinct[c] for c in codes], dtype=np.int64))
        if len(distinct) > 1
        else (next(iter(distinct.values())) if distinct else 2)
    )
    return format_minor_array(pa.array(frame[amount].to_numpy(dtype=np.int64)), places)


def canonical_table(lines: pd.DataFrame, for_csv: bool) -> pa.Table:
    """The ``settlesync load`` columns: canonical lines with ``amount`` instead of minor units."""
    columns = {}
    for name in LINE_COLUMNS:
        if name == "amount_minor":
            columns["amount"] = (
                amount_text(lines)
                if for_csv
                else decimal_column(lines["amount_minor"].to_numpy(), lines["currency"].astype(str))
            )
        else:
            columns[name] = (
                pa.array(lines[name]) if name != "posted_time" else pa.array(lines[name], pa.timestamp("s", tz="UTC"))
            )
    return pa.table(columns)


def write_table(table: pa.Table, path: str | Path) -> None:
    """Write ``table`` as CSV or Parquet, chosen by the file extension."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in WRITERS:
        raise UsageError(f"Unknown output type: {path.name!r} (valid options are .csv, .parquet)")
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "parquet":
        pq.write_table(table, path)
        return
    safe = {}
    for field in table.schema:
        column = table.column(field.name)
        if pa.types.is_string(field.type) or pa.types.is_dictionary(field.type):
            column = neutralise_formulas(column)
        elif pa.types.is_timestamp(field.type):
            column = pc.strftime(column, format="%Y-%m-%dT%H:%M:%SZ")
        safe[field.name] = column
    pacsv.write_csv(pa.table(safe), path, pacsv.WriteOptions(quoting_style="needed"))


def write_lines(lines: pd.DataFrame, path: str | Path) -> None:
    """Write canonical lines to ``.csv`` (UTF-8, decimal text) or ``.parquet`` (decimal128)."""
    write_table(canonical_table(lines, for_csv=str(path).lower().endswith(".csv")), path)
