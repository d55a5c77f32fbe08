"""Exact money: integer minor units per currency, parsed from and written back to text.

An amount is never a float here. ``parse_amount`` and ``parse_amounts`` read the text Amazon or
NetSuite wrote (decimal point or decimal comma, trailing spaces) into an ``int`` count of the
currency's minor unit; ``format_minor`` and ``format_minor_array`` write it back as a plain
decimal string. More significant decimals than the currency has is an error, never a rounding.

Zeros beyond the currency's decimals are exact after a decimal point (``1.230`` USD is 1.23), but
a decimal comma takes at most the currency's decimals: ``1,000`` is more likely one thousand with
a thousands separator than one unit, so it is refused rather than read 1000 times too small.
"""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .arrowtext import text_layout

# ISO 4217 minor units for currencies Amazon settles in that differ from the usual 2.
_EXPONENT_EXCEPTIONS = {
    "JPY": 0,
    "KRW": 0,
    "CLP": 0,
    "ISK": 0,
    "VND": 0,
    "HUF": 2,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}
DEFAULT_EXPONENT = 2
_MAX_INTEGER_DIGITS = 15  # keeps every value well inside int64 after scaling

# What surrounds an amount and is ignored: ASCII whitespace only (Amazon pads with spaces). Digits
# are ASCII too: the scalar and vectorised parsers must agree, and Python's ``\d``/``\s`` are
# Unicode-aware while pyarrow's (RE2) are not.
WHITESPACE = " \t\n\r\f\v"
AMOUNT_BODY = rf"(?P<sign>[+-]?)(?P<int>[0-9]{{1,{_MAX_INTEGER_DIGITS}}})(?:(?P<sep>[.,])(?P<frac>[0-9]+))?"
AMOUNT_PATTERN = rf"^{AMOUNT_BODY}$"
_AMOUNT_RE = re.compile(AMOUNT_BODY)


def exponent(currency: str) -> int:
    """Number of decimal places of ``currency``'s minor unit (JPY 0, EUR 2, KWD 3)."""
    return _EXPONENT_EXCEPTIONS.get(currency.strip().upper(), DEFAULT_EXPONENT)


def expected_form(currency: str) -> str:
    """Human description of a valid amount for ``currency``, used in error messages."""
    places = exponent(currency)
    if places == 0:
        return f"a whole number of {currency} such as 1234 (no decimals)"
    example = "1234." + "5" * places
    return f"a number with at most {places} decimals such as {example} or {example.replace('.', ',')}"


def parse_amount(text: str, currency: str) -> int:
    """Parse one amount to minor units of ``currency``.

    Args:
        text: The amount as written, e.g. ``"1141.18"``, ``"1141,18 "``, ``"-0.5"``.
        currency: ISO code deciding the number of decimals.

    Returns:
        The amount in minor units, e.g. 114118.

    Raises:
        ValueError: if the text is not a plain decimal number or carries more significant
            decimals than the currency allows.
    """
    match = _AMOUNT_RE.fullmatch(text.strip(WHITESPACE))
    if match is None:
        raise ValueError(f"not a number: {text!r}; expected {expected_form(currency)}")
    places = exponent(currency)
    frac = match["frac"] or ""
    kept, extra = frac[:places], frac[places:]
    if extra.strip("0"):
        raise ValueError(f"{text.strip()!r} has more decimals than {currency} allows")
    if extra and match["sep"] == ",":
        raise ValueError(f"{text.strip()!r} is ambiguous: a decimal comma or a thousands separator?")
    minor = int(match["int"]) * 10**places + int(kept.ljust(places, "0") or "0")
    return -minor if match["sign"] == "-" else minor


def format_minor(minor: int, currency: str) -> str:
    """Write minor units back as a decimal string (``-1234.50``; JPY ``1234``)."""
    places = exponent(currency)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(int(minor)), 10**places)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


def to_decimal(minor: int, currency: str) -> Decimal:
    """Minor units as an exact :class:`~decimal.Decimal`."""
    return Decimal(int(minor)).scaleb(-exponent(currency))


def parse_amounts(values: pa.Array | pa.ChunkedArray, places: int) -> tuple[pa.Array, pa.Array]:
    """Vectorised :func:`parse_amount` for one currency.

    Args:
        values: Amount strings (nulls and empty strings are invalid).
        places: Decimal places of the currency (see :func:`exponent`).

    Returns:
        ``(minor, valid)``: int64 minor units (0 where invalid) and a boolean mask of the values
        that parsed exactly.
    """
    if pa.types.is_dictionary(values.type):
        values = values.cast(pa.string())
    common_only = _all_common(values, places)
    if common_only is not None:
        return pa.array(common_only), pa.array(np.ones(len(values), dtype=bool))
    # Fast path: the form nearly every value has ("-12.34" or "-12,34" with exactly `places`
    # decimals, nothing around it), read by dropping the separator; the rest (padding, fewer or
    # extra decimals, a plus sign, invalid text) goes through the full grammar.
    digits = rf"[0-9]{{1,{_MAX_INTEGER_DIGITS}}}"
    common_form = rf"^-?{digits}[.,][0-9]{{{places}}}$" if places else rf"^-?{digits}$"
    common = _mask(pc.match_substring_regex(values, common_form))
    if common.all():
        return pa.array(_without_separator(values, places)), pa.array(common)
    minor = np.zeros(len(values), dtype=np.int64)
    valid = common.copy()
    if common.any():
        minor[common] = _without_separator(values.filter(pa.array(common)), places)
    rest = np.flatnonzero(~common)
    minor[rest], valid[rest] = _parse_general(values.take(pa.array(rest)), places)
    return pa.array(minor), pa.array(valid)


