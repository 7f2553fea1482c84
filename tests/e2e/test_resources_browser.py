"""Shared resources in real headless Chromium at a phone's width (360 px).

A trainer shares the course's PDF from the community's Resources tab; a member searches a
word that is only inside the PDF, finds it and opens it. Pages fit 360 px and break no CSP rule.
"""

from __future__ import annotations

import re

import pytest

from tests.documents import pdf_with_text
from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import PHONE, Person
from tests.e2e.test_phone_browser import call, sign_in
from tests.factories import http_user

pytestmark = BROWSER_TESTS
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")
expect = sync_api.expect


def test_share_a_pdf_search_a_word_inside_it_and_open_it_on_a_phone(chromium, live_server, tmp_path):
    base = live_server
    trainer, member = http_user(base, "trainerpdf"), http_user(base, "lidpdf")
    slug = call(base, "POST", "/communities", trainer, {"name": "Heftruck Deventer", "kind": "practice",
                                                         "visibility": "public", "join_policy": "open"})["slug"]
    call(base, "POST", f"/communities/{slug}/join", member)
    pdf = tmp_path / "dagelijkse-controle.pdf"
    pdf.write_bytes(pdf_with_text("Dagelijkse controle van de heftruck", "Controleer de hydrauliekslangen op lekkage."))

    sharer = Person(chromium, base, viewport=PHONE)
    sign_in(sharer, "trainerpdf")
    page = sharer.go(f"/c/{slug}/resources")
    page.locator("summary", has_text="Materiaal delen").click()
    page.locator("input[name=kind][value=file]").check()
    page.set_input_files("#f-file", str(pdf))
    page.fill("#f-tags", "heftruck")
    page.get_by_role("button", name="Delen", exact=True).click()
    page.wait_for_url(re.compile(r".*/resources/\d+$"))
    resource_id = int(page.url.rsplit("/", 1)[1])
    assert sharer.page_width() <= PHONE["width"]

    reader = Person(chromium, base, viewport=PHONE)
    sign_in(reader, "lidpdf")
    results = reader.go("/search?q=hydrauliekslang")  # singular: the PDF has the plural
    hit = results.locator(f"a[href='/resources/{resource_id}']").first
    expect(hit).to_be_visible()
    expect(results.locator("mark").first).to_be_visible()
    assert reader.page_width() <= PHONE["width"]
    hit.click()
    results.wait_for_url(re.compile(rf".*/resources/{resource_id}$"))
    expect(results.locator("h1")).to_contain_text("dagelijkse-controle")
    download = results.locator(f"a[href$='/resources/{resource_id}/download']").first
    expect(download).to_be_visible()
    assert not sharer.console_errors and not reader.console_errors, sharer.console_errors + reader.console_errors
    sharer.close()
    reader.close()
