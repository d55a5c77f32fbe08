"""The sign-off app (Voila) in a real headless Chromium: resolve, approve, enable; then the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import ARTIFACTS, browser_page, voila_app
from builders import signoff_run

from settlesync_nb.signoff import SignoffService

pytestmark = pytest.mark.browser
NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03_signoff.ipynb"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """Voila serving the sign-off notebook for a small run with one error, on 127.0.0.1."""
    run = signoff_run(tmp_path)
    db = f"sqlite:///{tmp_path / 'signoff.db'}"
    with voila_app("03_signoff.ipynb", tmp_path, {"SETTLESYNC_RUN": str(run), "SETTLESYNC_DB": db}) as url:
        yield url, run, db


def test_sign_off_in_the_browser(app: tuple[str, Path, str]) -> None:
    """A reviewer cancels the error, approves the checklist and enables sync; the database records it all."""
    url, run, db = app
    with browser_page(height=1400) as page:
        page.goto(url, timeout=120_000, wait_until="commit")
        page.wait_for_selector(".settlesync-reviewer input", timeout=90_000)
        page.fill(".settlesync-reviewer input", "Ann Reviewer")
        page.locator(".settlesync-action button", has_text="cancelled").click()
        page.fill(".settlesync-note input", "test order, never shipped")
        page.locator(".settlesync-note input").press("Tab")
        page.click("button.settlesync-record")
        page.wait_for_function("document.body.innerText.includes('cancelled by Ann Reviewer')", timeout=30_000)
        assert page.locator("button.settlesync-enable").is_disabled()
        for box in ("ack", "live", "compared"):
            page.check(f".settlesync-{box} input[type=checkbox]")
        page.fill(".settlesync-cutoff input", "2026-08-01")
        page.locator(".settlesync-cutoff input").press("Tab")
        page.click("button.settlesync-approve")
        page.wait_for_function("document.body.innerText.includes('Approval recorded')", timeout=30_000)
        page.wait_for_selector("button.settlesync-enable:not([disabled])", timeout=30_000)
        page.click("button.settlesync-enable")
        page.wait_for_function(
            "document.body.innerText.includes('Settlement Sync enabled by Ann Reviewer')", timeout=30_000
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "signoff.png"), full_page=True)
    with SignoffService(db) as service:
        status = service.status(run)
        assert status.sync_enabled and status.enabled_for_this_run
        assert status.describe_dict()["enabled_by"] == "Ann Reviewer" and status.cutoff == "2026-08-01"
        assert [e.action for e in service.log()][-3:] == ["resolve", "approve", "enable"]
        assert service.verify().ok
