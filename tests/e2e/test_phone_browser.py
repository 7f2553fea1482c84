"""What a phone (360 px, Dutch) found, in real headless Chromium against the real server.

Buttons are found by their place in the page, not by their Dutch words, so
that rewording the catalog does not break these tests.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.e2e.pages import BROWSER_TESTS, CHROMIUM
from tests.e2e.test_browser import PHONE, Person
from tests.factories import PASSWORD, http_user

pytestmark = BROWSER_TESTS
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")
expect = sync_api.expect
PlaywrightError = sync_api.Error


@pytest.fixture(scope="module")
def chromium_with_memory(chromium):
    """Chromium with its back-forward cache on, as on a real phone (Playwright turns it off).

    Pages that ``keep_pages_in_memory`` fulfils through Playwright's router
    carry no address space, so Chromium's Local Network Access checks took
    them for public pages and blocked the live connection back to 127.0.0.1;
    a page the server sent itself is local and is not blocked.
    """
    browser = chromium.browser_type.launch(
        executable_path=str(CHROMIUM), headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-features=LocalNetworkAccessChecks"],
        ignore_default_args=["--disable-back-forward-cache"])
    yield browser
    browser.close()


def call(base: str, method: str, path: str, who: dict | None = None, body: dict | None = None) -> dict:
    response = requests.request(method, f"{base}/api/v1{path}", json=body, headers=who or {}, timeout=10)
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.content else {}


def sign_in(person: Person, username: str) -> None:
    page = person.go("/login")
    page.fill("#f-login", username)
    page.fill("#f-password", PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(person.base + "/")


_worlds = iter(range(1, 1000))


def world(base: str) -> dict:
    """A community with a moderator (ilse) and a member (bram), each a fresh user, and a thread."""
    n = next(_worlds)
    ilse, bram = f"ilse{n}", f"bram{n}"
    people = {ilse: http_user(base, ilse), bram: http_user(base, bram)}
    slug = call(base, "POST", "/communities", people[ilse], {
        "name": f"Heftruck Zwolle {n}", "kind": "practice", "visibility": "public", "join_policy": "open"})["slug"]
    call(base, "POST", f"/communities/{slug}/join", people[bram])
    thread = call(base, "POST", f"/communities/{slug}/threads", people[ilse],
                  {"title": "Tips voor de praktijktoets", "body": "Wat moet je zeker oefenen?"})
    return {"ilse": ilse, "bram": bram, "auth": people, "slug": slug, "thread": thread}


def replies(base: str, w: dict) -> list[str]:
    thread = call(base, "GET", f"/threads/{w['thread']['id']}", w["auth"][w["ilse"]])
    return [p["body"] for p in thread["posts"][1:]]


# --- 11. Back after posting must not post twice ----------------------------------------------


def write_reply(page, text: str) -> None:
    page.locator("#reply textarea").fill(text)
    page.locator("#reply button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/threads/\d+#post-\d+$"))


def test_back_after_a_reply_shows_an_empty_box_and_sending_again_posts_nothing(chromium, live_server):
    w = world(live_server)
    bram = Person(chromium, live_server, viewport=PHONE)
    sign_in(bram, w["bram"])
    page = bram.go(f"/threads/{w['thread']['id']}")
    write_reply(page, "Vooral stapelen op hoogte.")

    page.go_back()
    box = page.locator("#reply textarea")
    expect(box).to_have_value("")  # the sent text is not offered again
    page.locator("#reply button[type=submit]").click()  # an empty box is not sent
    assert replies(live_server, w) == ["Vooral stapelen op hoogte."]
    assert bram.console_errors == []
    bram.close()


def threads(base: str, w: dict) -> list[str]:
    found = call(base, "GET", f"/communities/{w['slug']}/threads", w["auth"][w["ilse"]])
    return sorted(t["title"] for t in found["items"])


def start_thread(page, title: str) -> None:
    page.fill("#f-title", title)
    page.fill("#f-body", "Wie weet het?")
    page.locator("form.thread-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/threads/\d+$"))


# A reply lands on its own thread page again, which Chrome never restores from
# memory (measured: "BrowsingInstanceNotSwapped"); a new thread lands elsewhere, so
# Back can bring the sent form back exactly as it was: text, key and all.


def keep_pages_in_memory(page) -> None:
    """Be a browser that keeps pages in memory despite ``Cache-Control: no-store``.

    Signed-in pages are sent with no-store, and this Chromium then reloads on
    Back instead (measured), as the test above covers; Safari and Firefox do
    keep such pages, so the form comes back as it was sent. The header is
    dropped on the way in; nothing else changes.
    """
    def without_cache_control(route):
        try:
            response = route.fetch(max_redirects=0)
            route.fulfill(response=response, headers={
                name: value for name, value in response.headers.items() if name.lower() != "cache-control"})
        except PlaywrightError:  # the page moved on (or closed) before this response came back
            pass

    page.route("**/*", without_cache_control)

def test_back_to_a_sent_form_kept_in_memory_empties_it_and_what_is_sent_next_is_new(chromium_with_memory,
                                                                                   live_server):
    w = world(live_server)
    bram = Person(chromium_with_memory, live_server, viewport=PHONE)
    keep_pages_in_memory(bram.page)
    sign_in(bram, w["bram"])
    page = bram.go(f"/c/{w['slug']}/threads/new")
    page.evaluate("window.addEventListener('pageshow', e => { window.restored = e.persisted; })")
    start_thread(page, "Laden van de accu")

    page.go_back(wait_until="commit")
    expect(page.locator("#f-title")).to_have_value("")
    assert page.evaluate("window.restored") is True  # it was the very page that was sent, from memory
    expect(page.locator("#f-body")).to_have_value("")
    start_thread(page, "Banden controleren")
    assert threads(live_server, w) == ["Banden controleren", "Laden van de accu", "Tips voor de praktijktoets"]
    assert bram.console_errors == []
    bram.close()


def test_without_javascript_a_sent_form_sent_again_from_memory_creates_nothing(chromium_with_memory, live_server):
    w = world(live_server)
    bram = Person(chromium_with_memory, live_server, viewport=PHONE)
    bram.context.close()
    bram.context = chromium_with_memory.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    bram.page = bram.context.new_page()
    keep_pages_in_memory(bram.page)
    sign_in(bram, w["bram"])
    page = bram.go(f"/c/{w['slug']}/threads/new")
    start_thread(page, "Laden van de accu")
    first = page.url

    page.go_back(wait_until="commit")
    expect(page.locator("#f-title")).to_have_value("Laden van de accu")  # the page from memory, as sent
    page.locator("form.thread-form button[type=submit]").click()
    page.wait_for_url(first)  # where the first submission went
    expect(page.locator(".flash--info")).to_be_visible()  # "already sent: nothing was added twice"
    assert threads(live_server, w) == ["Laden van de accu", "Tips voor de praktijktoets"]
    bram.close()


def test_a_double_tap_on_send_posts_once(chromium, live_server):
    w = world(live_server)
    bram = Person(chromium, live_server, viewport=PHONE)
    sign_in(bram, w["bram"])
    page = bram.go(f"/threads/{w['thread']['id']}")
    page.locator("#reply textarea").fill("Twee keer getikt.")
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    page.evaluate("""() => {
        const send = document.querySelector('#reply button[type=submit]');
        send.click();
        setTimeout(() => send.click(), 20);  // a thumb that taps twice
    }""")
    expect(page).to_have_url(re.compile(r".*#post-\d+$"))  # (the first tap's page was given up for the second)
    expect(page.locator(".post")).to_have_count(2)
    # Usually both taps are sent; on a loaded machine the first page may be gone before the
    # second tap. Either way one reply is stored (two sends of one key: test_form_resubmission).
    assert 1 <= len(sent) <= 2
    assert replies(live_server, w) == ["Twee keer getikt."]
    bram.close()


# --- 12. A failed reply shows its error at the form, with the text and the cursor -----------


def long_thread(base: str, w: dict, replies_before: int = 12) -> None:
    """Enough replies above the form that it sits far down a phone's screen."""
    for n in range(replies_before):
        call(base, "POST", f"/threads/{w['thread']['id']}/posts", w["auth"][w["ilse"]],
             {"body": f"Reactie {n}: eerst de vorken laag, dan pas rijden. " * 3})


