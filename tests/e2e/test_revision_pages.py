"""A post's earlier versions as a page, through the test client as a browser
would see it: ``/posts/<id>/revisions`` for the author and moderators, the same
404 as a missing post for everyone else, and the thread page's "edited" label
leading there only for those who may follow it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from community.discussions.models import PostRevision
from community.extensions import db
from tests.e2e.pages import CSRF_META, INLINE_SCRIPT, text


@pytest.fixture
def heftruck(api):
    """A forklift cohort: Ilse runs it, Moos moderates, Bram and Noor are members."""
    for name in ("ilse", "moos", "bram", "noor"):
        api.user(name, display_name=name.capitalize())
    community = api.community("ilse", "Heftruck Zwolle", kind="cohort")
    api.member(community, "moos", "ilse", role="moderator")
    api.member(community, "bram", "ilse")
    api.member(community, "noor", "ilse")
    return community


@pytest.fixture
def edited(api, heftruck):
    """Bram's reply, rewritten once by Bram: ``(thread, post)`` as the API returns them."""
    created = api.post(f"/communities/{heftruck['slug']}/threads", "noor",
                       json={"title": "Tips voor de praktijktoets", "body": "Wie weet het?"})
    assert created.status_code == 201, created.get_json()
    thread = created.get_json()
    answer = api.post(f"/threads/{thread['id']}/posts", "bram", json={"body": "Eerst **spiegels** afstellen."})
    assert answer.status_code == 201, answer.get_json()
    reply = answer.get_json()
    changed = api.patch(f"/posts/{reply['id']}", "bram", json={"body": "Eerst de stoel, dan de spiegels."})
    assert changed.status_code == 200, changed.get_json()
    return thread, reply


def versions(page: str) -> list[str]:
    """The bodies on a revisions page, top to bottom (the current version first)."""
    return [re.sub(r"\s+", " ", body).strip()
            for body in re.findall(r'<div class="post__body prose">(.*?)</div>', page, re.DOTALL)]


def main(page: str) -> str:
    """What a page says, without the header and footer (whose links name the address)."""
    return re.search(r"<main\b.*?</main>", page, re.DOTALL).group(0)


def edited_label(page: str, post_id: int) -> str:
    """The "edited" label in the head of one post on the thread page."""
    article = re.search(rf'<article class="post[^"]*" id="post-{post_id}">(.*?)</article>', page, re.DOTALL)
    assert article, f"no post {post_id} on the page"
    label = re.search(r'<(a|span) class="post__edited"[^>]*>[^<]*</\1>', article.group(1))
    assert label, f"post {post_id} has no edited label"
    return label.group(0)


def test_author_sees_the_current_version_on_top_then_the_earlier_one(browser, edited):
    thread, reply = edited
    response = browser("bram").get(f"/posts/{reply['id']}/revisions")
    page = text(response)
    assert response.status_code == 200
    assert versions(page) == ["<p>Eerst de stoel, dan de spiegels.</p>",
                              "<p>Eerst <strong>spiegels</strong> afstellen.</p>"]
    assert f'href="/threads/{thread["id"]}#post-{reply["id"]}"' in page
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', page)
    assert '<a class="post__author" href="/u/bram">Bram</a>' in page


def test_moderator_sees_the_earlier_versions_too(browser, edited):
    _thread, reply = edited
    response = browser("moos").get(f"/posts/{reply['id']}/revisions")
    assert response.status_code == 200
    assert "<p>Eerst <strong>spiegels</strong> afstellen.</p>" in versions(text(response))


def test_other_member_gets_the_same_404_as_for_a_missing_post(browser, edited):
    _thread, reply = edited
    client = browser("noor")
    hidden, missing = client.get(f"/posts/{reply['id']}/revisions"), client.get("/posts/999999/revisions")
    assert hidden.status_code == missing.status_code == 404
    assert main(text(hidden)) == main(text(missing))
    assert "spiegels" not in text(hidden)


def test_deleted_post_history_is_for_moderators_only(api, browser, edited):
    _thread, reply = edited
    assert api.delete(f"/posts/{reply['id']}", "bram").status_code == 204
    assert browser("bram").get(f"/posts/{reply['id']}/revisions").status_code == 404
    page = text(browser("moos").get(f"/posts/{reply['id']}/revisions"))
    assert "This post was deleted." in page
    assert versions(page) == ["<p>Eerst de stoel, dan de spiegels.</p>",
                              "<p>Eerst <strong>spiegels</strong> afstellen.</p>"]


def test_a_version_kept_without_html_is_rendered_from_its_markdown(app, browser, edited):
    _thread, reply = edited
    with app.app_context():
        revision = db.session.scalars(select(PostRevision).where(PostRevision.post_id == reply["id"])).one()
        revision.body_html = ""
        db.session.commit()
    page = text(browser("bram").get(f"/posts/{reply['id']}/revisions"))
    assert "<p>Eerst <strong>spiegels</strong> afstellen.</p>" in versions(page)


def test_long_histories_page_with_older_and_newer_links(api, browser, edited, monkeypatch):
    monkeypatch.setattr("community.discussions.views.REVISIONS_PER_PAGE", 1)
    _thread, reply = edited
    assert api.patch(f"/posts/{reply['id']}", "bram", json={"body": "Derde versie"}).status_code == 200
    client = browser("bram")
    first = text(client.get(f"/posts/{reply['id']}/revisions"))
    assert versions(first) == ["<p>Derde versie</p>", "<p>Eerst de stoel, dan de spiegels.</p>"]
    older = re.search(r'<a class="pager__link pager__next" href="([^"]+)" rel="next">Older →</a>', first)
    assert older and "pager__prev" not in first
    second = text(client.get(older.group(1).replace("&amp;", "&")))
    assert versions(second) == ["<p>Eerst <strong>spiegels</strong> afstellen.</p>"]  # no current version again
    newer = re.search(r'<a class="pager__link pager__prev" href="([^"]+)">← Newer</a>', second)
    assert newer
    back = text(client.get(newer.group(1).replace("&amp;", "&")))
    assert versions(back) == versions(first) and "pager__prev" not in back


def test_edited_label_links_to_the_history_for_the_author_and_moderators_only(browser, edited):
    thread, reply = edited
    url = f"/threads/{thread['id']}"
    link = f'href="/posts/{reply["id"]}/revisions"'
    assert link in edited_label(text(browser("bram").get(url)), reply["id"])
    assert link in edited_label(text(browser("moos").get(url)), reply["id"])
    for_others = edited_label(text(browser("noor").get(url)), reply["id"])
    assert for_others == '<span class="post__edited">edited</span>'


def test_history_page_speaks_dutch_and_carries_no_inline_script_or_style(browser, edited):
    _thread, reply = edited
    page = text(browser("bram", "nl").get(f"/posts/{reply['id']}/revisions"))
    assert "<h1>Eerdere versies</h1>" in page
    assert CSRF_META.search(page)
    assert not INLINE_SCRIPT.search(page)
    assert " style=" not in page and "<style" not in page
    assert not re.search(r"\son[a-z]+=", page)
