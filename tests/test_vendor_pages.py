"""The vendors' pages the issue 22 rules rest on are kept in the repository, each with its URL first."""

from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "vendor_pages"


def test_every_kept_page_opens_with_its_url_and_says_what_it_is_used_for():
    pages = sorted(PAGES.glob("*.md"))
    assert len(pages) >= 15
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.splitlines()[0].startswith("https://") or text.splitlines()[0].startswith("http://"), page.name
        assert "Used for:" in text, page.name
