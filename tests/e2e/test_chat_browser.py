"""Live chat in real headless Chromium at a phone's width (360 px), on the official socket.io client.

Two colleagues open their community's Chat tab: one sends with Enter, the other sees it
arrive without reloading and is told of the mention by the bell; a message written while
the connection is down is sent once it is back, exactly once; a message becomes a question
in one step; a thread page shows a new reply as it is posted.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import PHONE, Person
from tests.e2e.test_phone_browser import call, sign_in
from tests.factories import http_user

pytestmark = BROWSER_TESTS
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")
expect = sync_api.expect


def _chat_world(base: str, prefix: str) -> tuple[str, dict]:
    """A community owned by ``<prefix>ilse`` with ``<prefix>bram`` in it: its slug and ilse's token."""
    owner, member = http_user(base, f"{prefix}ilse"), http_user(base, f"{prefix}bram")
    slug = call(base, "POST", "/communities", owner, {"name": f"Filiaal {prefix}", "kind": "practice",
                                                       "visibility": "public", "join_policy": "open"})["slug"]
    call(base, "POST", f"/communities/{slug}/join", member)
    return slug, owner


def test_two_colleagues_chat_live_and_a_message_becomes_a_question(chromium, live_server):
    base = live_server
    slug, _owner = _chat_world(base, "c1")
    ilse, bram = Person(chromium, base, viewport=PHONE), Person(chromium, base, viewport=PHONE)
    sign_in(ilse, "c1ilse")
    sign_in(bram, "c1bram")
    ilse_page, bram_page = ilse.go(f"/c/{slug}/chat"), bram.go(f"/c/{slug}/chat")
    expect(bram_page.locator("[data-online]")).to_contain_text("c1ilse")

    ilse_page.fill("#chat-body", "Wie weet hoe de **heftruck** oplaadt? @c1bram")
    ilse_page.press("#chat-body", "Enter")
    arrived = bram_page.locator(".chat-message", has_text="oplaadt")
    expect(arrived).to_be_visible()
    expect(arrived.locator("strong")).to_have_text("heftruck")
    expect(ilse_page.locator("#chat-body")).to_have_value("")
    expect(bram_page.locator(".notify-link [data-unread-count]")).to_have_text("1")
    assert bram.page_width() <= PHONE["width"]

    bram_page.fill("#chat-body", "Ik kijk")
    expect(ilse_page.locator("[data-typing]")).to_contain_text("c1bram")

    arrived.get_by_role("link", name="Als vraag stellen").click()
    bram_page.wait_for_url(re.compile(rf".*/c/{slug}/questions/new\?.*"))
    expect(bram_page.locator("#f-title")).to_have_value("Wie weet hoe de heftruck oplaadt? @c1bram")
    assert "> Wie weet hoe de **heftruck** oplaadt?" in bram_page.locator("#f-body").input_value()
    assert not ilse.console_errors and not bram.console_errors, ilse.console_errors + bram.console_errors
    ilse.close()
    bram.close()


def test_a_message_written_offline_is_sent_once_when_the_connection_is_back(chromium, live_server):
    base = live_server
    slug, _owner = _chat_world(base, "c2")
    bram = Person(chromium, base, viewport=PHONE)
    sign_in(bram, "c2bram")
    page = bram.go(f"/c/{slug}/chat")
    expect(page.locator("[data-online]")).to_contain_text("c2bram")
    page.evaluate("window.leerplein.live().then(function (s) { s.io.engine.close(); s.io.reconnection(false); })")
    expect(page.locator("[data-chat-status]")).to_be_visible()
    page.fill("#chat-body", "Geschreven in de lift")
    page.press("#chat-body", "Enter")
    expect(page.locator(".chat-message--waiting")).to_be_visible()
    page.reload()  # the draft waits on the phone, not in the page
    expect(page.locator(".chat-message", has_text="Geschreven in de lift")).to_have_count(1)
    expect(page.locator(".chat-message--waiting")).to_have_count(0)
    items = requests.get(f"{base}/api/v1/communities/{slug}/messages", timeout=10,
                         headers=http_user(base, "c2lezer")).json()["items"]
    assert [m["body"] for m in items] == ["Geschreven in de lift"]
    bram.close()


def test_a_thread_page_shows_a_new_reply_as_it_is_posted(chromium, live_server):
    base = live_server
    owner = http_user(base, "c3ilse")
    slug = call(base, "POST", "/communities", owner, {"name": "Filiaal c3", "kind": "practice",
                                                       "visibility": "public", "join_policy": "open"})["slug"]
    thread = call(base, "POST", f"/communities/{slug}/threads", owner, {"title": "Kassarooster", "body": "Wie ruilt?"})
    reader = Person(chromium, base, viewport=PHONE)
    sign_in(reader, "c3ilse")
    page = reader.go(f"/threads/{thread['id']}")
    page.wait_for_function("window.leerplein && window.io !== undefined")
    page.wait_for_timeout(500)  # the watch is sent once connected
    member = http_user(base, "c3bram")
    call(base, "POST", f"/communities/{slug}/join", member)
    reply = call(base, "POST", f"/threads/{thread['id']}/posts", member, {"body": "Ik ruil graag"})
    expect(page.locator(f"#post-{reply['id']}")).to_contain_text("Ik ruil graag")
    assert not reader.console_errors, reader.console_errors
    reader.close()


