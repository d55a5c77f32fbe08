"""Headless Chromium for browser tests (Debian's chromium driven by Playwright).

Browser downloads fail here, so Playwright uses the system binary. On CI (CI=true) a missing
browser fails the test instead of skipping it: `.ci/run` installs it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
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


NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def voila_app(notebook: str, folder: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """Voila serving one of our notebooks on 127.0.0.1; yields its URL (its log goes to ``folder``)."""
    port = _free_port()
    log = (folder / "voila.log").open("w", encoding="utf-8")
    voila = Path(sys.executable).with_name("voila")
    server = subprocess.Popen(
        [str(voila), str(NOTEBOOKS / notebook), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
        env={**os.environ, **(env or {})},
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:  # wait for the port: a GET of the page would run the notebook once more
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"Voila did not start; see {folder / 'voila.log'}") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
