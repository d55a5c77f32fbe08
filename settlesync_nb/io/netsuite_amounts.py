"""NetSuite's formatted numbers (``1,234.56``, ``(1.00)``, ``1.234,56``) read exactly.

A NetSuite export writes amounts in the user's number format: thousands grouped with a comma,
a dot, an apostrophe or a (no-break) space, negatives as ``-1.00`` or ``(1.00)``, sometimes a
currency symbol. They are normalised to plain decimal text, then to minor units of the row's
currency where it is known.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..money import exponent, parse_amounts
from .parsed import ProblemLog

_NBSP = "\u00a0"  # NetSuite's "1 000,00" number format groups with a no-break space
# An amount already in plain decimal form, by decimal separator.
_PLAIN = {".": r"^-?[0-9]+(\.[0-9]+)?$", ",": r"^-?[0-9]+(,[0-9]+)?$"}


def _amount_pattern(decimal_separator: str) -> str:
    grouping = "," if decimal_separator == "." else "."
    number = rf"(?:\d{{1,3}}(?:[{re.escape(grouping)}' {_NBSP}]\d{{3}})+|\d+)(?:{re.escape(decimal_separator)}\d+)?"
    return (
        rf"^\s*(?P<open>\(?)\s*(?P<sign>-?)\s*(?:[$€£¥]|[A-Z]{{3}})?\s*(?P<sign2>-?)\s*"
        rf"(?P<number>{number})\s*(?P<close>\)?)\s*$"
    )


def normalise_amounts(values: pa.ChunkedArray, decimal_separator: str) -> tuple[pa.Array, pa.Array]:
    """Turn NetSuite's formatted numbers into plain decimal text (``(1,234.50)`` -> ``-1234.50``).

    Returns:
        ``(text, bad)``: normalised text (null where invalid or empty) and the invalid mask.
    """
    text = values.combine_chunks() if values.num_chunks else pa.array([], pa.string())
    # Most amounts are plain already (``-12.34``): only the others go through the full grammar,
    # which costs about fifteen times as much per value.
    plain = np.asarray(pc.fill_null(pc.match_substring_regex(text, _PLAIN[decimal_separator]), False), dtype=bool)
    text_plain = pc.replace_substring(text, ",", ".") if decimal_separator == "," else text
    if plain.all():
        return text_plain, pa.array(np.zeros(len(text), dtype=bool))
    rest = np.flatnonzero(~plain)
    formatted, bad = _normalise_formatted(text.take(pa.array(rest)), decimal_separator)
    # the plain values where they are, the others from the full grammar: one take puts them in place
    order = np.arange(len(text))
    order[rest] = len(text) + np.arange(len(rest))
    merged = pa.concat_arrays([text_plain.cast(pa.string()), formatted.cast(pa.string())]).take(pa.array(order))
    invalid = np.zeros(len(text), dtype=bool)
    invalid[rest] = np.asarray(bad, dtype=bool)
    return merged, pa.array(invalid)


def _normalise_formatted(text: pa.Array, decimal_separator: str) -> tuple[pa.Array, pa.Array]:
    """The full grammar: grouping, parentheses, signs and currency symbols."""
    parts = pc.extract_regex(text, _amount_pattern(decimal_separator))
    parenthesised = pc.equal(parts.field("open"), "(")
    balanced = pc.equal(parenthesised, pc.equal(parts.field("close"), ")"))
    # one way of saying "negative" at most: "--1" or "(-1.00)" is not a number NetSuite writes
    markers = [parenthesised, pc.equal(parts.field("sign"), "-"), pc.equal(parts.field("sign2"), "-")]
    marker_count = pc.add(pc.add(markers[0].cast(pa.int8()), markers[1].cast(pa.int8())), markers[2].cast(pa.int8()))
    valid = pc.fill_null(pc.and_(pc.and_(parts.is_valid(), balanced), pc.less_equal(marker_count, 1)), False)
    negative = pc.greater(marker_count, 0)
    grouping = "," if decimal_separator == "." else "."
    number = pc.replace_substring_regex(parts.field("number"), rf"[{re.escape(grouping)}' {_NBSP}]", "")
    if decimal_separator == ",":
        number = pc.replace_substring(number, ",", ".")
    signed = pc.if_else(pc.fill_null(negative, False), pc.binary_join_element_wise("-", number, ""), number)
    return pc.if_else(valid, signed, pa.scalar(None, pa.string())), pc.invert(valid)


def minor_units(
    path: str,
    amount_text: pa.Array,
    found: pa.ChunkedArray,
    currency: pa.Array | pa.ChunkedArray,
    lines: np.ndarray,
    column: str,
    log: ProblemLog,
) -> pa.Array:
    """Minor units where the currency is known; null where it is left to reconciliation."""
    minor = np.zeros(len(amount_text), dtype=np.int64)
    known = np.zeros(len(amount_text), dtype=bool)
    present = np.asarray(amount_text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    for code in pc.unique(pc.drop_null(currency)).to_pylist():
        rows = np.asarray(pc.fill_null(pc.equal(currency, code), False).to_numpy(zero_copy_only=False), dtype=bool)
        rows &= present
        if not rows.any():
            continue
        values, valid = parse_amounts(amount_text.filter(pa.array(rows)), exponent(code))
        bad = np.zeros(len(rows), dtype=bool)
        bad[rows] = ~np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool)
        places = exponent(code)
        expected = f"at most {places} decimals for {code}" if places else f"a whole number for {code} (no decimals)"
        log.add_mask(path, bad, lines, found, column, expected)
        minor[rows] = values.to_numpy(zero_copy_only=False)
        known |= rows
    return pa.array(minor, mask=~known)
