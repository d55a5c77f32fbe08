"""Headless Chromium for browser tests (Debian's chromium driven by Playwright).

Browser downloads fail here, so Playwright uses the system binary. On CI (CI=true) a missing
browser fails the test instead of skipping it: `.ci/run` installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_chromium() -> None:
    """Skip (or, on CI, fail) when there is no Chromium."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@contextmanager
def browser_page(width: int = 1300, height: int = 900) -> Iterator[Any]:
    """A fresh page in headless Chromium."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            browser.close()


ARTIFACTS = Path(os.environ.get("SETTLESYNC_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))
