"""The HTML report, opened in a real headless Chromium with the network cut off, draws its figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import ARTIFACTS, browser_page

from settlesync_nb.cli import main
from settlesync_nb.demo import write_demo

pytestmark = pytest.mark.browser


def test_report_figures_draw_offline(tmp_path: Path) -> None:
    """Every figure renders an SVG of real size with no network request and no script error."""
    demo = write_demo(tmp_path / "demo")
    out = tmp_path / "run"
    assert (
        main(["report", "--amazon", *map(str, demo.amazon), "--netsuite", *map(str, demo.netsuite), "--out", str(out)])
        == 1
    )
    requested: list[str] = []
    errors: list[str] = []
    with browser_page() as page:
        page.route(
            "**/*",
            lambda route: (
                (requested.append(route.request.url), route.continue_())
                if route.request.url.startswith("file://")
                else (requested.append(route.request.url), route.abort())
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((out / "report.html").as_uri())
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
        plots = page.locator(".js-plotly-plot")
        count = plots.count()
        sizes = [plots.nth(i).bounding_box() for i in range(count)]
        bars = page.locator(".js-plotly-plot .bars path, .js-plotly-plot .waterfall path").count()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert [u for u in requested if not u.startswith("file://")] == []
    assert errors == []
    assert count >= 6
    assert all(box is not None and box["width"] > 200 and box["height"] > 150 for box in sizes)
    assert bars > 0, "figures drew no bars: a blank page"
