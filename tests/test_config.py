"""The TOML config: defaults, every key, and clear errors for unknown or invalid values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from settlesync_nb.config import BASES, Settings, load_settings
from settlesync_nb.errors import ConfigError

FULL = """
tolerance = "0.01"
basis = ["ItemPrice"]
cutoff = "2026-09-01"

[netsuite]
preset = "celigo"
decimal_separator = ","
currency = "EUR"
cancelled_statuses = ["Voided"]

[netsuite.columns]
amount = "Total (EUR)"

[netsuite.types]
"Item Fulfillment" = "ignore"
"Cash Sale" = "Order"

[[categories]]
amount_type = "NewProgramFee"
category = "selling fees"
"""


def test_defaults_without_a_file() -> None:
    """No config means exact comparison on the buyer basis with NetSuite Connector's type map."""
    settings = load_settings(None)
    assert settings == Settings()
    assert settings.tolerance == 0 and settings.basis == BASES["buyer"]
    assert settings.netsuite_types["Credit Memo"] == "Refund"


def test_every_key_is_read(tmp_path: Path) -> None:
    """All documented keys reach the settings."""
    path = tmp_path / "settlesync.toml"
    path.write_text(FULL, encoding="utf-8")
    settings = load_settings(path)
    assert settings.tolerance == Decimal("0.01")
    assert settings.basis == ("ItemPrice",)
    assert settings.cutoff == date(2026, 9, 1)
    assert settings.netsuite.preset == "celigo" and settings.netsuite.decimal_separator == ","
    assert settings.netsuite.columns == {"amount": "Total (EUR)"} and settings.netsuite.currency == "EUR"
    assert settings.netsuite_types["Item Fulfillment"] == "ignore"
    assert settings.cancelled_statuses == ("Voided",)
    assert settings.categories[0].amount_type == "NewProgramFee" and settings.categories[0].transaction_type == "*"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tolerence = '0.01'", "unknown key(s) tolerence"),
        ("basis = 'gross'", "unknown basis 'gross'"),
        ("cutoff = 'next week'", "expected YYYY-MM-DD"),
        ("[netsuite]\npreset = 'acme'", "Unknown NetSuite preset"),
        ("[netsuite.types]\n'Cash Sale' = 'Sale'", "valid options are Order, Refund, ignore"),
        ("[[categories]]\namount_type = 'X'", "'category' is required"),
        ("tolerance = ", "not valid TOML"),
        ("[netsuite]\ncurrency = 'Dollars'", "three-letter ISO code"),
    ],
)
def test_bad_config_names_the_file_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    """An invalid config raises ConfigError naming the file and what is valid."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_missing_config_file(tmp_path: Path) -> None:
    """A config path that does not exist is a clear error."""
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "nope.toml")
