"""A form shown again with its problems opens at the first of them, with the cursor in it:
the server marks that one field ``autofocus`` (and only that one), whatever the form."""

from __future__ import annotations

import re

from tests.e2e.pages import post, text

AUTOFOCUS = re.compile(r'<(?:input|textarea|select)[^>]*\sautofocus[\s>]')
FIELD_ID = re.compile(r'id="([^"]+)"')


def focused_fields(page: str) -> list[str]:
    return [FIELD_ID.search(tag.group(0)).group(1) for tag in AUTOFOCUS.finditer(page)]


def test_only_the_first_field_with_a_problem_gets_the_focus(browser):
    response = post(browser(), "/register", {"username": "a b", "email": "geen-adres", "password": "kort"})
    assert response.status_code == 422
    assert focused_fields(text(response)) == ["f-username"]


def test_a_form_without_problems_takes_no_focus(browser):
    assert focused_fields(text(browser().get("/register"))) == []


def test_the_password_form_below_the_profile_opens_at_its_problem(browser, api):
    api.user("anna")
    response = post(browser("anna"), "/settings/password", {"current_password": "fout-wachtwoord",
                                                            "password": "een-nieuw-wachtwoord"})
    assert response.status_code == 422
    assert focused_fields(text(response)) == ["f-current_password"]


def test_a_cohort_without_dates_opens_at_its_first_date(browser, api):
    api.user("anna")
    response = post(browser("anna"), "/communities/new", {"name": "Kassa Noord", "kind": "cohort",
                                                          "visibility": "public", "join_policy": "open"})
    assert response.status_code == 422
    assert focused_fields(text(response)) == ["f-starts_on"]


def test_a_choice_left_open_focuses_its_first_option(browser, api):
    api.user("anna")
    response = post(browser("anna"), "/communities/new", {"name": "Kassa Noord", "kind": "practice",
                                                          "visibility": "public"})
    assert response.status_code == 422
    assert focused_fields(text(response)) == ["f-join_policy-open"]


def test_an_empty_reply_opens_at_the_reply_box_with_its_text(browser, api):
    anna = api.user("anna")
    community = api.community(anna, "Magazijn")
    thread = api.post(f"/communities/{community['slug']}/threads", anna,
                      json={"title": "Pallets", "body": "Hoe hoog?"}).get_json()
    response = post(browser("anna"), f"/threads/{thread['id']}/reply", {"body": "   ", "parent_id": ""})
    page = text(response)
    assert response.status_code == 422
    assert focused_fields(page) == ["f-body"]
    assert re.search(r'<textarea id="f-body"[^>]*>   </textarea>', page)
