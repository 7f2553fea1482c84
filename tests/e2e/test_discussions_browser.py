"""A threaded discussion on two phones, in real headless Chromium against the real server.

Ilse (Dutch) runs a forklift cohort and starts a thread; Bram joins, switches
the site to English and replies; they answer each other a few levels deep.
The header's unread count rises for whoever was answered, a notification
leads to the exact post (opening a folded branch if needed), @mentions are
completed from the community's members, and nothing is wider than the phone
or breaks the Content-Security-Policy (a violation is a console error).

``docs/screenshot.png`` (shown in the README) is a thread page written here
when ``UPDATE_SCREENSHOT=1``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import requests

from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import Person, create_cohort

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "screenshot.png"
PHONE_WIDTH = 360
PASSWORD = "een-lang-wachtwoord"

pytestmark = BROWSER_TESTS
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")
expect = sync_api.expect


def unread_badge(person: Person) -> int:
    """The number on the header's notification badge after a reload; 0 when there is none."""
    page = person.page
    page.reload()
    badge = page.locator(".site-header .notify-link__count")
    return int(badge.get_attribute("data-unread-count")) if badge.count() else 0


def post_id_in(url: str) -> int:
    match = re.search(r"/threads/\d+#post-(\d+)$", url)
    assert match, url
    return int(match.group(1))


def reply_to(person: Person, post_id: int, text: str, button: str) -> int:
    """Press "reply" at a post, write, send; returns the new post's id from the address landed on."""
    page = person.page
    page.locator(f"#post-{post_id} [data-reply-to]").click()
    box = page.locator("#reply")
    expect(box).to_have_class(re.compile("reply-box--inline"))  # moved right under the post
    assert page.evaluate(f"document.getElementById('post-{post_id}').nextElementSibling.id") == "reply"
    box.locator("textarea").press_sequentially(text)
    box.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r".*/threads/\d+#post-\d+$"))
    return post_id_in(page.url)


