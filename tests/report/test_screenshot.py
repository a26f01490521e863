"""Open the built report in a real browser (headless Debian chromium), as a person would.

``--dump-dom`` gives the DOM after the browser parsed and laid out the page: every scenario
and a job-graph SVG must be in it.  ``--screenshot`` gives what is shown: the top of the
page must be the red verdict and failed-scenario box, and a run page must show the graph's
coloured nodes.  Screenshots are kept under the test's temp dir (their paths are printed).
The browser gets a throw-away profile and no network features; the page is a file:// URL.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from actspec.report import graph
from actspec.tooling import provision
from tests.report import png
from tests.report.conftest import RUN_CI, SCENARIOS, Site, make_site

WIDTH, HEIGHT = 1400, 2000


@pytest.fixture(scope="module")
def chromium() -> str:
    exe = provision.chromium_path()
    if exe is None:
        pytest.skip("chromium not found on PATH (install it: python -m actspec.tooling.provision chromium, "
                    "i.e. apt-get install -y chromium)")
    return exe


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return make_site(tmp_path_factory.mktemp("shot"))


def browse(chromium: str, url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
           "--disable-default-apps", f"--user-data-dir={profile}", *args, url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, f"chromium exited {proc.returncode}: {proc.stderr[-2000:]}"
    return proc


def screenshot(chromium: str, page: Path, tmp: Path, name: str) -> png.Image:
    shot = tmp / f"{name}.png"
    browse(chromium, page.as_uri(), tmp, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}",
           "--hide-scrollbars")
    assert shot.exists(), "chromium wrote no screenshot"
    print(f"screenshot: {shot}")
    return png.read(shot)


def share(img: png.Image, rgb: tuple[int, int, int], rows: range, tolerance: int = 6) -> float:
    """Fraction of sampled pixels in ``rows`` within ``tolerance`` of colour ``rgb``."""
    hit = total = 0
    for y in rows[::3]:
        row = img.rows[y]
        for x in range(0, img.width, 3):
            i = x * img.channels
            total += 1
            if all(abs(row[i + k] - rgb[k]) <= tolerance for k in range(3)):
                hit += 1
    return hit / max(total, 1)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_dom_has_every_scenario_and_a_job_graph(chromium: str, built: Site, tmp_path: Path) -> None:
    dom = browse(chromium, built.index.as_uri(), tmp_path, "--dump-dom").stdout
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    text = " ".join(text.split())
    for name in SCENARIOS:
        assert name in text, f"scenario {name!r} not in the rendered page"
    assert "FAILED: 1 of 8 scenarios failed" in text
    assert re.search(r'<svg[^>]*>.*class="node job failure"', dom, re.S), "no job graph SVG with a failed job in the DOM"
    assert dom.count("<svg") == 2  # one graph per run


def test_screenshot_shows_the_failure_first(chromium: str, built: Site, tmp_path: Path) -> None:
    img = screenshot(chromium, built.index, tmp_path, "index")
    assert (img.width, img.height) == (WIDTH, HEIGHT)
    colours = img.colours()
    assert len(colours) > 200, f"only {len(colours)} colours: the page looks blank"
    white = sum(n for c, n in colours.items() if min(c) >= 250) / sum(colours.values())
    assert white < 0.9, f"{white:.0%} of the screenshot is white"
    # The red verdict box fills the top of the page (its background is the failure fill).
    red = share(img, (0xFF, 0xD7, 0xD5), range(100, 260))
    assert red > 0.3, f"the verdict box is not red at the top ({red:.0%} of the band)"


def test_run_page_screenshot_shows_coloured_job_graph(chromium: str, built: Site, tmp_path: Path) -> None:
    img = screenshot(chromium, built.run_page(RUN_CI), tmp_path, "run")
    band = range(0, HEIGHT)
    for result in ("success", "failure", "skipped"):
        fill = hex_rgb(graph.COLOURS[result][0])
        assert share(img, fill, band, tolerance=3) > 0.0005, f"no {result} node visible in the job graph"
