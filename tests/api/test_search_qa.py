"""Questions and answers in search: one registration, the same rules as every other type."""

from __future__ import annotations

from tests.api.test_search import found, search


def ask(api, user, community, title, body, tags=("heftruck",)):
    response = api.post(f"/communities/{community['slug']}/questions", user,
                        json={"title": title, "body": body, "tags": list(tags)})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_question_and_its_answer_are_findable_as_soon_as_they_are_posted(api, world):
    question = ask(api, world["anna"], world["magazijn"], "Accu van de heftruck laden", "Wanneer moet dat?")
    answer = api.post(f"/questions/{question['id']}/answers", world["bert"],
                      json={"body": "Laad de accu's als het lampje knippert."}).get_json()
    assert ("question", question["id"]) in found(api, world["bert"], "heftrucks")
    assert ("answer", answer["id"]) in found(api, world["anna"], "lampjes knipperen")
    hit = next(i for i in search(api, world["anna"], "lampje")["items"] if i["type"] == "answer")
    assert hit["url"] == f"/questions/{question['id']}#answer-{answer['id']}"
    assert hit["title"] == "Accu van de heftruck laden"
    assert found(api, world["anna"], "lampje", type="question") == set()


def test_questions_of_a_private_community_are_never_found_by_outsiders(api, world):
    api.user("kees")
    private = api.community(world["anna"], "Besloten", visibility="private")
    ask(api, world["anna"], private, "Geheime accuvraag", "Alleen voor leden.")
    result = search(api, "kees", "accuvraag")
    assert result["items"] == [] and result["total"] == 0


def test_an_accepted_answer_ranks_above_an_equal_one(api, world):
    question = ask(api, world["anna"], world["magazijn"], "Vorken laten zakken", "Hoe laag?")
    path = f"/questions/{question['id']}/answers"
    first = api.post(path, world["bert"], json={"body": "Vorken op tien centimeter."})
    second = api.post(path, world["bert"], json={"body": "Vorken op tien centimeter."})
    api.post(f"/questions/{question['id']}/accept", world["anna"], json={"answer_id": second.get_json()["id"]})
    answers = [i["id"] for i in search(api, world["anna"], "centimeter", type="answer")["items"]]
    assert answers == [second.get_json()["id"], first.get_json()["id"]]


def test_similar_questions_match_word_forms_and_the_half_typed_last_word(api, world):
    earlier = ask(api, world["anna"], world["magazijn"], "Certificaat voor de heftruck halen", "Hoe lang duurt het?")
    other = ask(api, world["anna"], world["magazijn"], "Rooster voor de kerst", "Wie maakt het?", tags=("rooster",))
    path = f"/communities/{world['magazijn']['slug']}/questions/similar"
    by_form = api.get(path, world["bert"], query_string={"title": "heftrucks en certificaten"}).get_json()["items"]
    assert [i["id"] for i in by_form] == [earlier["id"]]
    typing = api.get(path, world["bert"], query_string={"title": "Wie maakt het roost"}).get_json()["items"]
    assert other["id"] in [i["id"] for i in typing]
