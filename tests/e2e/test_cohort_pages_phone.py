"""The cohort lifecycle pages on a phone (360 px), in real headless Chromium against the real server:
follow-up prompts, the mute reason on the members page, revoking on the invites page."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from community.timeutil import today
from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import PHONE, Person
from tests.e2e.test_phone_browser import sign_in
from tests.factories import http_user

pytestmark = BROWSER_TESTS
pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")


def call(base: str, method: str, path: str, who: dict, body: dict | None = None) -> dict:
    response = requests.request(method, f"{base}/api/v1{path}", json=body, headers=who, timeout=10)
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.content else {}


def test_a_moderator_schedules_a_follow_up_mutes_with_a_reason_and_revokes_a_link_on_a_phone(chromium,
                                                                                              live_server):
    base = live_server
    trainer, member = http_user(base, "trainer"), http_user(base, "deelnemer")
    slug = call(base, "POST", "/communities", trainer, {
        "name": "Kassatraining Zwolle", "kind": "cohort", "visibility": "private", "join_policy": "invite",
        "starts_on": (today() - timedelta(days=10)).isoformat(), "ends_on": (today() - timedelta(days=1)).isoformat(),
    })["slug"]
    token = call(base, "POST", f"/communities/{slug}/invites", trainer, {})["token"]
    call(base, "POST", f"/communities/{slug}/join", member, {"invite": token})

    person = Person(chromium, base, locale="en-US")
    sign_in(person, "trainer")
    page = person.go(f"/c/{slug}")
    page.locator(f"a[href='/c/{slug}/follow-ups']").click()
    page.wait_for_url(f"{base}/c/{slug}/follow-ups")
    assert person.page_width() <= PHONE["width"]
    page.fill("#f-title", "Two weeks later")
    page.fill("#f-body", "What did you apply?")
    page.fill("#f-post_on", (today() + timedelta(days=14)).isoformat())
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Two weeks later" in page.content()
    assert person.page_width() <= PHONE["width"]

    page = person.go(f"/c/{slug}/members")
    page.locator("details.member-actions summary").first.click()
    assert person.page_width() <= PHONE["width"]
    page.locator("input[name=reason]").first.fill("Too many adverts")
    page.locator("button[name=hours][value='24']").first.click()
    page.wait_for_load_state()
    assert person.page_width() <= PHONE["width"]

    page = person.go(f"/c/{slug}/invites")
    assert person.page_width() <= PHONE["width"]
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(".invite-list form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "Revoked" in page.content()
    assert person.page_width() <= PHONE["width"]

    muted = Person(chromium, base, locale="en-US")
    sign_in(muted, "deelnemer")
    page = muted.go(f"/c/{slug}/chat")
    assert "You are muted until" in page.content() and "Too many adverts" in page.content()
    assert muted.page_width() <= PHONE["width"]
    person.close()
    muted.close()
