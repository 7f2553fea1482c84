"""Q&A in real headless Chromium against the real server, at a phone's width (360 px).

The whole round a shop-floor worker makes on a break: she types a question, sees an
earlier one like it while typing, asks anyway with tags; the expert on that tag is
notified, opens the question from the notification and answers; she accepts the answer
and votes it up without a reload. Pages fit 360 px and break no CSP rule.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import BROWSER_TESTS
from tests.e2e.test_browser import PHONE, Person
from tests.e2e.test_phone_browser import call, sign_in
from tests.factories import http_user

pytestmark = BROWSER_TESTS
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the Python playwright package")
expect = sync_api.expect


def test_ask_see_a_similar_question_expert_answers_asker_accepts_on_a_phone(chromium, live_server):
    base = live_server
    sanne, marieke = http_user(base, "sanne"), http_user(base, "marieke")
    slug = call(base, "POST", "/communities", marieke, {"name": "Magazijn Zwolle", "kind": "practice",
                                                        "visibility": "public", "join_policy": "open"})["slug"]
    call(base, "POST", f"/communities/{slug}/join", sanne)
    call(base, "PUT", "/users/me/expertise", marieke, {"tags": ["heftruck"]})
    call(base, "POST", f"/communities/{slug}/questions", marieke,
         {"title": "Hoe laad ik de heftruck accu op?", "body": "Aan de lader.", "tags": ["accu"]})

    asker = Person(chromium, base, viewport=PHONE)
    sign_in(asker, "sanne")
    page = asker.go(f"/c/{slug}/questions/new")
    page.locator("#f-title").press_sequentially("Heftruck accu bijna leeg", delay=20)
    similar = page.locator("[data-similar-list] li")
    expect(similar.first).to_contain_text("Hoe laad ik de heftruck accu op?")
    page.fill("#f-body", "Het lampje knippert rood. Mag ik nog rijden?")
    page.fill("#f-tags", "Heftruck")
    assert asker.page_width() <= PHONE["width"]
    page.get_by_role("button", name="De vraag stellen").click()
    page.wait_for_url(re.compile(r".*/questions/\d+$"))
    question_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("h1")).to_have_text("Heftruck accu bijna leeg")

    expert = Person(chromium, base, viewport=PHONE)
    sign_in(expert, "marieke")
    notifications = call(base, "GET", "/notifications", marieke)["items"]
    request = [n for n in notifications if n["kind"] == "expert_request"]
    assert request and request[0]["url"] == f"/questions/{question_id}"
    answer_page = expert.go(request[0]["url"])
    answer_page.fill("#f-body", "Nee: eerst laden, anders beschadig je de accu.")
    answer_page.get_by_role("button", name="Antwoord plaatsen").click()
    answer_page.wait_for_url(re.compile(r".*#answer-\d+$"))
    answer_id = int(answer_page.url.rsplit("-", 1)[1])
    assert expert.page_width() <= PHONE["width"]

    page = asker.go(f"/questions/{question_id}")
    article = page.locator(f"#answer-{answer_id}")
    up = article.locator(".vote__button").first
    box = up.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a thumb's target
    up.click()
    expect(article.locator(".vote__score")).to_have_text("1")  # without a reload
    assert page.url.endswith(f"/questions/{question_id}")
    article.get_by_role("button", name="Dit antwoord accepteren").click()
    page.wait_for_url(re.compile(rf".*#answer-{answer_id}$"))
    expect(page.locator(f"#answer-{answer_id}")).to_have_class(re.compile("answer--accepted"))
    assert asker.page_width() <= PHONE["width"]
    question = call(base, "GET", f"/questions/{question_id}", sanne)
    assert question["accepted_answer_id"] == answer_id and question["answers"][0]["score"] == 1
    kinds = [n["kind"] for n in call(base, "GET", "/notifications", marieke)["items"]]
    assert "accepted" in kinds
    assert not asker.console_errors and not expert.console_errors, asker.console_errors + expert.console_errors
    asker.close()
    expert.close()
