"""Q&A pages through the test client, as a browser would see them: the Questions tab, asking
with the form, a question page with votes and acceptance as plain forms, a tag's page and a
profile's expertise. The contract's rules are tests/api/test_qa.py; here, the pages keep them."""

from __future__ import annotations

import re

import pytest

from tests.e2e.pages import INLINE_SCRIPT, post, text


@pytest.fixture
def winkel(api):
    """A store's community: Ilse moderates, Bram and Noor are members, Kees is not."""
    for name in ("ilse", "bram", "noor", "kees"):
        api.user(name, display_name=name.capitalize())
    community = api.community("ilse", "Winkel Zwolle")
    api.member(community, "bram", "ilse")
    api.member(community, "noor", "ilse")
    return community


def ask(api, user: str, community: dict, title: str, tags=("kassa",), body: str = "Wie weet het?") -> dict:
    response = api.post(f"/communities/{community['slug']}/questions", user,
                        json={"title": title, "body": body, "tags": list(tags)})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def answer(api, user: str, question: dict, body: str) -> dict:
    response = api.post(f"/questions/{question['id']}/answers", user, json={"body": body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def question_titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="question-card__title"><a href="/questions/\d+">([^<]*)</a>', page)


def test_questions_tab_lists_the_questions_and_marks_the_answered_ones(browser, api, winkel):
    first = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    ask(api, "noor", winkel, "Wanneer komt het rooster?", tags=("rooster",))
    reply = answer(api, "noor", first, "Met de sleutel van de teamleider.")
    assert api.post(f"/questions/{first['id']}/accept", "bram", json={"answer_id": reply["id"]}).status_code == 200
    page = text(browser("bram").get(f"/c/{winkel['slug']}/questions"))
    assert question_titles(page) == ["Wanneer komt het rooster?", "Hoe open ik de kassalade?"]
    assert "question-card--accepted" in page and "coming soon" not in page
    assert not INLINE_SCRIPT.search(page)


def test_questions_tab_filters_unanswered_and_by_tag(browser, api, winkel):
    first = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    ask(api, "noor", winkel, "Wanneer komt het rooster?", tags=("rooster",))
    answer(api, "noor", first, "Met de sleutel.")
    client = browser("bram")
    assert question_titles(text(client.get(f"/c/{winkel['slug']}/questions?status=unanswered"))) == [
        "Wanneer komt het rooster?"]
    assert question_titles(text(client.get(f"/c/{winkel['slug']}/questions?tag=kassa"))) == [
        "Hoe open ik de kassalade?"]
    # A hand-edited address still shows a list, never an error page.
    assert client.get(f"/c/{winkel['slug']}/questions?status=nonsense&sort=%00").status_code == 200


def test_asking_with_the_form_leads_to_the_new_question(browser, api, winkel):
    client = browser("bram")
    form = client.get(f"/c/{winkel['slug']}/questions/new")
    assert form.status_code == 200 and 'data-similar' in text(form)
    response = post(client, f"/c/{winkel['slug']}/questions/new",
                    {"title": "Hoe vervang ik de bonrol?", "body": "Hij is op.", "tags": "Kassa, bon rol"})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Hoe vervang ik de bonrol?" in page and "#kassa" in page and "#bon-rol" in page


def test_asking_without_tags_shows_the_form_again_with_what_was_typed(browser, api, winkel):
    client = browser("bram")
    response = post(client, f"/c/{winkel['slug']}/questions/new",
                    {"title": "Hoe vervang ik de bonrol?", "body": "Hij is op.", "tags": ""})
    assert response.status_code == 422
    page = text(response)
    assert "Hoe vervang ik de bonrol?" in page and 'field--error' in page


def test_a_non_member_cannot_open_the_ask_form(browser, api, winkel):
    assert browser("kees").get(f"/c/{winkel['slug']}/questions/new").status_code == 403


def test_question_page_shows_answers_accepted_first_with_vote_and_accept_buttons(browser, api, winkel):
    question = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    early = answer(api, "noor", question, "Met een paperclip.")
    late = answer(api, "ilse", question, "Met de sleutel van de teamleider.")
    asker = browser("bram")
    page = text(asker.get(f"/questions/{question['id']}"))
    assert f'id="question-{question["id"]}"' in page
    assert page.index(f'id="answer-{early["id"]}"') < page.index(f'id="answer-{late["id"]}"')
    assert page.count('class="vote__button"') == 6 and "Accept this answer" in page
    response = post(asker, f"/questions/{question['id']}/accept", {"answer_id": str(late["id"])})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#answer-{late['id']}")
    page = text(asker.get(f"/questions/{question['id']}"))
    assert page.index(f'id="answer-{late["id"]}"') < page.index(f'id="answer-{early["id"]}"')
    assert "answer--accepted" in page and "Undo accepting" in page


def test_only_the_asker_or_a_moderator_gets_the_accept_button(browser, api, winkel):
    question = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    answer(api, "ilse", question, "Met de sleutel.")
    assert "Accept this answer" not in text(browser("noor").get(f"/questions/{question['id']}"))
    assert "Accept this answer" in text(browser("ilse").get(f"/questions/{question['id']}"))


def test_voting_with_the_form_counts_once_and_pressing_again_withdraws(browser, api, winkel):
    question = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    reply = answer(api, "ilse", question, "Met de sleutel.")
    noor = browser("noor")
    assert post(noor, f"/answers/{reply['id']}/vote", {"value": "1"}).status_code == 302
    assert post(noor, f"/answers/{reply['id']}/vote", {"value": "1"}).status_code == 302
    assert api.get(f"/questions/{question['id']}", "noor").get_json()["answers"][0]["score"] == 1
    page = text(noor.get(f"/questions/{question['id']}"))
    assert f'<span class="vote__score" id="score-a{reply["id"]}"' in page and 'aria-pressed="true"' in page
    post(noor, f"/answers/{reply['id']}/vote", {"value": "0"})
    assert api.get(f"/questions/{question['id']}", "noor").get_json()["answers"][0]["score"] == 0


def test_voting_on_your_own_answer_is_refused_with_a_message(browser, api, winkel):
    question = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    reply = answer(api, "ilse", question, "Met de sleutel.")
    ilse = browser("ilse")
    response = post(ilse, f"/answers/{reply['id']}/vote", {"value": "1"}, follow_redirects=True)
    assert response.status_code == 200 and "your own" in text(response)
    assert post(ilse, f"/answers/{reply['id']}/vote", {"value": "many"}).status_code == 302  # no 500


def test_answering_with_the_form_notifies_the_asker(browser, api, winkel):
    question = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    response = post(browser("noor"), f"/questions/{question['id']}/answers", {"body": "Met de sleutel."})
    assert response.status_code == 302 and "#answer-" in response.headers["Location"]
    kinds = [n["kind"] for n in api.get("/notifications", "bram").get_json()["items"]]
    assert "answer" in kinds


def test_a_private_communitys_question_page_is_the_missing_page_for_outsiders(browser, api):
    api.user("ilse")
    api.user("kees")
    private = api.community("ilse", "Besloten groep", visibility="private")
    question = ask(api, "ilse", private, "Geheime vraag over de kassa")
    assert browser("kees").get(f"/questions/{question['id']}").status_code == 404
    page = text(browser("kees").get("/tags/kassa"))
    assert "Geheime vraag" not in page


def test_tag_page_lists_questions_and_experts(browser, api, winkel):
    assert api.call("PUT", "/users/me/expertise", "noor", json={"tags": ["kassa"]}).status_code == 200
    ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    page = text(browser("bram").get("/tags/Kassa"))
    assert "Hoe open ik de kassalade?" in page and "Noor" in page and "Nobody is an expert" not in page


def test_profile_shows_expertise_and_a_colleague_can_endorse(browser, api, winkel):
    noor = browser("noor")
    assert post(noor, "/settings/expertise", {"tags": "kassa, rooster"}).status_code == 302
    page = text(noor.get("/u/noor"))
    assert 'id="expertise"' in page and "#kassa" in page and "#rooster" in page and "declared" in page
    bram = browser("bram")
    assert "Endorse" in text(bram.get("/u/noor"))
    post(bram, "/u/noor/endorse", {"tag": "kassa"})
    entries = {e["tag"]: e for e in api.get("/users/noor", "bram").get_json()["expertise"]}
    assert entries["kassa"]["level"] == "endorsed" and entries["kassa"]["endorsements"] == 1


def test_question_pages_speak_dutch(browser, api, winkel):
    question = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    answer(api, "noor", question, "Met de sleutel.")
    page = text(browser("bram", language="nl").get(f"/questions/{question['id']}"))
    assert "Je antwoord" in page and "Dit antwoord accepteren" in page and "Omhoog stemmen" in page


def test_asking_a_particular_expert_from_the_question(browser, api, winkel):
    assert api.call("PUT", "/users/me/expertise", "ilse", json={"tags": ["kassa"]}).status_code == 200
    assert api.call("PUT", "/users/me/expertise", "noor", json={"tags": ["kassa"]}).status_code == 200
    question = ask(api, "bram", winkel, "Hoe open ik de kassalade?")
    asked = set(question["experts_notified"])
    bram = browser("bram")
    assert "ask-expert" in text(bram.get(f"/questions/{question['id']}"))
    page = text(bram.get(f"/questions/{question['id']}/ask-expert"))
    assert "Every expert on these tags has been asked already" in page  # routing asked both at once
    assert asked == {"ilse", "noor"}
    response = post(bram, f"/questions/{question['id']}/ask-expert", {"username": "noor"}, follow_redirects=True)
    assert "asked about this question already" in text(response)
