"""The HTML report checked in a real browser: headless Chromium renders it offline, and the chart
and tables must be present, visible and of non-zero size, and the screenshot must not be blank.

This test needs the Debian packages `chromium` and `chromium-driver` (installed by `.ci/run`).
Without them it is skipped, with the reason, so the suite runs on any machine; CI sets
`REPLICATE_REQUIRE_BROWSER=1`, and then a missing browser fails the test instead: in CI a report
nobody has looked at is not checked.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import PROGRAMME, site, write_pack
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from replicate import Advisor, build_portfolio, load_programme, load_rule_base, load_site
from replicate.render.html import render_html, render_portfolio_html

CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1600")


REQUIRE_BROWSER = "REPLICATE_REQUIRE_BROWSER"


def _which(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    reason = f"none of {names} is installed: apt-get install -y chromium chromium-driver"
    if os.environ.get(REQUIRE_BROWSER) == "1":
        pytest.fail(f"{reason} ({REQUIRE_BROWSER}=1: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = _which("chromium", "chromium-browser")
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=_which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def advisor(tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    pack = write_pack(tmp_path_factory.mktemp("pack"))
    return Advisor(load_rule_base([pack], include_shipped=False), engine="reference")


def png_pixels(data: bytes) -> tuple[int, int, set[bytes]]:
    """Width, height and the set of distinct RGB(A) pixels of an 8-bit truecolour PNG, decoded with
    the standard library only (a blank page has one or two distinct pixels)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6)
    step = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * step
    previous = bytearray(stride)
    pixels: set[bytes] = set()
    for row in range(height):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        if row % 8 == 0:
            pixels.update(bytes(line[i:i + 3]) for i in range(0, stride, step * 4))
        previous = line
    return width, height, pixels


def visible(element: object) -> bool:
    size = element.size  # type: ignore[attr-defined]
    return bool(element.is_displayed() and size["width"] > 0 and size["height"] > 0)  # type: ignore[attr-defined]


def test_report_renders_with_a_visible_chart_and_tables(browser: webdriver.Chrome, advisor: Advisor,
                                                        tmp_path: Path) -> None:
    # champions left unknown, so the plan has a question in "Information still missing"
    plan = advisor.advise(load_programme(PROGRAMME), load_site(site("s", setting="rural")))
    assert plan.missing_information and plan.actions
    report = tmp_path / "report.html"
    report.write_text(render_html(plan), encoding="utf-8")
    browser.get(report.as_uri())
    assert "Replication advice" in browser.title
    chart = browser.find_element(By.CSS_SELECTOR, "svg.readiness-chart")
    assert visible(chart)
    bars = chart.find_elements(By.CSS_SELECTOR, "g.bar")
    assert len(bars) == len(plan.readiness)
    scored = [bar for bar, entry in zip(bars, plan.readiness, strict=True) if entry.score > 0]
    assert all(visible(bar.find_elements(By.TAG_NAME, "rect")[1]) for bar in scored)
    for css in ("table.readiness-table", "table.principles-table", "table.components-table", "table.actions-table",
                "table.missing-table"):
        table = browser.find_element(By.CSS_SELECTOR, css)
        assert visible(table), css
        assert table.find_elements(By.CSS_SELECTOR, "tbody tr"), css
    assert visible(browser.find_element(By.CSS_SELECTOR, ".decision"))
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    width, height, pixels = png_pixels(shot.read_bytes())
    assert width > 0 and height > 0
    assert len(pixels) > 20, "the screenshot is blank"


def test_portfolio_page_puts_sites_side_by_side(browser: webdriver.Chrome, advisor: Advisor,
                                                tmp_path: Path) -> None:
    programme = load_programme(PROGRAMME)
    plans = [(f"s{i}", advisor.advise(programme, load_site(site(f"s{i}", setting=setting))))
             for i, setting in enumerate(["rural", "urban", "mixed"])]
    page = tmp_path / "portfolio.html"
    page.write_text(render_portfolio_html(build_portfolio(plans), plans), encoding="utf-8")
    browser.get(page.as_uri())
    cards = browser.find_elements(By.CSS_SELECTOR, ".site-card")
    assert len(cards) == 3 and all(visible(card) for card in cards)
    assert cards[0].location["y"] == cards[1].location["y"] and cards[0].location["x"] < cards[1].location["x"]
    assert all(visible(card.find_element(By.CSS_SELECTOR, "svg.readiness-chart")) for card in cards)
    assert visible(browser.find_element(By.CSS_SELECTOR, "table.portfolio-table"))
