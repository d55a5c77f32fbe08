"""Exact money: text to integer minor units and back, scalar and vectorised."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from settlesync_nb.money import (
    exponent,
    format_minor,
    format_minor_array,
    parse_amount,
    parse_amounts,
    to_decimal,
)

CURRENCIES = {0: "JPY", 2: "USD", 3: "KWD"}
MINOR = st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1)


def test_exponents_of_zero_two_and_three_decimal_currencies() -> None:
    """JPY has no minor unit, USD and EUR two decimals, KWD three; codes compare case-insensitively."""
    assert [exponent(c) for c in ("JPY", "usd", "EUR", " KWD ")] == [0, 2, 2, 3]


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("1141.18", "USD", 114118),
        ("1141,18", "EUR", 114118),
        ("32.09    ", "CAD", 3209),
        ("-0.01", "USD", -1),
        ("0.01", "USD", 1),
        ("-321.69", "CAD", -32169),
        ("+5", "USD", 500),
        ("1.5", "USD", 150),
        ("1.230", "USD", 123),
        ("1.2300000", "USD", 123),
        ("-0.00", "USD", 0),
        ("1234", "JPY", 1234),
        ("1234.000", "JPY", 1234),
        ("-15", "JPY", -15),
        ("1.234", "KWD", 1234),
        ("999999999999999.99", "USD", 99999999999999999),
    ],
)
def test_parse_amount_reads_the_exact_minor_units(text: str, currency: str, minor: int) -> None:
    """An amount is read exactly from its text, decimal point or comma, padding and zero decimals ignored."""
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("1.234", "USD"),
        ("0.001", "USD"),
        ("1.5", "JPY"),
        ("1.0001", "KWD"),
        ("", "USD"),
        ("   ", "USD"),
        ("abc", "USD"),
        ("1,234.56", "USD"),
        ("1.234,56", "EUR"),
        ("1,000", "JPY"),  # one thousand yen with a thousands separator, not one yen
        ("1,230", "USD"),  # a decimal comma takes at most the currency's decimals
        ("12,500", "EUR"),
        ("1 234", "USD"),
        ("12-", "USD"),
        ("--1", "USD"),
        (".5", "USD"),
        ("5.", "USD"),
        ("1e3", "USD"),
        ("NaN", "USD"),
        ("\u0661\u0662", "USD"),  # Arabic-Indic digits: not what Amazon writes
        ("\uff11", "USD"),  # a full-width 1
        ("1\u00a0", "USD"),  # a no-break space is not padding
        ("1234567890123456", "USD"),  # 16 integer digits: beyond any settlement
    ],
)
def test_parse_amount_rejects_what_is_not_an_exact_amount(text: str, currency: str) -> None:
    """More decimals than the currency has, thousands separators and non-numbers raise instead of rounding."""
    with pytest.raises(ValueError):
        parse_amount(text, currency)


def test_decimal_comma_with_zeros_beyond_the_currency_is_ambiguous() -> None:
    """``1,000`` yen is refused as ambiguous while ``1.000`` yen reads as one yen and ``1,000`` KWD as one dinar."""
    with pytest.raises(ValueError, match="ambiguous"):
        parse_amount("1,000", "JPY")
    assert parse_amount("1.000", "JPY") == 1
    assert parse_amount("1,000", "KWD") == 1000


def test_too_many_decimals_error_names_the_currency() -> None:
    """The error for an extra decimal says which currency forbids it."""
    with pytest.raises(ValueError, match="more decimals than USD allows"):
        parse_amount("0.005", "USD")


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (114118, "USD", "1141.18"),
        (-1, "USD", "-0.01"),
        (0, "EUR", "0.00"),
        (-1234, "JPY", "-1234"),
        (5, "KWD", "0.005"),
    ],
)
def test_format_minor_writes_plain_decimal_text(minor: int, currency: str, text: str) -> None:
    """Minor units are written back with exactly the currency's decimals and a leading minus."""
    assert format_minor(minor, currency) == text


def test_to_decimal_is_exact() -> None:
    """Minor units convert to an exact Decimal, never a float."""
    assert to_decimal(-1, "USD") == Decimal("-0.01")
    assert to_decimal(1234, "JPY") == Decimal(1234)


@settings(deadline=None)  # timing on a shared machine is not the property under test
@given(minor=MINOR, places=st.sampled_from([0, 2, 3]))
@example(minor=0, places=2).via("zero")
@example(minor=-1, places=2).via("minus one cent")
def test_parse_of_format_is_identity(minor: int, places: int) -> None:
    """Formatting minor units and parsing the text back gives the same integer in every exponent."""
    currency = CURRENCIES[places]
    assert parse_amount(format_minor(minor, currency), currency) == minor


@settings(deadline=None)  # timing on a shared machine is not the property under test
@given(minor=MINOR, places=st.sampled_from([0, 2, 3]))
def test_vectorised_format_matches_scalar(minor: int, places: int) -> None:
    """format_minor_array writes the same text as format_minor."""
    currency = CURRENCIES[places]
    assert format_minor_array(pa.array([minor]), places).to_pylist() == [format_minor(minor, currency)]


def test_vectorised_format_with_one_exponent_per_value() -> None:
    """Mixed currencies in one column each get their own number of decimals."""
    out = format_minor_array(pa.array([-5, 123456, 0, -100, 7]), pa.array([2, 0, 3, 2, 0]))
    assert out.to_pylist() == ["-0.05", "123456", "0.000", "-1.00", "7"]


