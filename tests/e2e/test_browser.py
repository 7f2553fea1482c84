"""Real headless Chromium against the real server, at a phone's width.

Two people: one registers and creates a cohort group, the other registers,
finds it and joins. Pages must fit 360 px without sideways scrolling, break
no Content-Security-Policy rule (a violation is a console error), and start
with the skip link for keyboard users.

The community page's screenshot goes to a temporary folder: the README's
``docs/screenshot.png`` is a thread page, written by
``test_discussions_browser.py`` alone.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.e2e.pages import BROWSER_TESTS

PHONE = {"width": 360, "height": 740}

pytestmark = BROWSER_TESTS
pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")


class Person:
    """One browser context (own cookies) at phone size, collecting console errors."""

    def __init__(self, chromium, base: str, *, viewport=PHONE, locale="nl-NL"):
        self.base = base
        self.context = chromium.new_context(viewport=viewport, locale=locale)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def go(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def register(self, username: str, display_name: str):
        page = self.go("/register")
        page.fill("#f-username", username)
        page.fill("#f-email", f"{username}@example.org")
        page.fill("#f-password", "een-lang-wachtwoord")
        page.fill("#f-display_name", display_name)
        page.get_by_role("button", name="Account aanmaken").click()
        page.wait_for_url(self.base + "/")

    def page_width(self) -> int:
        return self.page.evaluate("document.documentElement.scrollWidth")

    def close(self):
        self.context.close()


def create_cohort(person: Person, name: str, description: str) -> None:
    page = person.go("/communities/new")
    dates = page.locator("[data-cohort-dates]")
    assert dates.is_hidden()  # a community of practice has no dates: the script hides them
    page.fill("#f-name", name)
    page.fill("#f-description", description)
    page.get_by_text("Trainingsgroep", exact=True).click()
    assert dates.is_visible()
    page.fill("#f-starts_on", "2026-01-12")
    page.fill("#f-ends_on", "2026-12-18")
    page.get_by_role("button", name="Community aanmaken").click()
    page.wait_for_url(re.compile(r".*/c/[a-z0-9-]+$"))


def test_two_people_create_and_join_a_community_on_a_phone(chromium, live_server):
    anna = Person(chromium, live_server)
    anna.register("anna", "Anna de Vries")
    assert anna.page_width() <= PHONE["width"]
    create_cohort(anna, "Wijkverpleging Utrecht", "Voor wijkverpleegkundigen uit de opleiding van dit jaar.")
    assert "Je community Wijkverpleging Utrecht staat klaar" in anna.page.content()
    assert anna.page_width() <= PHONE["width"]

    bob = Person(chromium, live_server)
    bob.register("bob", "Bob Jansen")
    page = bob.page
    page.fill("#q", "wijkverpleging")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Wijkverpleging Utrecht").click()
    assert bob.page_width() <= PHONE["width"]
    page.get_by_role("button", name="Lid worden").click()
    page.wait_for_load_state()
    assert "Welkom bij Wijkverpleging Utrecht!" in page.content()
    assert page.get_by_text("Je bent lid", exact=True).is_visible()
    assert bob.page_width() <= PHONE["width"]

    members = bob.go("/c/wijkverpleging-utrecht/members")
    assert members.get_by_text("@anna").is_visible() and members.get_by_text("@bob").is_visible()
    assert bob.page_width() <= PHONE["width"]
    bob.go("/")
    assert bob.page_width() <= PHONE["width"]

    assert anna.console_errors == [] and bob.console_errors == []
    anna.close()
    bob.close()


def test_first_tab_press_reaches_the_skip_link(chromium, live_server):
    visitor = Person(chromium, live_server)
    page = visitor.go("/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    visitor.close()


def join_over_api(base: str, slug: str, username: str, display_name: str) -> None:
    account = {"username": username, "email": f"{username}@example.org", "password": "een-lang-wachtwoord",
               "display_name": display_name, "locale": "nl"}
    assert requests.post(f"{base}/api/v1/users", json=account, timeout=10).status_code == 201
    token = requests.post(f"{base}/api/v1/tokens", json={"login": username, "password": account["password"]},
                          timeout=10).json()["token"]
    joined = requests.post(f"{base}/api/v1/communities/{slug}/join", json={},
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert joined.status_code == 200


def test_community_page_at_desktop_width_renders_without_errors(chromium, live_server, tmp_path):
    owner = Person(chromium, live_server, viewport={"width": 1200, "height": 800})
    owner.register("marieke", "Marieke Visser")
    create_cohort(owner, "Wijkverpleging Utrecht voorjaar 2026",
                  "Voor de wijkverpleegkundigen van de **voorjaarsopleiding**: stel je vragen, deel wat werkt "
                  "in de wijk en blijf na de laatste lesdag van elkaar leren.")
    slug = "wijkverpleging-utrecht-voorjaar-2026"
    for username, name in (("sanne", "Sanne de Boer"), ("youssef", "Youssef El Amrani"), ("jeroen", "Jeroen Bakker")):
        join_over_api(live_server, slug, username, name)
    target = tmp_path / "screenshot.png"
    owner.go(f"/c/{slug}").screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    assert owner.console_errors == []
    owner.close()
