"""A form that creates something, sent twice (a double tap, Back and send again, a reload),
creates it once: each rendered form carries its own key, honoured like the API's
Idempotency-Key header, and the second submission goes where the first one went."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.e2e.pages import post, text
from tests.factories import PASSWORD

FORM_KEY = re.compile(r'<input type="hidden" name="idempotency_key" value="([^"]+)">')


def form_key(page: str) -> str:
    match = FORM_KEY.search(page)
    assert match, "the form carries no idempotency key"
    return match.group(1)


def rows(app, model) -> int:
    with app.app_context():
        from community.extensions import db
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def thread(api):
    api.user("anna")
    api.user("bob")
    community = api.community("anna", "Magazijn Zwolle")
    api.member(community, "bob", "anna")
    return api.post(f"/communities/{community['slug']}/threads", "anna",
                    json={"title": "Pallets stapelen", "body": "Hoe hoog?"}).get_json()


def test_reply_sent_twice_with_its_form_key_posts_once_and_lands_on_the_same_post(app, browser, thread):
    from community.discussions.models import Post

    bob = browser("bob")
    page = text(bob.get(f"/threads/{thread['id']}"))
    form = {"body": "Twee pallets hoog, niet meer.", "parent_id": "", "idempotency_key": form_key(page)}
    first = post(bob, f"/threads/{thread['id']}/reply", form)
    again = post(bob, f"/threads/{thread['id']}/reply", form, follow_redirects=False)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert re.search(r"#post-\d+$", first.headers["Location"])
    assert rows(app, Post) == 2  # the first post and one reply
    landed = text(bob.get(again.headers["Location"]))
    assert "This was sent already: nothing was added twice." in landed


def test_each_rendering_of_a_creating_form_has_a_new_key_and_no_autofill_of_sent_text(browser, thread):
    bob = browser("bob")
    pages = [text(bob.get(f"/threads/{thread['id']}")) for _ in range(2)]
    assert form_key(pages[0]) != form_key(pages[1])
    reply_form = re.search(r'<form method="post" action="[^"]*/reply"[^>]*>', pages[0]).group(0)
    assert 'autocomplete="off"' in reply_form  # Back must not bring the sent text back with a new key


@pytest.mark.parametrize("path", ["/communities/new", "/c/magazijn-zwolle/threads/new",
                                  "/c/magazijn-zwolle/invites"])
def test_every_creating_form_carries_a_key(browser, thread, path):
    page = text(browser("anna").get(path))
    assert form_key(page)
    assert re.search(r'<form method="post"[^>]*autocomplete="off"', page)


def test_register_form_carries_a_key(browser):
    assert form_key(text(browser().get("/register")))


def test_new_thread_form_sent_twice_starts_one_thread(app, browser, thread):
    from community.discussions.models import Thread

    bob = browser("bob")
    key = form_key(text(bob.get("/c/magazijn-zwolle/threads/new")))
    form = {"title": "Heftruck laden", "body": "Waar laad je hem op?", "tags": "", "idempotency_key": key}
    first, again = (post(bob, "/c/magazijn-zwolle/threads/new", form) for _ in range(2))
    assert again.headers["Location"] == first.headers["Location"]
    assert rows(app, Thread) == 2


def test_new_community_form_sent_twice_creates_one_community(app, browser, thread):
    from community.communities.models import Community

    anna = browser("anna")
    key = form_key(text(anna.get("/communities/new")))
    form = {"name": "Kassa Noord", "kind": "practice", "visibility": "public", "join_policy": "open",
            "idempotency_key": key}
    first, again = (post(anna, "/communities/new", form) for _ in range(2))
    assert first.headers["Location"] == again.headers["Location"] == "/c/kassa-noord"
    assert rows(app, Community) == 2


def test_register_form_sent_twice_creates_one_account(app, browser):
    from community.accounts.models import User

    visitor = browser()
    key = form_key(text(visitor.get("/register")))
    form = {"username": "sanne", "email": "sanne@example.org", "password": PASSWORD, "locale": "nl",
            "idempotency_key": key}
    first = post(visitor, "/register", form)
    again = post(visitor, "/register", form)  # now signed in, the same form again
    assert first.status_code == again.status_code == 302
    assert rows(app, User) == 1


def test_invite_form_redirects_and_shows_the_new_link_once(app, browser, thread):
    from community.communities.models import Invite

    anna = browser("anna")
    before = rows(app, Invite)
    key = form_key(text(anna.get("/c/magazijn-zwolle/invites")))
    form = {"expires_in_days": "7", "max_uses": "", "idempotency_key": key}
    first = post(anna, "/c/magazijn-zwolle/invites", form)
    assert first.status_code == 302 and first.headers["Location"] == "/c/magazijn-zwolle/invites"
    shown = text(anna.get(first.headers["Location"]))
    assert 'id="invite-link"' in shown
    assert 'id="invite-link"' not in text(anna.get("/c/magazijn-zwolle/invites"))  # once
    again = post(anna, "/c/magazijn-zwolle/invites", form)
    assert again.headers["Location"] == first.headers["Location"]
    assert rows(app, Invite) == before + 1
