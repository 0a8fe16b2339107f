"""The HTML report in a real browser: Debian's Chromium, headless, driven by chromedriver.

It renders, shows every flagged span highlighted, shows a span's note on keyboard focus and on
hover (hidden otherwise), the paragraph strip links move focus to the paragraph, and the page
loads nothing from elsewhere. Skipped where Chromium, chromedriver or selenium is absent;
``make test-browser`` installs them (system packages ``chromium chromium-driver``, the
``browser`` extra) and runs this file. With ``MTDETECT_SCREENSHOT=PATH`` it also saves a
screenshot of the samples' page there (``make screenshot`` → docs/report.png).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import cli

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("idioms-literal.txt", "mixed-allotments.txt", "news-spun.txt", "farming-roundtrip.txt")
SAMPLES = [os.path.relpath(ROOT / "samples" / n) for n in NAMES]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="needs Chromium and chromedriver (make test-browser)"
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1100,1400",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)
    try:
        yield drv
    finally:
        drv.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("html") / "report.html"
    r = cli(["score", *map(str, SAMPLES), "-f", "html", "--out", str(out)])
    assert r.exit_code in (0, 1), r.stderr
    docs = json.loads(cli(["score", *map(str, SAMPLES), "-f", "json"]).stdout)
    return out, docs


def test_page_renders_highlights_and_notes(browser, page):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    out, docs = page
    browser.get(out.as_uri())
    assert browser.title == "mtdetect report"
    sections = browser.find_elements(By.CSS_SELECTOR, "section.doc")
    assert len(sections) == len(docs)
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.flag")
    assert len(marks) == sum(len(d["flags"]) for d in docs) > 0
    for m in marks:  # shown, highlighted (not the page's white), note hidden until asked
        assert m.is_displayed() and m.size["width"] > 0
        assert m.value_of_css_property("background-color") not in (
            "rgba(0, 0, 0, 0)",
            "rgba(255, 255, 255, 1)",
        )
        assert not m.find_element(By.CSS_SELECTOR, ".tip").is_displayed()
    # keyboard: Tab reaches the highlights in order, and focus shows the note
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    seen = []
    for _ in range(200):
        el = browser.switch_to.active_element
        if el.tag_name == "mark":
            seen.append(el.get_attribute("id"))
            tip = el.find_element(By.CSS_SELECTOR, ".tip")
            assert tip.is_displayed() and tip.text
            assert el.get_attribute("aria-describedby") == tip.get_attribute("id")
            if len(seen) == len(marks):
                break
        ActionChains(browser).send_keys(Keys.TAB).perform()
    assert seen == [m.get_attribute("id") for m in marks]
    # hover shows a note too
    browser.execute_script("document.activeElement.blur()")
    ActionChains(browser).move_to_element(marks[0]).perform()
    assert marks[0].find_element(By.CSS_SELECTOR, ".tip").is_displayed()
    # the strip links to the paragraphs; nothing was loaded from elsewhere
    cells = browser.find_elements(By.CSS_SELECTOR, ".strip a")
    assert cells and all(c.get_attribute("aria-label").startswith("paragraph ") for c in cells)
    target = cells[-1].get_attribute("href").split("#")[1]
    cells[-1].send_keys(Keys.ENTER)
    assert browser.execute_script("return location.hash") == f"#{target}"
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_screenshot(browser, page):
    """Saves the README's screenshot when MTDETECT_SCREENSHOT names a file."""
    from selenium.webdriver.common.by import By

    out, _ = page
    browser.get(out.as_uri())
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.flag")
    browser.execute_script("arguments[0].focus()", marks[0])
    browser.execute_script("window.scrollTo(0, 0)")
    png = browser.get_screenshot_as_png()
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    target = os.environ.get("MTDETECT_SCREENSHOT")
    if target:
        Path(target).write_bytes(png)
