"""Reacting on the thread page updates the buttons in place, through the API."""

from __future__ import annotations

import pytest
import requests

from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import Person
from tests.factories import http_user

pytestmark = BROWSER_TESTS


def test_reaction_button_toggles_in_place_in_the_configured_order(chromium, live_server):
    author = http_user(live_server, "tina")
    requests.post(f"{live_server}/api/v1/communities", headers=author, timeout=10,
                  json={"name": "Reactiecafé", "kind": "practice", "visibility": "public", "join_policy": "open"})
    thread = requests.post(f"{live_server}/api/v1/communities/reactiecafe/threads", headers=author, timeout=10,
                           json={"title": "Goede tip", "body": "Altijd eerst de controle."}).json()
    post_id = thread["posts"][0]["id"]
    for emoji in ("👍", "❤️"):
        requests.post(f"{live_server}/api/v1/posts/{post_id}/reactions", headers=author, timeout=10,
                      json={"emoji": emoji})

    reader = Person(chromium, live_server)
    reader.register("ruud", "Ruud")
    reader.go("/c/reactiecafe")
    reader.page.get_by_role("button", name="Lid worden").click()
    page = reader.go(f"/threads/{thread['id']}")
    thumbs = page.locator(f"#post-{post_id} form.reactions button.reaction").first
    assert thumbs.get_attribute("aria-pressed") == "false"
    with page.expect_response(lambda r: r.url.endswith(f"/posts/{post_id}/reactions")) as answer:
        thumbs.click()
    assert answer.value.json() == {"👍": 2, "❤️": 1}
    buttons = page.locator(f"#post-{post_id} form.reactions button.reaction")
    sync = pytest.importorskip("playwright.sync_api")
    sync.expect(buttons.first).to_have_attribute("aria-pressed", "true")
    assert [b.split()[0] for b in buttons.all_inner_texts()] == ["👍", "❤️"]
    assert page.url.endswith(f"/threads/{thread['id']}")  # no reload
    assert reader.console_errors == []
    reader.close()