def test_two_people_discuss_a_thread_on_their_phones(chromium, live_server):
    ilse = Person(chromium, live_server, locale="nl-NL")
    ilse.register("ilse", "Ilse Mulder")
    create_cohort(ilse, "Heftruck Zwolle", "Voor de cursisten van de heftruckopleiding.")
    community = ilse.page.url

    # Ilse starts a thread: Markdown with a link, previewed before posting.
    page = ilse.page
    page.get_by_role("link", name="Discussie beginnen").click()
    page.fill("#f-title", "Tips voor de praktijktoets heftruck")
    page.fill("#f-body", "Wat moet je **zeker** oefenen? De regels: https://example.org/heftruck/examen")
    page.fill("#f-tags", "praktijk, examen")
    page.get_by_role("button", name="Voorbeeld").click()
    expect(page.locator("[data-preview-output] a[href='https://example.org/heftruck/examen']")).to_be_visible()
    expect(page.locator("[data-preview-output] strong")).to_have_text("zeker")
    page.get_by_role("button", name="Discussie plaatsen").click()
    page.wait_for_url(re.compile(r".*/threads/\d+$"))
    thread_url = page.url
    first = int(page.locator(".post").first.get_attribute("id").removeprefix("post-"))
    expect(page.locator(f"#post-{first} .post__body a[href='https://example.org/heftruck/examen']")).to_be_visible()
    assert unread_badge(ilse) == 0

    # Bram joins, reads on in English, and finds the thread on the Discussions tab.
    bram = Person(chromium, live_server, locale="nl-NL")
    bram.register("bram", "Bram de Wit")
    page = bram.page
    page.goto(community)
    page.get_by_role("button", name="Lid worden").click()
    expect(page.get_by_text("Je bent lid", exact=True)).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Discussions", level=2)).to_be_visible()
    assert bram.page_width() <= PHONE_WIDTH
    page.get_by_role("link", name="Tips voor de praktijktoets heftruck").click()
    page.wait_for_url(thread_url)
    answer = reply_to(bram, first, "Vooral het stapelen op hoogte, denk ik.", "Post reply")

    assert unread_badge(ilse) >= 1  # Bram answered her post

    # Ilse answers Bram, mentioning him: "@br" offers bram, picked with the keyboard.
    page = ilse.page
    page.locator(f"#post-{answer} [data-reply-to]").click()
    textarea = page.locator("#reply textarea")
    textarea.press_sequentially("Klopt, @br")
    option = page.get_by_role("option", name=re.compile(r"@bram"))
    expect(option).to_be_visible()
    expect(option).to_have_attribute("aria-selected", "true")
    assert textarea.get_attribute("aria-activedescendant") == option.get_attribute("id")
    textarea.press("ArrowDown")
    textarea.press("Enter")
    expect(page.get_by_role("listbox")).to_be_hidden()
    assert "@bram " in textarea.input_value()
    textarea.press_sequentially("oefen met lege pallets.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))
    ilse_answer = post_id_in(page.url)
    expect(page.locator(f"#post-{ilse_answer} a.mention")).to_have_text("@bram")

    # Bram answers Ilse's answer (a reply to a reply), mentioning her with a tap.
    page = bram.page
    page.goto(thread_url)
    assert unread_badge(bram) >= 1  # Ilse answered and mentioned him
    page.locator(f"#post-{ilse_answer} [data-reply-to]").click()
    textarea = page.locator("#reply textarea")
    textarea.press_sequentially("Thanks @il")
    page.get_by_role("option", name=re.compile(r"@ilse")).click()
    assert textarea.input_value() == "Thanks @ilse "
    textarea.press_sequentially("I will!")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(re.compile(r".*#post-\d+$"))
    deepest = post_id_in(page.url)

    # Ilse's badge counts both of Bram's answers; the newest notification leads to the post.
    assert unread_badge(ilse) >= 2
    page = ilse.go("/notifications")
    page.locator(".notification__link").first.click()
    page.wait_for_url(f"{thread_url}#post-{deepest}")
    expect(page.locator(f"#post-{deepest}")).to_be_visible()
    expect(page.locator(f"#post-{deepest}")).to_be_in_viewport()
    assert ilse.page_width() <= PHONE_WIDTH

    # One level deeper folds into a branch; Bram's notification still opens it at that post.
    folded = reply_to(ilse, deepest, "Succes volgende week!", "Reactie plaatsen")
    page = bram.go("/notifications")
    page.locator(".notification__link").first.click()
    page.wait_for_url(f"{thread_url}#post-{folded}")
    branch = page.locator("details.branch", has=page.locator(f"#post-{folded}"))
    expect(branch).to_have_attribute("open", "")
    expect(page.locator(f"#post-{folded}")).to_be_visible()
    assert bram.page_width() <= PHONE_WIDTH

    assert ilse.console_errors == [] and bram.console_errors == []
    ilse.close()
    bram.close()


# --- The README's screenshot ---------------------------------------------------------------


def api_user(base: str, username: str, display_name: str) -> dict:
    account = {"username": username, "email": f"{username}@example.org", "password": PASSWORD,
               "display_name": display_name, "locale": "nl"}
    assert requests.post(f"{base}/api/v1/users", json=account, timeout=10).status_code == 201
    token = requests.post(f"{base}/api/v1/tokens", json={"login": username, "password": PASSWORD},
                          timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def api_call(base: str, method: str, path: str, who: dict, body: dict) -> dict:
    response = requests.request(method, f"{base}/api/v1{path}", json=body, headers=who, timeout=10)
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_thread_page_screenshot_for_the_readme(chromium, live_server, tmp_path):
    """A forklift cohort's thread with nested replies and reactions, as its starter sees it."""
    base = live_server
    people = {name: api_user(base, name, full) for name, full in (
        ("marieke", "Marieke Visser"), ("daan", "Daan Hoekstra"), ("fatima", "Fatima Ouali"),
        ("kevin", "Kevin Jansen"), ("sanne", "Sanne de Boer"))}
    slug = api_call(base, "POST", "/communities", people["marieke"], {
        "name": "Heftruckopleiding Zwolle voorjaar 2026", "kind": "cohort", "visibility": "public",
        "join_policy": "open", "starts_on": "2026-03-02", "ends_on": "2026-06-26",
        "description": "Voor de cursisten van de heftruckopleiding: oefenen, vragen en tips delen."})["slug"]
    for name in ("daan", "fatima", "kevin", "sanne"):
        api_call(base, "POST", f"/communities/{slug}/join", people[name], {})
    thread = api_call(base, "POST", f"/communities/{slug}/threads", people["daan"], {
        "title": "Tips voor de praktijktoets heftruck",
        "body": "Volgende week dinsdag doe ik de praktijktoets. Waar letten de examinatoren vooral op? "
                "Ik twijfel nog over **stapelen op hoogte** en de controle vooraf.",
        "tags": ["praktijktoets", "veiligheid"]})

    def say(who: str, body: str, parent: int) -> int:
        return api_call(base, "POST", f"/threads/{thread['id']}/posts", people[who],
                        {"body": body, "parent_id": parent})["id"]

    root = thread["posts"][0]["id"]
    trainer = say("marieke", "Goede vraag! De examinator let vooral op:\n\n"
                  "1. de **dagelijkse controle** vooraf: banden, vorken, hydrauliek en claxon\n"
                  "2. rustig rijden met de vorken laag\n"
                  "3. altijd omkijken voordat je achteruit rijdt\n\n"
                  "De checklist staat op https://example.org/heftruck/checklist", root)
    follow_up = say("daan", "Dank je! Moet ik die controle hardop benoemen?", trainer)
    say("marieke", "Ja, noem elke stap hardop. Dan ziet de examinator dat je het bewust doet.", follow_up)
    tip = say("fatima", "Bij mij ging het bijna mis bij het stapelen. Neem de tijd om de vorken "
                        "waterpas te zetten. Succes @daan!", root)
    say("kevin", "Herkenbaar 😄 Ik oefende met lege pallets op de derde stelling, dat hielp echt.", tip)
    for who, emoji in (("daan", "👍"), ("fatima", "👍"), ("kevin", "👍"), ("sanne", "❤️")):
        api_call(base, "POST", f"/posts/{trainer}/reactions", people[who], {"emoji": emoji})
    api_call(base, "POST", f"/posts/{tip}/reactions", people["sanne"], {"emoji": "🎉"})

    viewer = Person(chromium, base, viewport={"width": 1200, "height": 800})
    page = viewer.go("/login")
    page.fill("#f-login", "daan")
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(base + "/")
    page = viewer.go(f"/threads/{thread['id']}")
    expect(page.locator(".site-header .notify-link__count")).to_be_visible()
    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOT") == "1" else tmp_path / "screenshot.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    assert viewer.console_errors == []
    viewer.close()
