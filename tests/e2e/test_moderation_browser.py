"""A trainer's moderation on a phone (360 px, Dutch), in real headless Chromium against the real server:
a member flags a reply, the trainer hides it from the Flags tab, and the member no longer sees it."""

from __future__ import annotations

import pytest

from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import PHONE, Person
from tests.e2e.test_phone_browser import call, sign_in, world
from tests.factories import http_user

pytestmark = BROWSER_TESTS
pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")

SPAM = "Koop nu goedkope sigaretten bij example.org"


def test_a_member_flags_a_reply_and_the_trainer_hides_it_from_the_queue(chromium, live_server):
    w = world(live_server)
    spammer = http_user(live_server, "verkoper")
    call(live_server, "POST", f"/communities/{w['slug']}/join", spammer)
    reply = call(live_server, "POST", f"/threads/{w['thread']['id']}/posts", spammer, {"body": SPAM})

    member = Person(chromium, live_server)
    sign_in(member, w["bram"])
    page = member.go(f"/threads/{w['thread']['id']}")
    page.locator(f"#post-{reply['id']} .post__flag").click()
    page.fill("#f-reason", "Reclame")
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(f"**/threads/{w['thread']['id']}*")
    assert member.page_width() <= PHONE["width"]

    trainer = Person(chromium, live_server)
    sign_in(trainer, w["ilse"])
    queue = trainer.go(f"/c/{w['slug']}/flags")
    item = queue.locator(".flag-item").first
    assert SPAM in item.inner_text() and "Reclame" in item.inner_text()
    assert trainer.page_width() <= PHONE["width"]
    item.locator("button[value=hide]").click()
    queue.wait_for_load_state()
    assert queue.locator(".flag-item").count() == 0  # the open list is empty now

    page = member.go(f"/threads/{w['thread']['id']}")
    assert SPAM not in page.content()
    assert page.locator(f"#post-{reply['id']}").count() == 1  # its place in the tree stays, empty
    found = call(live_server, "GET", "/search?q=sigaretten", w["auth"][w["bram"]])
    assert found["total"] == 0
    assert not member.console_errors and not trainer.console_errors
    member.close()
    trainer.close()
