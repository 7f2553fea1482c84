"""Questions and answers, with experts, as the contract states them (API.md, Questions and answers)."""

from __future__ import annotations

from datetime import timedelta

import pytest


@pytest.fixture
def c(api):
    """A public community with an owner, a moderator, two members and an outsider."""
    for name in ("owner", "mod", "asker", "helper", "outsider"):
        api.user(name)
    community = api.community("owner", "Magazijn")
    api.member(community, "mod", "owner", role="moderator")
    api.member(community, "asker", "owner")
    api.member(community, "helper", "owner")
    return community


def ask(api, user, community, **fields):
    body = {"title": "Hoe laad ik een heftruck op?", "body": "De accu is *leeg*.", "tags": ["heftruck"], **fields}
    response = api.post(f"/communities/{community['slug']}/questions", user, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def answer(api, user, question, body="Aan de lader, 8 uur."):
    response = api.post(f"/questions/{question['id']}/answers", user, json={"body": body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def declare(api, user, *tags):
    response = api.call("PUT", "/users/me/expertise", user, json={"tags": list(tags)})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def notifications(api, user, kind=None):
    items = api.get("/notifications", user).get_json()["items"]
    return [n for n in items if kind is None or n["kind"] == kind]


def code(response):
    return response.get_json()["error"]["code"]


# --- asking -----------------------------------------------------------------------------------

def test_member_asks_question_with_normalised_tags(api, c):
    q = ask(api, "asker", c, tags=["Veiligheid", "heftruck", "veiligheid"])
    assert q["tags"] == ["veiligheid", "heftruck"]
    assert (q["score"], q["answer_count"], q["accepted_answer_id"], q["answers"]) == (0, 0, None, [])
    assert q["author"]["username"] == "asker"
    assert "<em>leeg</em>" in q["body_html"]
    assert q["experts_notified"] == []


@pytest.mark.parametrize(("tags", "status"), [([], 422), (None, 422), (["a", "b", "c", "d", "e", "f"], 422),
                                              (["niet geldig!"], 422), ("heftruck", 400), ([1], 400)])
def test_question_needs_one_to_five_valid_tags(api, c, tags, status):
    body = {"title": "Een vraag", "body": "Tekst", **({} if tags is None else {"tags": tags})}
    response = api.post(f"/communities/{c['slug']}/questions", "asker", json=body)
    assert response.status_code == status
    assert "tags" in response.get_json()["error"]["fields"]


def test_question_title_and_body_are_checked(api, c):
    response = api.post(f"/communities/{c['slug']}/questions", "asker",
                        json={"title": "\u200b\u200b\u200b\u200b", "body": "", "tags": ["x"]})
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"title", "body"}


def test_non_member_cannot_ask_and_private_community_is_not_found(api, c):
    assert code(api.post(f"/communities/{c['slug']}/questions", "outsider",
                         json={"title": "Mag ik?", "body": "x", "tags": ["x"]})) == "forbidden"
    private = api.community("owner", "Besloten", visibility="private", join_policy="invite")
    response = api.post(f"/communities/{private['slug']}/questions", "outsider",
                        json={"title": "Mag ik?", "body": "x", "tags": ["x"]})
    assert response.status_code == 404


def test_question_of_private_community_is_not_found_for_outsiders(api, c):
    private = api.community("owner", "Besloten", visibility="private", join_policy="invite")
    q = ask(api, "owner", private)
    assert api.get(f"/questions/{q['id']}", "outsider").status_code == 404
    assert api.post(f"/questions/{q['id']}/answers", "outsider", json={"body": "x"}).status_code == 404


def test_idempotency_key_asks_once(api, c):
    headers = {"Idempotency-Key": "vraag-1"}
    body = {"title": "Eén keer", "body": "Tekst", "tags": ["x"]}
    first = api.post(f"/communities/{c['slug']}/questions", "asker", json=body, headers=dict(headers))
    again = api.post(f"/communities/{c['slug']}/questions", "asker", json=body, headers=dict(headers))
    assert first.status_code == again.status_code == 201
    assert first.get_json()["id"] == again.get_json()["id"]
    assert len(api.get(f"/communities/{c['slug']}/questions", "asker").get_json()["items"]) == 1


# --- experts and routing ------------------------------------------------------------------------

def test_experts_on_its_tags_are_notified_never_the_asker(api, c):
    declare(api, "helper", "heftruck")
    declare(api, "asker", "heftruck")
    q = ask(api, "asker", c)
    assert q["experts_notified"] == ["helper"]
    [n] = notifications(api, "helper", "expert_request")
    assert n["url"] == f"/questions/{q['id']}" and n["title"] == q["title"]
    assert notifications(api, "asker", "expert_request") == []


def test_experts_who_cannot_read_a_private_community_are_not_notified(api, c):
    private = api.community("owner", "Besloten", visibility="private", join_policy="invite")
    api.member(private, "asker", "owner")
    declare(api, "helper", "heftruck")  # no member of the private community
    declare(api, "mod", "heftruck")
    api.member(private, "mod", "owner")
    q = ask(api, "asker", private)
    assert q["experts_notified"] == ["mod"]
    assert notifications(api, "helper") == []


def test_at_most_the_configured_number_of_experts_best_first(api, make_app):
    from tests.factories import Api

    api = Api(make_app(EXPERTS_PER_QUESTION=2))
    for name in ("owner", "asker", "exp1", "exp2", "exp3"):
        api.user(name)
    community = api.community("owner")
    api.member(community, "asker", "owner")
    for name in ("exp1", "exp2", "exp3"):
        declare(api, name, "kassa")
    api.post("/users/exp3/endorsements", "owner", json={"tag": "kassa"})  # endorsed beats declared
    q = ask(api, "asker", community, tags=["kassa"])
    assert q["experts_notified"] == ["exp3", "exp1"]


def test_ask_an_expert_directly_once(api, c):
    q = ask(api, "asker", c)
    declare(api, "helper", "heftruck")
    response = api.post(f"/questions/{q['id']}/experts", "asker", json={"username": "helper"})
    assert response.status_code == 200 and response.get_json() == {"experts_notified": ["helper"]}
    assert len(notifications(api, "helper", "expert_request")) == 1
    again = api.post(f"/questions/{q['id']}/experts", "asker", json={"username": "helper"})
    assert again.status_code == 409
    nobody = api.post(f"/questions/{q['id']}/experts", "asker", json={"username": "outsider"})
    assert nobody.status_code == 422 and "username" in nobody.get_json()["error"]["fields"]


# --- answers, acceptance, ordering ---------------------------------------------------------------

def test_answer_notifies_the_asker(api, c):
    q = ask(api, "asker", c)
    a = answer(api, "helper", q)
    assert (a["accepted"], a["my_vote"], a["score"]) == (False, 0, 0)
    [n] = notifications(api, "asker", "answer")
    assert n["url"] == f"/questions/{q['id']}#answer-{a['id']}"
    assert api.get(f"/questions/{q['id']}", "asker").get_json()["answer_count"] == 1


def test_mention_in_an_answer_notifies_the_mentioned(api, c):
    q = ask(api, "asker", c)
    answer(api, "helper", q, body="Vraag het @mod even.")
    assert len(notifications(api, "mod", "mention")) == 1


def test_asker_or_moderator_accepts_and_the_answerer_is_notified(api, c):
    q = ask(api, "asker", c)
    a = answer(api, "helper", q)
    assert api.post(f"/questions/{q['id']}/accept", "helper", json={"answer_id": a["id"]}).status_code == 403
    response = api.post(f"/questions/{q['id']}/accept", "asker", json={"answer_id": a["id"]})
    assert response.status_code == 200
    assert response.get_json()["accepted_answer_id"] == a["id"]
    assert response.get_json()["answers"][0]["accepted"] is True
    assert len(notifications(api, "helper", "accepted")) == 1
    undone = api.post(f"/questions/{q['id']}/accept", "mod", json={"answer_id": None})
    assert undone.status_code == 200 and undone.get_json()["accepted_answer_id"] is None


def test_accepting_an_answer_of_another_question_is_invalid(api, c):
    q1, q2 = ask(api, "asker", c), ask(api, "asker", c, title="Een andere vraag")
    a = answer(api, "helper", q2)
    response = api.post(f"/questions/{q1['id']}/accept", "asker", json={"answer_id": a["id"]})
    assert response.status_code == 422 and "answer_id" in response.get_json()["error"]["fields"]


def test_answers_accepted_first_then_by_score_then_oldest(api, c):
    q = ask(api, "asker", c)
    first = answer(api, "helper", q, "Eerste")
    second = answer(api, "mod", q, "Tweede")
    third = answer(api, "owner", q, "Derde")
    api.post(f"/answers/{third['id']}/vote", "asker", json={"value": 1})
    order = [a["id"] for a in api.get(f"/questions/{q['id']}", "asker").get_json()["answers"]]
    assert order == [third["id"], first["id"], second["id"]]
    api.post(f"/questions/{q['id']}/accept", "asker", json={"answer_id": second["id"]})
    order = [a["id"] for a in api.get(f"/questions/{q['id']}", "asker").get_json()["answers"]]
    assert order == [second["id"], third["id"], first["id"]]


# --- votes -------------------------------------------------------------------------------------

def test_one_vote_per_person_changeable_and_withdrawn(api, c):
    q = ask(api, "asker", c)
    a = answer(api, "helper", q)
    url = f"/answers/{a['id']}/vote"
    assert api.post(url, "asker", json={"value": 1}).get_json() == {"score": 1, "my_vote": 1}
    assert api.post(url, "asker", json={"value": 1}).get_json() == {"score": 1, "my_vote": 1}
    assert api.post(url, "mod", json={"value": 1}).get_json() == {"score": 2, "my_vote": 1}
    assert api.post(url, "asker", json={"value": -1}).get_json() == {"score": 0, "my_vote": -1}
    assert api.post(url, "asker", json={"value": 0}).get_json() == {"score": 1, "my_vote": 0}
    view = api.get(f"/questions/{q['id']}", "mod").get_json()
    assert view["answers"][0]["my_vote"] == 1 and view["answers"][0]["score"] == 1


def test_nobody_votes_on_their_own_post(api, c):
    q = ask(api, "asker", c)
    a = answer(api, "helper", q)
    assert code(api.post(f"/questions/{q['id']}/vote", "asker", json={"value": 1})) == "forbidden"
    assert code(api.post(f"/answers/{a['id']}/vote", "helper", json={"value": 1})) == "forbidden"


@pytest.mark.parametrize(("value", "status"), [(2, 422), ("1", 400), (None, 422), (True, 400)])
def test_a_vote_is_1_minus_1_or_0(api, c, value, status):
    q = ask(api, "asker", c)
    response = api.post(f"/questions/{q['id']}/vote", "helper", json={"value": value})
    assert response.status_code == status
    assert "value" in response.get_json()["error"]["fields"]


def test_non_members_do_not_vote(api, c):
    q = ask(api, "asker", c)
    assert code(api.post(f"/questions/{q['id']}/vote", "outsider", json={"value": 1})) == "forbidden"


def test_question_vote_shows_in_my_vote(api, c):
    q = ask(api, "asker", c)
    api.post(f"/questions/{q['id']}/vote", "helper", json={"value": -1})
    view = api.get(f"/questions/{q['id']}", "helper").get_json()
    assert (view["score"], view["my_vote"]) == (-1, -1)


# --- editing -----------------------------------------------------------------------------------

def test_author_or_moderator_edits_a_question(api, c):
    q = ask(api, "asker", c)
    response = api.patch(f"/questions/{q['id']}", "asker", json={"title": "Beter gesteld", "tags": ["Accu"]})
    assert response.status_code == 200
    assert (response.get_json()["title"], response.get_json()["tags"]) == ("Beter gesteld", ["accu"])
    assert response.get_json()["edited_at"] is not None
    assert api.patch(f"/questions/{q['id']}", "helper", json={"title": "Van mij"}).status_code == 403
    assert api.patch(f"/questions/{q['id']}", "mod", json={"body": "Aangevuld"}).status_code == 200
    assert api.patch(f"/questions/{q['id']}", "asker", json={"tags": []}).status_code == 422


# --- lists --------------------------------------------------------------------------------------

def test_list_sorts_and_filters(api, c):
    old = ask(api, "asker", c, title="Oude vraag", tags=["kassa"])
    voted = ask(api, "asker", c, title="Gestemde vraag")
    new = ask(api, "asker", c, title="Nieuwe vraag")
    api.post(f"/questions/{voted['id']}/vote", "helper", json={"value": 1})
    a = answer(api, "helper", old)
    answer(api, "helper", new)
    api.post(f"/questions/{old['id']}/accept", "asker", json={"answer_id": a["id"]})

    def ids(**args):
        query = "&".join(f"{k}={v}" for k, v in args.items())
        response = api.get(f"/communities/{c['slug']}/questions?{query}", "outsider")
        assert response.status_code == 200, response.get_json()
        return [q["id"] for q in response.get_json()["items"]]

    assert ids() == [new["id"], voted["id"], old["id"]]
    assert ids(sort="votes")[0] == voted["id"]
    assert ids(sort="active")[0] == old["id"]  # accepted last
    assert ids(status="unanswered") == [voted["id"]]
    assert ids(status="answered") == [new["id"], old["id"]]
    assert ids(status="accepted") == [old["id"]]
    assert ids(tag="Kassa") == [old["id"]]
    assert api.get(f"/communities/{c['slug']}/questions?status=open", "asker").status_code == 422
    page = api.get(f"/communities/{c['slug']}/questions?limit=2", "asker").get_json()
    rest = api.get(f"/communities/{c['slug']}/questions?limit=2&cursor={page['next']}", "asker").get_json()
    assert [q["id"] for q in page["items"] + rest["items"]] == [new["id"], voted["id"], old["id"]]


def test_similar_questions_best_first_with_accepted_marked(api, c):
    q1 = ask(api, "asker", c, title="Heftruck accu opladen in de nacht")
    ask(api, "asker", c, title="Kassa sluiten na het weekend")
    q3 = ask(api, "asker", c, title="Accu van de heftruck vervangen")
    a = answer(api, "helper", q3)
    api.post(f"/questions/{q3['id']}/accept", "asker", json={"answer_id": a["id"]})
    items = api.get(f"/communities/{c['slug']}/questions/similar?title=heftruck accu", "helper").get_json()["items"]
    assert [i["id"] for i in items] == [q3["id"], q1["id"]]
    assert items[0]["accepted_answer_id"] == a["id"]
    assert api.get(f"/communities/{c['slug']}/questions/similar?title=de het", "helper").get_json()["items"] == []


# --- expertise ---------------------------------------------------------------------------------

def test_declared_then_endorsed_then_proven_then_recognized(api, c):
    me = declare(api, "helper", "Heftruck")
    assert me["expertise"] == [{"tag": "heftruck", "level": "declared", "endorsements": 0, "accepted_answers": 0}]
    assert api.post("/users/helper/endorsements", "asker", json={"tag": "heftruck"}).status_code == 201
    level = api.get("/users/helper", "asker").get_json()["expertise"][0]["level"]
    assert level == "endorsed"
    q = ask(api, "asker", c)
    a = answer(api, "helper", q)
    api.post(f"/questions/{q['id']}/accept", "asker", json={"answer_id": a["id"]})
    entry = api.get("/users/helper", "asker").get_json()["expertise"][0]
    assert (entry["level"], entry["accepted_answers"], entry["endorsements"]) == ("proven", 1, 1)
    response = api.call("PUT", f"/communities/{c['slug']}/experts/helper", "mod",
                        json={"tag": "heftruck", "recognized": True})
    assert response.status_code == 200
    assert response.get_json()["expertise"][0]["level"] == "recognized"
    stats = api.get("/users/helper", "outsider").get_json()["stats"]
    assert (stats["answers"], stats["accepted_answers"]) == (1, 1)


def test_proven_after_the_configured_number_of_accepted_answers(api, make_app):
    from tests.factories import Api

    api = Api(make_app(EXPERT_PROVEN_AFTER=2))
    for name in ("owner", "helper"):
        api.user(name)
    community = api.community("owner")
    api.member(community, "helper", "owner")
    for n in range(2):
        q = ask(api, "owner", community, title=f"Vraag nummer {n}", tags=["vers"])
        a = answer(api, "helper", q)
        api.post(f"/questions/{q['id']}/accept", "owner", json={"answer_id": a["id"]})
        expertise = api.get("/users/helper", "owner").get_json()["expertise"]
        assert [e["level"] for e in expertise] == ([] if n == 0 else ["proven"])


def test_accepted_answers_in_a_private_community_are_not_told_to_outsiders(api, c):
    private = api.community("owner", "Besloten", visibility="private", join_policy="invite")
    api.member(private, "helper", "owner")
    q = ask(api, "owner", private)
    a = answer(api, "helper", q)
    api.post(f"/questions/{q['id']}/accept", "owner", json={"answer_id": a["id"]})
    assert api.get("/users/helper", "owner").get_json()["expertise"][0]["level"] == "proven"
    assert api.get("/users/helper", "outsider").get_json()["expertise"] == []


def test_endorsing_yourself_is_forbidden_and_twice_a_conflict(api, c):
    assert code(api.post("/users/helper/endorsements", "helper", json={"tag": "kassa"})) == "forbidden"
    assert api.post("/users/helper/endorsements", "asker", json={"tag": "kassa"}).status_code == 201
    assert code(api.post("/users/helper/endorsements", "asker", json={"tag": "Kassa"})) == "conflict"
    assert api.post("/users/nobody/endorsements", "asker", json={"tag": "kassa"}).status_code == 404
    assert api.post("/users/helper/endorsements", "asker", json={"tag": "geen tag!"}).status_code == 422


def test_only_moderators_recognize_and_only_members(api, c):
    body = {"tag": "kassa", "recognized": True}
    assert code(api.call("PUT", f"/communities/{c['slug']}/experts/helper", "asker", json=body)) == "forbidden"
    response = api.call("PUT", f"/communities/{c['slug']}/experts/outsider", "mod", json=body)
    assert response.status_code == 422
    off = api.call("PUT", f"/communities/{c['slug']}/experts/helper", "mod", json={**body, "recognized": False})
    assert off.status_code == 200 and off.get_json()["expertise"] == []


def test_expertise_declaration_replaces_the_earlier_one(api, c):
    declare(api, "helper", "kassa", "vers")
    me = declare(api, "helper", "vers")
    assert [e["tag"] for e in me["expertise"]] == ["vers"]
    assert api.call("PUT", "/users/me/expertise", "helper", json={"tags": "vers"}).status_code == 400
    assert api.call("PUT", "/users/me/expertise", "helper", json={}).status_code == 422


def test_tags_with_counts_and_top_experts(api, c):
    declare(api, "helper", "heftruck")
    ask(api, "asker", c)
    ask(api, "asker", c, title="Tweede vraag", tags=["heftruck", "kassa"])
    items = api.get(f"/tags?community={c['slug']}", "asker").get_json()["items"]
    assert items[0] == {"name": "heftruck", "question_count": 2, "experts": ["helper"]}
    assert {"name": "kassa", "question_count": 1, "experts": []} in items
    assert [t["name"] for t in api.get("/tags?q=ka", "asker").get_json()["items"]] == ["kassa"]


def test_tag_experts_best_first(api, c):
    declare(api, "helper", "heftruck")
    declare(api, "mod", "heftruck")
    api.post("/users/mod/endorsements", "asker", json={"tag": "heftruck"})
    items = api.get("/tags/heftruck/experts", "asker").get_json()["items"]
    assert [(e["username"], e["level"]) for e in items] == [("mod", "endorsed"), ("helper", "declared")]
    assert items[0]["user"]["username"] == "mod"


# --- escalation ----------------------------------------------------------------------------------

def _run_scheduler(app, *, later: float):
    """Run the scheduler's jobs as if ``later`` seconds had passed."""
    from community import scheduler
    from community.qa import escalation

    real = escalation.utcnow
    escalation.utcnow = lambda: real() + timedelta(seconds=later)
    try:
        with app.app_context():
            return scheduler.run_due_jobs()
    finally:
        escalation.utcnow = real


def test_unanswered_question_goes_to_the_next_experts_then_moderators(api, make_app):
    from tests.factories import Api

    app = make_app(EXPERTS_PER_QUESTION=1, ESCALATION_AFTER=60)
    api = Api(app)
    for name in ("owner", "mod", "asker", "first", "second"):
        api.user(name)
    community = api.community("owner")
    api.member(community, "mod", "owner", role="moderator")
    for name in ("asker", "first", "second"):
        api.member(community, name, "owner")
    declare(api, "first", "kassa")
    declare(api, "second", "kassa")
    api.post("/users/first/endorsements", "owner", json={"tag": "kassa"})
    q = ask(api, "asker", community, tags=["kassa"])
    assert q["experts_notified"] == ["first"]
    assert _run_scheduler(app, later=30)["qa_escalation"] == 0  # not due yet
    assert _run_scheduler(app, later=61)["qa_escalation"] == 1
    assert len(notifications(api, "second", "expert_request")) == 1
    assert len(notifications(api, "first", "expert_request")) == 1  # not asked twice
    assert notifications(api, "mod", "expert_request") == []
    assert _run_scheduler(app, later=61)["qa_escalation"] == 0  # the next round waits another period
    assert _run_scheduler(app, later=125)["qa_escalation"] == 1
    assert len(notifications(api, "mod", "expert_request")) == 1
    assert len(notifications(api, "owner", "expert_request")) == 1
    assert _run_scheduler(app, later=1000)["qa_escalation"] == 0  # no rounds after the moderators
    asked = api.get(f"/questions/{q['id']}", "asker").get_json()["experts_asked"]
    assert asked[:2] == ["first", "second"] and set(asked[2:]) == {"owner", "mod"}


def test_an_answer_stops_escalation_and_measures_response_time(api, make_app):
    from tests.factories import Api

    app = make_app(ESCALATION_AFTER=60)
    api = Api(app)
    for name in ("owner", "asker", "helper"):
        api.user(name)
    community = api.community("owner")
    api.member(community, "asker", "owner")
    api.member(community, "helper", "owner")
    declare(api, "helper", "kassa")
    q = ask(api, "asker", community, tags=["kassa"])
    answer(api, "asker", q, "Nog een detail van mij.")  # the asker's own addition does not stop it
    answer(api, "helper", q)
    assert _run_scheduler(app, later=1000)["qa_escalation"] == 0
    assert notifications(api, "owner", "expert_request") == []
    expert = api.get("/tags/kassa/experts", "asker").get_json()["items"][0]
    assert expert["median_response_seconds"] is not None and expert["median_response_seconds"] < 60
