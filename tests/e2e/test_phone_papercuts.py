"""Item 17's papercuts, through the pages: tags typed as people type them, one way of writing
dates and times everywhere, and "Leave" out of the way of every community page's first tap."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from community.timeutil import iso, utcnow
from tests.e2e.pages import post, text

SITE_MOMENT = re.compile(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">'
                         r'(\w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d\s[AP]M)</time>')  # "Dec 2, 2026, 6:36 PM"
OTHER_STYLES = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d|\d\d-\d\d-\d{4}|\d{1,2}/\d{1,2}/\d\d")


@pytest.fixture
def world(api):
    anna, bob = api.user("anna"), api.user("bob")
    community = api.community(anna, "Magazijn Zwolle")
    api.member(community, bob, anna)
    return community


# --- tags ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, tags", [
    ("Koude Handen", ["koude-handen"]),
    ("koude  handen, Veiligheid", ["koude-handen", "veiligheid"]),
    (" koude - handen ,, pauze ", ["koude-handen", "pauze"]),
    ("heftruck,veiligheid", ["heftruck", "veiligheid"]),
])
def test_typed_tags_are_split_by_commas_only_and_spaces_inside_become_hyphens(api, browser, world, typed, tags):
    response = post(browser("bob"), "/c/magazijn-zwolle/threads/new",
                    {"title": "Handschoenen in de vriescel", "body": "Welke?", "tags": typed})
    assert response.status_code == 302, text(response)
    thread_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert api.get(f"/threads/{thread_id}", "bob").get_json()["tags"] == tags


def test_the_tags_hint_names_both_limits(browser, world):
    page = text(browser("bob").get("/c/magazijn-zwolle/threads/new"))
    hint = re.search(r'<p class="hint" id="f-tags-hint">([^<]*)</p>', page).group(1)
    assert "5" in hint and "30" in hint and "comma" in hint


def test_the_api_still_takes_tags_exactly(api, world):
    response = api.post("/communities/magazijn-zwolle/threads", "bob",
                        json={"title": "Handschoenen", "body": "Welke?", "tags": ["Niet goed"]})
    assert response.status_code == 422


# --- dates -----------------------------------------------------------------------------------

def test_moments_are_written_alike_on_every_page(api, browser, world):
    until = iso(utcnow() + timedelta(days=1))
    assert api.patch("/communities/magazijn-zwolle/members/bob", "anna", json={"muted_until": until}).status_code == 200
    thread = api.post("/communities/magazijn-zwolle/threads", "anna", json={"title": "Pauzes", "body": "Wanneer?"})
    api.post(f"/threads/{thread.get_json()['id']}/posts", "anna", json={"body": "Om tien uur, @bob?"})
    anna, bob = browser("anna"), browser("bob")
    pages = {path: text(who.get(path)) for who, path in (
        (anna, "/c/magazijn-zwolle/members"), (anna, "/c/magazijn-zwolle"),
        (anna, f"/threads/{thread.get_json()['id']}"), (bob, "/notifications"))}
    for path, page in pages.items():
        assert SITE_MOMENT.search(page), path
        assert not OTHER_STYLES.search(page), (path, OTHER_STYLES.search(page))
    assert "Muted until <time" in pages["/c/magazijn-zwolle/members"]


def test_the_mute_message_writes_its_time_like_the_rest(browser, world):
    response = post(browser("anna"), "/c/magazijn-zwolle/members/bob", {"action": "mute", "hours": "24"},
                    follow_redirects=True)
    flash = re.search(r'<p class="flash flash--success"[^>]*>(.*?)</p>', text(response)).group(1)
    assert SITE_MOMENT.search(flash) and not OTHER_STYLES.search(flash)


def test_days_are_written_alike(api, browser, world):
    api.community("anna", "Heftruck voorjaar", kind="cohort", starts_on="2026-03-02", ends_on="2026-06-26")
    page = text(browser("anna").get("/c/heftruck-voorjaar"))
    assert "Mar 2, 2026 to Jun 26, 2026" in page
    assert re.search(r"Member since \w{3} \d{1,2}, \d{4}", text(browser("anna").get("/u/bob")))


# --- leave -----------------------------------------------------------------------------------

def test_leave_is_on_the_members_tab_not_in_the_community_header(browser, world):
    bob = browser("bob")
    assert ">Leave</button>" not in text(bob.get("/c/magazijn-zwolle"))
    members = text(bob.get("/c/magazijn-zwolle/members"))
    assert 'action="/c/magazijn-zwolle/leave"' in members and ">Leave</button>" in members
    response = post(bob, "/c/magazijn-zwolle/leave", follow_redirects=True)
    assert "You have left Magazijn Zwolle." in text(response)