def _all_common(values: pa.Array | pa.ChunkedArray, places: int) -> np.ndarray | None:
    """Minor units when every value has the common form (``-?digits[.,]digits`` with 1 to 15
    integer digits and exactly ``places`` decimals), checked on the bytes without a regex;
    ``None`` when any value does not (then the caller sorts them out value by value)."""
    if values.null_count or not len(values):
        return None
    text = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if not pa.types.is_string(text.type):
        return None  # 64-bit offsets (large_string): left to the general path
    bounds, data = text_layout(text)
    if bounds[-1] == bounds[0]:
        return None  # every value empty
    starts, ends = bounds[:-1], bounds[1:]
    negative = data[np.minimum(starts, len(data) - 1)] == ord("-")
    digits = ends - starts - negative - (places + 1 if places else 0)
    if not ((digits >= 1) & (digits <= _MAX_INTEGER_DIGITS)).all():
        return None
    non_digits = int(negative.sum())
    if places:
        separator = data[ends - places - 1]
        if not ((separator == ord(".")) | (separator == ord(","))).all():
            return None
        non_digits += len(text)
    # Every byte but those signs and separators must be an ASCII digit: count the others (the
    # subtraction wraps bytes below "0" round to the top).
    others = np.count_nonzero((data[bounds[0] : bounds[-1]] - np.uint8(ord("0"))) > 9)
    if others != non_digits:
        return None
    plain = pc.binary_replace_slice(text, start=-places - 1, stop=-places, replacement="") if places else text
    return np.asarray(plain.cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def _mask(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean compute result as a numpy mask, nulls false."""
    filled = pc.fill_null(values, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def _without_separator(values: pa.Array | pa.ChunkedArray, places: int) -> np.ndarray:
    """Minor units of values known to be ``-?digits[.,]digits{places}``."""
    # the separator sits `places` bytes from the end; the values are ASCII
    if places:
        values = pc.binary_replace_slice(values, start=-places - 1, stop=-places, replacement="")
    return np.asarray(values.cast(pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def _parse_general(values: pa.Array | pa.ChunkedArray, places: int) -> tuple[np.ndarray, np.ndarray]:
    """Any valid form: padding, sign, up to 15 integer digits, a fraction padded or checked."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()  # only the uncommon values: small
    text = pc.ascii_trim(values, characters=WHITESPACE)
    parts = pc.extract_regex(text, AMOUNT_PATTERN)
    matched = pc.fill_null(parts.is_valid(), False)
    sign = pc.fill_null(parts.field("sign"), "")
    whole = pc.fill_null(parts.field("int"), "")
    whole = pc.if_else(pc.equal(whole, ""), pa.scalar("0"), whole)
    frac = pc.fill_null(parts.field("frac"), "")
    padded = pc.utf8_rpad(frac, width=places, padding="0") if places else frac
    kept = pc.utf8_slice_codeunits(padded, 0, places)
    extra = pc.utf8_slice_codeunits(padded, places)
    comma_extra = pc.and_(pc.equal(pc.fill_null(parts.field("sep"), ""), ","), pc.greater(pc.utf8_length(extra), 0))
    valid = pc.and_(pc.and_(matched, pc.match_substring_regex(extra, r"^0*$")), pc.invert(comma_extra))
    scaled = pc.multiply(whole.cast(pa.int64()), pa.scalar(10**places, pa.int64()))
    fraction = pc.if_else(pc.equal(kept, ""), pa.scalar("0"), kept).cast(pa.int64())
    minor = pc.add(scaled, fraction)
    minor = pc.if_else(pc.equal(sign, "-"), pc.negate(minor), minor)
    minor = pc.if_else(valid, minor, pa.scalar(0, pa.int64()))
    return np.asarray(minor.to_numpy(zero_copy_only=False), dtype=np.int64), _mask(valid)


def format_minor_array(minor: pa.Array | pa.ChunkedArray, places: pa.Array | int) -> pa.Array:
    """Vectorised :func:`format_minor`; ``places`` is one exponent or one per value."""
    if isinstance(minor, pa.ChunkedArray):
        minor = minor.combine_chunks()
    minor = minor.cast(pa.int64())
    if isinstance(places, int):
        places = pa.array(np.full(len(minor), places, dtype=np.int64))
    width = places.cast(pa.int64())
    scale = pc.power(pa.scalar(10, pa.int64()), width)
    magnitude = pc.abs(minor)
    whole_units = pc.divide(magnitude, scale)
    whole = whole_units.cast(pa.string())
    frac = pc.subtract(magnitude, pc.multiply(whole_units, scale)).cast(pa.string())
    # utf8_lpad takes one width; pad to the widest and cut each value back to its own width.
    widest = int(pc.max(width).as_py() or 0)
    frac = pc.utf8_lpad(frac, width=widest, padding="0")
    frac = _take_right(frac, width)
    body = pc.if_else(pc.greater(width, 0), pc.binary_join_element_wise(whole, frac, "."), whole)
    return pc.if_else(pc.less(minor, 0), pc.binary_join_element_wise("-", body, ""), body)


def _take_right(values: pa.Array, widths: pa.Array) -> pa.Array:
    """Last ``widths[i]`` characters of each value (values are ASCII digits)."""
    out = pa.repeat("", len(values))
    for width in pc.unique(widths).to_pylist():
        if not width:
            continue
        cut = pc.utf8_slice_codeunits(values, -int(width))
        out = pc.if_else(pc.equal(widths, width), cut, out)
    return out
