"""Discussion pages through the test client, as a browser would see them: the
community page's Discussions tab, the thread page, the unread badge in the
header, and no inline script or style anywhere (the CSP forbids them)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import CSRF_META, INLINE_SCRIPT, post, text

BADGE = re.compile(r'<a class="notify-link"[^>]*aria-label="([^"]*)"[^>]*>.*?</a>', re.DOTALL)


@pytest.fixture
def heftruck(api):
    """A forklift cohort: Ilse runs it, Bram and Noor are in it, Kees is not."""
    for name in ("ilse", "bram", "noor", "kees"):
        api.user(name, display_name=name.capitalize())
    community = api.community("ilse", "Heftruck Zwolle", kind="cohort")
    api.member(community, "bram", "ilse")
    api.member(community, "noor", "ilse")
    return community


def start(api, user: str, community: dict, title: str, body: str = "Wie weet het?", tags=()) -> dict:
    response = api.post(f"/communities/{community['slug']}/threads", user,
                        json={"title": title, "body": body, "tags": list(tags)})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def reply(api, user: str, thread: dict, body: str, parent: int | None = None) -> dict:
    response = api.post(f"/threads/{thread['id']}/posts", user, json={"body": body, "parent_id": parent})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def thread_titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="thread-card__title"><a href="/threads/\d+">([^<]*)</a>', page)


def header_badge(page: str) -> tuple[str, str | None]:
    """The notifications link's accessible name and the number on its badge (None: no badge)."""
    match = BADGE.search(page)
    assert match, "no notifications link in the header"
    count = re.search(r'<span class="count notify-link__count"[^>]*>([^<]+)</span>', match.group(0))
    return match.group(1), count.group(1) if count else None


# --- The Discussions tab -------------------------------------------------------------------


def test_discussions_tab_lists_pinned_threads_first_then_the_latest_activity(browser, api, heftruck):
    oldest = start(api, "bram", heftruck, "Rijbewijs of certificaat?")
    start(api, "noor", heftruck, "Tips voor de praktijktoets")
    pinned = start(api, "ilse", heftruck, "Huisregels van de cursus")
    assert api.patch(f"/threads/{pinned['id']}", "ilse", json={"pinned": True}).status_code == 200
    reply(api, "noor", oldest, "Allebei, denk ik.")  # now the most recent activity after the pinned one
    page = text(browser("bram").get("/c/heftruck-zwolle"))
    assert thread_titles(page) == ["Huisregels van de cursus", "Rijbewijs of certificaat?",
                                   "Tips voor de praktijktoets"]
    assert "coming soon" not in page
    assert '<span class="badge badge--pinned">Pinned</span>' in page


def test_members_get_a_start_button_and_readers_who_may_not_write_do_not(browser, api, heftruck):
    member_page = text(browser("bram").get("/c/heftruck-zwolle"))
    assert 'href="/c/heftruck-zwolle/threads/new"' in member_page
    assert "No discussions yet." in member_page
    outsider_page = text(browser("kees").get("/c/heftruck-zwolle"))
    assert 'href="/c/heftruck-zwolle/threads/new"' not in outsider_page
    assert ">Join</button>" in outsider_page and "No discussions yet." in outsider_page


def test_tag_filter_shows_only_threads_with_that_tag(browser, api, heftruck):
    start(api, "bram", heftruck, "Lastdiagram lezen", tags=["theorie"])
    start(api, "noor", heftruck, "Slalom achteruit", tags=["praktijk"])
    client = browser("bram")
    everything = text(client.get("/c/heftruck-zwolle"))
    assert 'href="/c/heftruck-zwolle?tag=theorie#tab-title"' in everything
    assert 'href="/c/heftruck-zwolle?tag=praktijk#tab-title"' in everything
    filtered = text(client.get("/c/heftruck-zwolle?tag=Theorie"))
    assert thread_titles(filtered) == ["Lastdiagram lezen"]
    assert '<a href="/c/heftruck-zwolle?tag=theorie#tab-title" aria-current="page">#theorie</a>' in filtered
    assert "No discussions with this tag yet." in text(client.get("/c/heftruck-zwolle?tag=examen"))


def test_long_lists_page_with_big_older_and_newer_links(browser, api, heftruck, monkeypatch):
    monkeypatch.setattr("community.discussions.views.THREADS_PER_PAGE", 2)
    for n in range(5):
        start(api, "bram", heftruck, f"Vraag nummer {n}")
    client = browser("bram")
    first = text(client.get("/c/heftruck-zwolle"))
    assert thread_titles(first) == ["Vraag nummer 4", "Vraag nummer 3"]
    older = re.search(r'<a class="pager__link pager__next" href="([^"]+)" rel="next">Older →</a>', first)
    assert older and "pager__prev" not in first
    assert older.group(1).endswith("#tab-title")  # back to the list, past the community's header
    second = text(client.get(older.group(1).replace("&amp;", "&").removesuffix("#tab-title")))
    assert thread_titles(second) == ["Vraag nummer 2", "Vraag nummer 1"]
    newer = re.search(r'<a class="pager__link pager__prev" href="([^"]+)">← Newer</a>', second)
    assert newer and newer.group(1).endswith("#tab-title")
    back = text(client.get(newer.group(1).replace("&amp;", "&").removesuffix("#tab-title")))
    assert thread_titles(back) == ["Vraag nummer 4", "Vraag nummer 3"] and "pager__prev" not in back