def in_view(page, selector: str) -> bool:
    return page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
                                   return r.top >= 0 && r.bottom <= window.innerHeight; }""", selector)


def test_a_failed_reply_opens_at_the_form_with_the_error_the_text_and_the_cursor(chromium, live_server):
    w = world(live_server)
    long_thread(live_server, w)
    bram = Person(chromium, live_server, viewport=PHONE)
    sign_in(bram, w["bram"])
    page = bram.go(f"/threads/{w['thread']['id']}")
    page.locator("#reply textarea").fill("   ")  # only spaces: the browser sends it, the server refuses it
    page.locator("#reply button[type=submit]").click()
    page.wait_for_load_state()

    error = page.locator("#f-body-error")
    expect(error).to_be_visible()
    assert in_view(page, "#f-body-error") and in_view(page, "#reply textarea")
    assert page.evaluate("document.activeElement.id") == "f-body"  # the cursor is back in the box
    assert page.locator("#reply textarea").input_value() == "   "
    assert [e for e in bram.console_errors if "status of 422" not in e] == []  # (Chromium logs the 422 itself)
    bram.close()


# --- 13. What is hidden stays hidden -----------------------------------------------------------

SHOWN_THOUGH_HIDDEN = """() => [...document.querySelectorAll('[hidden]')]
    .filter(e => getComputedStyle(e).display !== 'none')
    .map(e => e.outerHTML.slice(0, 80))"""


def test_nothing_marked_hidden_shows_on_any_page(chromium, live_server):
    w = world(live_server)
    ilse = Person(chromium, live_server, viewport=PHONE)
    sign_in(ilse, w["ilse"])
    page = ilse.go("/settings")
    expect(page.locator("input[name=username]")).to_be_hidden()  # there for password managers only
    for path in ("/settings", f"/threads/{w['thread']['id']}", f"/c/{w['slug']}/invites", "/communities/new",
                 f"/c/{w['slug']}/threads/new", f"/c/{w['slug']}"):
        ilse.go(path)
        assert page.evaluate(SHOWN_THOUGH_HIDDEN) == [], path
    assert ilse.console_errors == []
    ilse.close()


# --- 15. A handled join request: the asker hears of it, the moderators' notices are read ---------


def approval_world(base: str, askers: int = 1) -> dict:
    n = next(_worlds)
    ilse = f"ilse{n}"
    auth = {ilse: http_user(base, ilse)}
    slug = call(base, "POST", "/communities", auth[ilse], {
        "name": f"Heftruck op aanvraag {n}", "kind": "practice", "visibility": "public",
        "join_policy": "approval"})["slug"]
    names = [f"vraag{n}x{i}" for i in range(askers)]
    for name in names:
        auth[name] = http_user(base, name)
        assert call(base, "POST", f"/communities/{slug}/join", auth[name])["state"] == "pending"
    return {"ilse": ilse, "askers": names, "auth": auth, "slug": slug}


def badge(page) -> int:
    count = page.locator(".site-header .notify-link__count")
    return int(count.get_attribute("data-unread-count")) if count.count() else 0


def test_approving_a_request_tells_the_asker_and_settles_the_moderators_notice(chromium, live_server):
    w = approval_world(live_server)
    [sanne] = w["askers"]
    ilse = Person(chromium, live_server, viewport=PHONE)
    sign_in(ilse, w["ilse"])
    page = ilse.go(f"/c/{w['slug']}")
    assert badge(page) == 1  # "… vraagt om lid te worden van …", not opened: she goes by the Requests link
    page.locator(f".mod-links a[href='/c/{w['slug']}/members?state=pending']").click()
    page.locator(".member__buttons form").first.locator("button").click()  # approve
    expect(page.locator(f"#member-{sanne}")).to_have_count(0)
    expect(page.locator(".site-header .notify-link__count")).to_have_count(0)  # her notice is read
    page.reload()
    assert badge(page) == 0

    asker = Person(chromium, live_server, viewport=PHONE)
    sign_in(asker, sanne)
    page = asker.go("/notifications")
    assert badge(page) == 1
    expect(page.locator(".notification__link").first).to_contain_text("Heftruck op aanvraag")
    page.locator(".notification__link").first.click()
    page.wait_for_url(f"{live_server}/c/{w['slug']}")
    assert asker.page_width() <= PHONE["width"]
    assert ilse.console_errors == [] and asker.console_errors == []
    ilse.close()
    asker.close()


# --- 16. Moderating on a phone: the first request in sight, the next one where the last one was ----


def top(page, selector: str) -> float:
    return page.evaluate("s => document.querySelector(s).getBoundingClientRect().top", selector)


def test_requests_page_shows_the_first_request_at_once_and_the_next_one_in_its_place(chromium, live_server):
    w = approval_world(live_server, askers=4)
    first, second = (f"#member-{name}" for name in w["askers"][:2])
    ilse = Person(chromium, live_server, viewport=PHONE)
    sign_in(ilse, w["ilse"])
    page = ilse.go(f"/c/{w['slug']}/members?state=pending")
    assert in_view(page, first)  # no header to scroll past first
    place = top(page, first)

    requests_tab = page.locator(".tabs--sub a[aria-current=page] .count")
    expect(requests_tab).to_have_text("4")
    page.locator(f"{first} .member__buttons button").first.click()  # approve
    expect(page.locator(first)).to_have_count(0)
    expect(requests_tab).to_have_text("3")  # what is left, counted in place
    assert top(page, second) == place  # the next request is where the approved one was
    assert page.evaluate("window.scrollY") == 0 and page.url.endswith("state=pending")  # no reload to the top
    members = call(live_server, "GET", f"/communities/{w['slug']}/members", w["auth"][w["ilse"]])["items"]
    assert w["askers"][0] in {m["user"]["username"] for m in members}
    assert ilse.page_width() <= PHONE["width"] and ilse.console_errors == []
    ilse.close()


def test_without_javascript_an_approval_comes_back_to_the_next_request(chromium, live_server):
    w = approval_world(live_server, askers=8)
    ilse = Person(chromium, live_server, viewport=PHONE)
    ilse.context.close()
    ilse.context = chromium.new_context(viewport=PHONE, locale="nl-NL", java_script_enabled=False)
    ilse.page = ilse.context.new_page()
    sign_in(ilse, w["ilse"])
    page = ilse.go(f"/c/{w['slug']}/members?state=pending")
    fifth, sixth = (f"#member-{name}" for name in w["askers"][4:6])
    page.locator(fifth).scroll_into_view_if_needed()
    page.locator(f"{fifth} .member__buttons button").first.click()
    page.wait_for_url(re.compile(rf".*state=pending#member-{w['askers'][5]}$"))
    assert in_view(page, sixth)
    ilse.close()


def test_sub_pages_open_with_a_compact_header(chromium, live_server):
    w = approval_world(live_server)
    ilse = Person(chromium, live_server, viewport=PHONE)
    sign_in(ilse, w["ilse"])
    for path in ("members", "members?state=pending", "invites", "edit"):
        page = ilse.go(f"/c/{w['slug']}/{path}")
        assert page.locator(".community-head").count() == 0, path  # not the community's whole header
        assert top(page, "main h1") < 200, path
        expect(page.locator(f"main a[href='/c/{w['slug']}']").first).to_be_visible()  # the way back
    ilse.close()


def test_muting_and_banning_act_in_place_on_the_members_page(chromium, live_server):
    w = world(live_server)
    bram = f"#member-{w['bram']}"
    ilse = Person(chromium, live_server, viewport=PHONE)
    sign_in(ilse, w["ilse"])
    page = ilse.go(f"/c/{w['slug']}/members")
    page.locator(f"{bram} summary").click()
    page.locator(f"{bram} button[name=hours][value='24']").click()  # mute for a day
    expect(page.locator(f"{bram} .badge--muted")).to_be_visible()
    assert page.url.endswith("/members")  # the same page, not reloaded
    assert page.evaluate("document.activeElement.closest('.member').id") == bram[1:]

    page.once("dialog", lambda dialog: dialog.accept())  # "Ban … from …?"
    page.locator(f"{bram} summary").click()
    page.locator(f"{bram} .button--danger").click()
    expect(page.locator(bram)).to_have_count(0)
    banned = call(live_server, "GET", f"/communities/{w['slug']}/members?state=banned", w["auth"][w["ilse"]])
    assert [m["user"]["username"] for m in banned["items"]] == [w["bram"]]
    assert ilse.console_errors == []
    ilse.close()


# --- 17. Tags as typed, one way of writing dates, "Leave" out of the way ----------------------------


def test_a_tag_typed_with_a_space_stays_one_tag_and_the_hint_says_the_limits(chromium, live_server):
    w = world(live_server)
    bram = Person(chromium, live_server, viewport=PHONE)
    sign_in(bram, w["bram"])
    page = bram.go(f"/c/{w['slug']}/threads/new")
    hint = page.locator("#f-tags-hint")
    expect(hint).to_contain_text("30")
    expect(hint).to_contain_text("5")
    page.fill("#f-title", "Werken in de vriescel")
    page.fill("#f-body", "Welke handschoenen?")
    page.fill("#f-tags", "Koude Handen, veiligheid")
    page.locator("form.thread-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/threads/\d+$"))
    expect(page.locator(".thread-head .tag")).to_have_text(["#koude-handen", "#veiligheid"])
    bram.close()


DUTCH_MOMENT = re.compile(r"^\d{1,2} [a-z]{3} \d{4}, \d\d:\d\d$")  # "2 dec 2026, 19:36"


def test_a_mute_reads_like_every_other_date_in_the_readers_own_time(chromium, live_server):
    w = world(live_server)
    ilse = Person(chromium, live_server, viewport=PHONE)
    ilse.context.close()
    ilse.context = chromium.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    ilse.page = ilse.context.new_page()
    sign_in(ilse, w["ilse"])
    page = ilse.go(f"/c/{w['slug']}/members")
    row = f"#member-{w['bram']}"
    page.locator(f"{row} summary").click()
    page.locator(f"{row} button[name=hours][value='1']").click()  # mute for an hour
    until = page.locator(f"{row} .badge--muted time")
    expect(until).to_have_text(DUTCH_MOMENT)
    in_amsterdam = page.evaluate("""t => new Intl.DateTimeFormat('nl-NL', {dateStyle: 'medium', timeStyle: 'short',
                                         timeZone: 'Europe/Amsterdam'}).format(new Date(t))""",
                                 until.get_attribute("datetime"))
    expect(until).to_have_text(in_amsterdam)
    page.reload()  # the page as the server writes it, then the script
    expect(page.locator(f"{row} .badge--muted time")).to_have_text(in_amsterdam)
    ilse.close()


def test_leave_is_not_the_first_button_of_a_community_page_but_is_on_the_members_tab(chromium, live_server):
    w = world(live_server)
    bram = Person(chromium, live_server, viewport=PHONE)
    sign_in(bram, w["bram"])
    page = bram.go(f"/c/{w['slug']}")
    assert page.locator(f"main form[action='/c/{w['slug']}/leave']").count() == 0
    page.locator(f".tabs a[href='/c/{w['slug']}/members']").click()
    leave = page.locator(f"main form[action='/c/{w['slug']}/leave'] button")
    expect(leave).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())  # "Heftruck Zwolle … verlaten?"
    leave.click()
    page.wait_for_url(live_server + "/")
    community = call(live_server, "GET", f"/communities/{w['slug']}", w["auth"][w["bram"]])
    assert community["my_state"] is None
    assert bram.console_errors == []
    bram.close()