def test_the_first_answer_appears_on_an_open_question_page(chromium, live_server):
    base = live_server
    owner, helper = http_user(base, "c4ilse"), http_user(base, "c4fatima")
    slug = call(base, "POST", "/communities", owner, {"name": "Filiaal c4", "kind": "practice",
                                                       "visibility": "public", "join_policy": "open"})["slug"]
    call(base, "POST", f"/communities/{slug}/join", helper)
    question = call(base, "POST", f"/communities/{slug}/questions", owner,
                    {"title": "Hoe reset ik kassa drie?", "body": "Het scherm blijft zwart.", "tags": ["kassa"]})
    asker = Person(chromium, base, viewport=PHONE)
    sign_in(asker, "c4ilse")
    page = asker.go(f"/questions/{question['id']}")
    page.wait_for_function("window.io !== undefined")
    page.wait_for_timeout(500)
    answer = call(base, "POST", f"/questions/{question['id']}/answers", helper, {"body": "Tien tellen op de aan-knop."})
    expect(page.locator(f"#answer-{answer['id']}")).to_contain_text("Tien tellen")
    expect(page.locator(".answers .empty-state")).to_have_count(0)
    assert not asker.console_errors, asker.console_errors
    asker.close()


def test_after_a_dropped_connection_the_tab_catches_up_in_order(chromium, live_server):
    base = live_server
    slug, ilse = _chat_world(base, "c5")
    call(base, "POST", f"/communities/{slug}/messages", ilse, {"body": "Voor de lift"})
    bram = Person(chromium, base, viewport=PHONE)
    sign_in(bram, "c5bram")
    page = bram.go(f"/c/{slug}/chat")
    expect(page.locator(".chat-message")).to_have_count(1)
    expect(page.locator("[data-online]")).to_contain_text("c5bram")
    page.evaluate("window.leerplein.live().then(function (s) { s.disconnect(); })")
    expect(page.locator("[data-chat-status]")).to_be_visible()
    sent = [call(base, "POST", f"/communities/{slug}/messages", ilse, {"body": f"In de lift {n}"})["id"]
            for n in range(60)]
    page.evaluate("window.leerplein.live().then(function (s) { s.connect(); })")
    expect(page.locator(".chat-message")).to_have_count(61)
    shown = page.eval_on_selector_all(".chat-message", "items => items.map(i => Number(i.dataset.id))")
    assert shown[-60:] == sent and shown == sorted(shown)
    expect(page.locator("[data-chat-status]")).to_be_hidden()
    bram.close()


def test_a_colleague_offline_sees_three_missed_messages_once_in_order_when_back(chromium, live_server):
    base = live_server
    slug, _owner = _chat_world(base, "c6")
    ilse, bram = Person(chromium, base, viewport=PHONE), Person(chromium, base, viewport=PHONE)
    sign_in(ilse, "c6ilse")
    sign_in(bram, "c6bram")
    ilse_page, bram_page = ilse.go(f"/c/{slug}/chat"), bram.go(f"/c/{slug}/chat")
    expect(ilse_page.locator("[data-online]")).to_contain_text("c6bram")
    bram.context.set_offline(True)
    expect(bram_page.locator("[data-chat-status]")).to_be_visible(timeout=60000)
    for n in (1, 2, 3):
        ilse_page.fill("#chat-body", f"Gemist bericht {n}")
        ilse_page.press("#chat-body", "Enter")
        expect(ilse_page.locator(".chat-message", has_text=f"Gemist bericht {n}")).to_be_visible()
    bram.context.set_offline(False)
    expect(bram_page.locator(".chat-message")).to_have_count(3, timeout=30000)
    texts = bram_page.locator(".chat-message__body").all_inner_texts()
    assert texts == ["Gemist bericht 1", "Gemist bericht 2", "Gemist bericht 3"]
    expect(bram_page.locator("[data-chat-status]")).to_be_hidden()
    missed = bram_page.locator(".chat-message", has_text="Gemist bericht 2")
    missed.get_by_role("link", name="Als vraag stellen").click()
    bram_page.wait_for_url(re.compile(rf".*/c/{slug}/questions/new\?.*"))
    expect(bram_page.locator("#f-title")).to_have_value("Gemist bericht 2")
    bram_page.fill("#f-tags", "kassa")
    bram_page.get_by_role("button", name="De vraag stellen").click()
    bram_page.wait_for_url(re.compile(r".*/questions/\d+$"))
    expect(bram_page.locator("blockquote")).to_contain_text("Gemist bericht 2")
    ilse.close()
    bram.close()