def test_the_old_thread_list_address_leads_to_the_tab(browser, api, heftruck):
    response = browser("bram").get("/c/heftruck-zwolle/threads?tag=theorie")
    assert response.status_code == 302
    assert response.headers["Location"] == "/c/heftruck-zwolle?tag=theorie"


def test_private_community_threads_stay_a_404_for_outsiders(browser, api):
    api.user("ilse")
    api.user("kees")
    community = api.community("ilse", "Kernteam", visibility="private")
    start(api, "ilse", community, "Geheim rooster")
    client = browser("kees")
    assert client.get("/c/kernteam").status_code == 404
    assert client.get("/c/kernteam/threads", follow_redirects=True).status_code == 404


# --- The header badge ----------------------------------------------------------------------


def test_header_shows_the_unread_notification_count_on_every_page(browser, api, heftruck):
    thread = start(api, "bram", heftruck, "Tips voor de praktijktoets")
    client = browser("bram")
    assert header_badge(text(client.get("/"))) == ("Notifications", None)
    first = reply(api, "noor", thread, "Rustig rijden en goed kijken.", parent=thread["posts"][0]["id"])
    reply(api, "ilse", thread, "En @bram: vergeet de controle vooraf niet.", parent=first["id"])
    for url in ("/", "/c/heftruck-zwolle", f"/threads/{thread['id']}", "/u/bram", "/settings"):
        assert header_badge(text(client.get(url))) == ("Notifications, 2 unread", "2"), url
    assert header_badge(text(browser("bram", "nl").get("/"))) == ("Meldingen, 2 ongelezen", "2")
    post(client, "/notifications/read", {"all": "1"})
    assert header_badge(text(client.get("/"))) == ("Notifications", None)


def test_opening_a_notification_marks_it_read_and_leads_to_the_post(browser, api, heftruck):
    thread = start(api, "bram", heftruck, "Tips voor de praktijktoets")
    answer = reply(api, "noor", thread, "Neem de tijd.", parent=thread["posts"][0]["id"])
    client = browser("bram")
    page = text(client.get("/notifications"))
    link = re.search(r'<a class="notification__link" href="(/notifications/\d+)">', page).group(1)
    response = client.get(link)
    assert response.headers["Location"] == f"/threads/{thread['id']}#post-{answer['id']}"
    assert header_badge(text(client.get("/"))) == ("Notifications", None)


# --- The thread page -----------------------------------------------------------------------


def test_thread_page_has_an_element_per_post_with_a_reply_link_at_each(browser, api, heftruck):
    thread = start(api, "bram", heftruck, "Tips voor de praktijktoets", body="Zie [de regels](https://example.org/regels)")
    root = thread["posts"][0]["id"]
    one = reply(api, "noor", thread, "Kijk over je schouder.", parent=root)
    two = reply(api, "bram", thread, "Ook bij het achteruitrijden?", parent=one["id"])
    page = text(browser("noor").get(f"/threads/{thread['id']}"))
    for post_id in (root, one["id"], two["id"]):
        assert f'id="post-{post_id}"' in page
        assert f'href="/threads/{thread["id"]}/reply?to={post_id}#reply" data-reply-to="{post_id}"' in page
    assert '<a href="https://example.org/regels" rel="nofollow ugc noopener">de regels</a>' in page
    assert 'data-mention-community="heftruck-zwolle"' in page


def test_deep_branches_fold_into_details(browser, api, heftruck):
    thread = start(api, "bram", heftruck, "Heel diep")
    parent = thread["posts"][0]["id"]
    for depth in range(1, 7):
        parent = reply(api, "noor" if depth % 2 else "bram", thread, f"Niveau {depth}", parent=parent)["id"]
    page = text(browser("bram").get(f"/threads/{thread['id']}"))
    folded = re.search(r'<details class="branch">(.*?)</details>', page, re.DOTALL)
    assert folded and "Show 3 deeper replies" in folded.group(1)
    assert f'id="post-{parent}"' in folded.group(1)


def test_discussion_pages_carry_no_inline_script_or_style(browser, api, heftruck):
    thread = start(api, "bram", heftruck, "Tips voor de praktijktoets", tags=["praktijk"])
    first = thread["posts"][0]["id"]
    reply(api, "noor", thread, "Ja!", parent=first)
    client = browser("bram")
    here = f"/threads/{thread['id']}"
    for url in ("/c/heftruck-zwolle", "/c/heftruck-zwolle?tag=praktijk", "/c/heftruck-zwolle/threads/new",
                here, f"{here}/reply?to={first}", f"{here}/edit", f"/posts/{first}/edit", f"/posts/{first}/react",
                "/notifications", "/notifications?unread=1"):
        response = client.get(url)
        page = text(response)
        assert response.status_code == 200, url
        assert CSRF_META.search(page), url
        assert not INLINE_SCRIPT.search(page), url
        assert " style=" not in page and "<style" not in page, url
        assert not re.search(r"\son[a-z]+=", page), url
        body = page.split("</head>", 1)[1]
        assert "<script" not in body and "<link" not in body, url  # scripts and styles load in <head>


def test_notifications_page_marks_the_filter_it_shows(browser, api, heftruck):
    thread = start(api, "bram", heftruck, "Tips voor de praktijktoets")
    reply(api, "noor", thread, "Neem de tijd.", parent=thread["posts"][0]["id"])
    client = browser("bram")
    everything, unread = text(client.get("/notifications")), text(client.get("/notifications?unread=1"))
    assert '<a href="/notifications" aria-current="page">All</a>' in everything
    assert '<a href="/notifications?unread=1" aria-current="page">Unread</a>' in unread
    assert '<a class="notify-link" href="/notifications" aria-current="page"' in everything
