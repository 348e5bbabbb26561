"""The reports as a person uses them, in a real browser: Playwright drives the system's Chromium (Debian's
`chromium`), one browser for the module, at a desktop width and at a 390 px phone width, every claim opened."""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from sim.claims import CLAIMS
from sim.report.claims_report import render
from tests.claims_once import bundled_claims

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Headless, and quiet on a machine without a network (no background connections).
ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = 390
#: Elements wider than the screen, or whose content spills out of them (a long registry key, say), outside
#: the sideways-scrolling boxes of the timelines and tables.
TOO_WIDE = """(() => {
  const width = document.documentElement.clientWidth, found = [];
  for (const element of document.querySelectorAll('body *')) {
    if (element.parentElement && element.parentElement.closest('.scroll')) continue;  // inside a sideways-scrolling box
    const box = element.getBoundingClientRect();
    const spills = element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 1 &&
      getComputedStyle(element).overflowX === 'visible';
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5 || spills)) found.push(element.tagName + '.' +
      element.className + ': ' + (element.textContent || '').slice(0, 60));
  }
  return found;
})()"""


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM, (
        "Chromium is needed for the browser tests: apt-get install -y chromium (the README's test command does)"
    )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGUMENTS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render(bundled_claims(), "html"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def run_pages(tmp_path_factory):
    """The page `wcsim run --html` writes, for a run whose expectations table held long unbroken paths (682 px
    wide at 390 before) and for a run drawn a day at a time."""
    from sim.cli import main

    folder = tmp_path_factory.mktemp("runs")
    pages = []
    for name in ("rename-company-file", "scheduler-pc-sleeps-at-night"):
        main(["run", name, "--html", str(folder / f"{name}.html")])
        pages.append(folder / f"{name}.html")
    return pages


def open_page(browser, path, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    return page, errors


def test_clicking_a_sentences_evidence_opens_its_claim_with_a_timeline(browser, report):
    page, errors = open_page(browser, report, 1200)
    evidence = page.locator("#claim-rename-file")
    assert evidence.get_attribute("open") is None
    page.locator("a.evidence[href='#claim-rename-file']").first.click()
    # The page's script opens the evidence on the hash change, after the click returns.
    page.wait_for_function("document.querySelector('#claim-rename-file').open", timeout=5_000)
    assert evidence.locator("pre.gherkin").first.is_visible()
    timeline = evidence.locator("svg.timeline").first
    assert timeline.is_visible() and timeline.bounding_box()["height"] > 40
    assert timeline.locator(".lane").count() >= 2 and timeline.locator(".bar rect").count() >= 2
    assert timeline.locator("text.tick").count() >= 2 and evidence.locator("ol.markers li").count() >= 1
    assert errors == []


def test_on_a_phone_nothing_is_wider_than_the_screen_with_every_claim_open_and_notes_show_without_hovering(
    browser, report, run_pages
):
    page, errors = open_page(browser, report, PHONE)
    # The tiers, their legend and a sentence's note are on the page as text, not in tooltips.
    assert page.locator("#legend").is_visible() and page.locator("#summary .pill").count() == 5
    note = page.locator("#s-if-the-computer-is-on-but-someone-is ul.notes li").first
    assert note.is_visible() and "Holds in 2 of 8 situations tried" in note.inner_text()
    assert note.bounding_box()["x"] + note.bounding_box()["width"] <= PHONE
    for claim in CLAIMS:
        page.locator(f"#{claim.id} > summary").click()
    assert page.evaluate("[...document.querySelectorAll('details.claim')].every(d => d.open)")
    widths = {"report": page.evaluate("document.documentElement.scrollWidth")}
    assert page.evaluate(TOO_WIDE) == [] and widths["report"] <= PHONE
    for path in run_pages:
        run, run_errors = open_page(browser, path, PHONE)
        run.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        widths[path.stem] = run.evaluate("document.documentElement.scrollWidth")
        assert run.evaluate(TOO_WIDE) == [] and widths[path.stem] <= PHONE, widths
        errors += run_errors
    print(f"widths at {PHONE} px: {widths}")
    assert errors == []


def test_the_page_is_not_blank(browser, report):
    # A blank page's screenshot compresses to almost nothing; the report's does not.
    empty = report.parent / "blank.html"
    empty.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    blank, _ = open_page(browser, empty, PHONE)
    page, _ = open_page(browser, report, PHONE)
    assert len(page.screenshot()) > 4 * len(blank.screenshot())
