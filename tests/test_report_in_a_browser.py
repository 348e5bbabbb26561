"""The claims report as a person uses it, in a real browser: Playwright drives the system's Chromium
(Debian's `chromium`), at a desktop width and at a 390 px phone width."""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from sim.claims import check_claims, render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Headless, and quiet on a machine without a network (no background connections).
ARGUMENTS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, "Chromium is needed for the browser tests: apt-get install -y chromium (the README's test command does)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render(check_claims(), "html"), encoding="utf-8")
    return path


def open_page(browser, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    return page, errors


def test_clicking_a_sentence_opens_its_claims_evidence_with_a_timeline(browser, report):
    page, errors = open_page(browser, report, 1200)
    evidence = page.locator("#claim-rename-file")
    assert evidence.get_attribute("open") is None
    page.locator("a.s[href='#claim-rename-file']").first.click()
    # The page's script opens the evidence on the hash change, after the click returns.
    page.wait_for_function("document.querySelector('#claim-rename-file').open", timeout=5_000)
    assert evidence.get_attribute("open") is not None
    assert evidence.locator("pre.gherkin").first.is_visible()
    timeline = evidence.locator("svg.timeline").first
    assert timeline.is_visible() and timeline.bounding_box()["height"] > 40
    assert timeline.locator(".lane").count() >= 2 and timeline.locator(".bar rect").count() >= 2
    assert errors == []


def test_nothing_overflows_a_phone_screen(browser, report):
    page, errors = open_page(browser, report, 390)
    page.locator("a.s[href='#claim-scheduler-conditions']").first.click()
    page.wait_for_function("document.querySelector('#claim-scheduler-conditions').open", timeout=5_000)  # measured open
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert errors == []


def test_the_page_is_not_blank(browser, report):
    # A blank page's screenshot compresses to almost nothing; the report's does not.
    empty = report.parent / "blank.html"
    empty.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    blank, _ = open_page(browser, empty, 390)
    page, _ = open_page(browser, report, 390)
    assert len(page.screenshot()) > 4 * len(blank.screenshot())