@settings(deadline=None)  # timing on a shared machine is not the property under test
@given(minor=MINOR.filter(lambda m: m > -(10**12)), places=st.sampled_from([2, 3]))
def test_decimal_comma_reads_like_decimal_point(minor: int, places: int) -> None:
    """``1141,18`` and ``1141.18`` are the same amount."""
    currency = CURRENCIES[places]
    text = format_minor(minor, currency)
    assert parse_amount(text.replace(".", ","), currency) == parse_amount(text, currency)


@settings(deadline=None)  # timing on a shared machine is not the property under test
@given(minor=MINOR, places=st.sampled_from([0, 2, 3]), extra=st.integers(min_value=1, max_value=9))
def test_a_significant_extra_decimal_is_rejected(minor: int, places: int, extra: int) -> None:
    """One more non-zero decimal than the currency allows is an error, never rounded away."""
    currency = CURRENCIES[places]
    text = format_minor(minor, currency)
    text = f"{text}{extra}" if places else f"{text}.{extra}"
    with pytest.raises(ValueError):
        parse_amount(text, currency)


@settings(deadline=None)  # timing on a shared machine is not the property under test
@given(minor=MINOR, places=st.sampled_from([0, 2, 3]), zeros=st.integers(min_value=1, max_value=6))
def test_trailing_zero_decimals_are_exact(minor: int, places: int, zeros: int) -> None:
    """``1.230`` in USD is exactly 1.23: zeros beyond the currency's decimals are accepted."""
    currency = CURRENCIES[places]
    text = format_minor(minor, currency)
    text = text + "0" * zeros if places else f"{text}.{'0' * zeros}"
    assert parse_amount(text, currency) == minor


AMOUNT_LIKE = st.text(alphabet="0123456789.,-+ \t\u00a0\u0661x", max_size=22)
ANY_TEXT = st.one_of(
    AMOUNT_LIKE,
    st.text(max_size=8),
    st.builds(lambda m: format_minor(m, "USD"), MINOR),
    st.builds(lambda m, pad: format_minor(m, "USD") + pad, MINOR, st.sampled_from([" ", "   ", "\t", "0", "00"])),
)


def _scalar(text: str | None, currency: str) -> int | None:
    if text is None:
        return None
    try:
        return parse_amount(text, currency)
    except ValueError:
        return None


@settings(deadline=None)  # timing on a shared machine is not the property under test
@given(values=st.lists(st.one_of(st.none(), ANY_TEXT), max_size=30), places=st.sampled_from([0, 2, 3]))
@example(values=["1.23", " 1.23", "1,230", "1,20", "+1", "", None, "\u0661", "1.2\u00a0"], places=2)
@example(values=["1,000", "1.000", "1,0", "7"], places=0)
def test_vectorised_parse_agrees_with_scalar(values: list[str | None], places: int) -> None:
    """parse_amounts accepts and rejects exactly what parse_amount does, with the same minor units."""
    currency = CURRENCIES[places]
    minor, valid = parse_amounts(pa.array(values, pa.string()), places)
    expected = [_scalar(v, currency) for v in values]
    assert valid.to_pylist() == [e is not None for e in expected]
    assert minor.to_pylist() == [0 if e is None else e for e in expected]


# Columns where every value but perhaps one has the common form: the byte-level fast path must
# accept exactly what the grammar accepts (hex "0x", a plus sign, 16 digits, no integer digit...).
NEAR_COMMON = st.sampled_from(
    ["0x1.00", "+1.00", "--1.00", "1.-0", "\uff11.00", ".50", "-.50", "1234567890123456.00", "-", "1.0.0", "10 0.00"]
)


@settings(deadline=None)
@given(
    minors=st.lists(MINOR.filter(lambda m: abs(m) < 10**15), min_size=1, max_size=20),
    places=st.sampled_from([0, 2, 3]),
    odd=st.one_of(st.none(), NEAR_COMMON),
    comma=st.booleans(),
)
def test_common_form_columns_agree_with_scalar(minors: list[int], places: int, odd: str | None, comma: bool) -> None:
    """A column of common-form amounts (one odd value or none) parses like the scalar parser."""
    currency = CURRENCIES[places]
    values = [format_minor(m, currency) for m in minors]
    if comma:
        values = [v.replace(".", ",") for v in values]
    if odd is not None:
        values[len(values) // 2] = odd
    minor, valid = parse_amounts(pa.chunked_array([values[:3], values[3:]], pa.string()), places)
    expected = [_scalar(v, currency) for v in values]
    assert valid.to_pylist() == [e is not None for e in expected]
    assert minor.to_pylist() == [0 if e is None else e for e in expected]


def test_vectorised_parse_of_chunked_and_dictionary_input() -> None:
    """Chunked and dictionary-encoded columns parse like plain arrays."""
    chunked = pa.chunked_array([["1.00", "-2,50"], ["3.1 ", "x"]])
    minor, valid = parse_amounts(chunked, 2)
    assert minor.to_pylist() == [100, -250, 310, 0]
    assert valid.to_pylist() == [True, True, True, False]
    minor, valid = parse_amounts(pa.array(["5", "5", "7.5"]).dictionary_encode(), 0)
    assert (minor.to_pylist(), valid.to_pylist()) == ([5, 5, 0], [True, True, False])


def test_vectorised_parse_of_nothing() -> None:
    """An empty column gives empty results."""
    minor, valid = parse_amounts(pa.chunked_array([], pa.string()), 2)
    assert (len(minor), len(valid)) == (0, 0)
