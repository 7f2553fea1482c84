"""The insight page on a phone (360 px), in real headless Chromium against the real server."""

from __future__ import annotations

import pytest
import requests

from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import PHONE, Person
from tests.e2e.test_phone_browser import call, sign_in
from tests.factories import http_user

pytestmark = BROWSER_TESTS
pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")


def test_a_trainer_reads_the_figures_at_phone_width_and_invites_a_silent_member(chromium, live_server):
    trainer, silent = "trainer1", "stil1"
    auth = {trainer: http_user(live_server, trainer), silent: http_user(live_server, silent)}
    slug = call(live_server, "POST", "/communities", auth[trainer], {
        "name": "Winkelvloer Zwolle", "kind": "practice", "visibility": "public", "join_policy": "open"})["slug"]
    call(live_server, "POST", f"/communities/{slug}/join", auth[silent])
    thread = call(live_server, "POST", f"/communities/{slug}/threads", auth[trainer],
                  {"title": "Kassarooster van december", "body": "Wie ruilt er zaterdag?"})
    call(live_server, "POST", f"/communities/{slug}/questions", auth[trainer],
         {"title": "Hoe sluit je de kassa af?", "body": "Graag uitleg.", "tags": ["kassa"]})

    person = Person(chromium, live_server, viewport=PHONE)
    sign_in(person, trainer)
    page = person.go(f"/c/{slug}/insight")
    assert page.locator("svg.chart").count() == 2 and page.locator("svg.chart").first.is_visible()
    assert person.page_width() <= PHONE["width"]  # no sideways scrolling on a phone
    member = page.locator(".silent__member", has_text=silent)
    member.locator("summary").click()
    member.locator("select").select_option(str(thread["id"]))
    member.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server}/c/{slug}/insight#silent")
    assert page.locator(".flash--success").count() == 1
    assert person.console_errors == []  # nothing the CSP refused: no inline script or style

    notes = requests.get(f"{live_server}/api/v1/notifications", headers=auth[silent], timeout=10).json()["items"]
    assert [(n["kind"], n["url"]) for n in notes] == [("thread_invite", f"/threads/{thread['id']}")]
    person.close()
