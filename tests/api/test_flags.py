"""Flags and hidden content: any reader flags, moderators hear of it and hide; hidden is gone for members
everywhere (pages, API, search with its totals, chat, notifications) and comes back when shown again."""

from __future__ import annotations

import pytest

from tests.api.test_discussions import sign_in


@pytest.fixture
def c(api):
    return api.team("Winkelvloer", ("sanne", "kevin"), visibility="private")


def created(response, status=201):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def thread_with_reply(api, c, body="Koop nu goedkope sigaretten op example.org"):
    slug = c["slug"]
    thread = created(api.post(f"/communities/{slug}/threads", "sanne",
                              json={"title": "Kassarol vervangen", "body": "Hoe vervang ik de kassarol?"}))
    post = created(api.post(f"/threads/{thread['id']}/posts", "kevin", json={"body": body}))
    return thread, post


def flag(api, user, target_type, target_id, reason="Spam", status=201):
    return created(api.post("/flags", user, json={"target_type": target_type, "target_id": target_id,
                                                  "reason": reason}), status)


def resolve(api, flag_id, action, user="mod", **extra):
    return created(api.post(f"/flags/{flag_id}/resolve", user, json={"action": action, **extra}), 200)


def found(api, user, q):
    response = api.get("/search", user, query_string={"q": q})
    assert response.status_code == 200
    body = response.get_json()
    return body["total"], {(i["type"], i["id"]) for i in body["items"]}


def kinds(api, user):
    return [n["kind"] for n in api.get("/notifications", user).get_json()["items"]]


def test_a_flag_tells_the_moderators_and_opens_one_queue_entry_with_a_count(api, c):
    thread, post = thread_with_reply(api, c)
    first = flag(api, "sanne", "post", post["id"], "Reclame")
    assert {k: first[k] for k in ("target_type", "target_id", "reason", "state", "count")} == {
        "target_type": "post", "target_id": post["id"], "reason": "Reclame", "state": "open", "count": 1}
    assert first["created_at"].endswith("Z")
    assert "flag" in kinds(api, "mod") and "flag" in kinds(api, "owner")
    assert "flag" not in kinds(api, "kevin")

    again = flag(api, "sanne", "post", post["id"], "Nog steeds reclame", status=200)  # the same member: nothing new
    assert (again["id"], again["count"], again["reason"]) == (first["id"], 1, "Reclame")
    second = flag(api, "owner", "post", post["id"], "Spam")
    assert (second["id"], second["count"]) == (first["id"], 2)

    queue = api.get(f"/communities/{c['slug']}/flags?state=open", "mod").get_json()["items"]
    [entry] = queue
    assert entry["id"] == first["id"] and entry["count"] == 2
    assert entry["target"]["excerpt"].startswith("Koop nu") and entry["target"]["hidden"] is False
    assert entry["target"]["url"] == f"/threads/{thread['id']}#post-{post['id']}"
    assert [(r["user"]["username"], r["reason"]) for r in entry["reports"]] == [("sanne", "Reclame"), ("owner", "Spam")]
    assert entry["target"]["author"]["username"] == "kevin"
    assert kinds(api, "mod").count("flag") == 1  # told when it opened, not again for each report


def test_hiding_a_reply_removes_it_for_members_everywhere_and_unhiding_brings_it_back(app, api, c):
    thread, post = thread_with_reply(api, c, "Koop nu goedkope sigaretten @sanne")
    assert "mention" in kinds(api, "sanne")
    assert found(api, "sanne", "sigaretten") == (1, {("post", post["id"])})
    f = flag(api, "sanne", "post", post["id"])
    hidden = resolve(api, f["id"], "hide", reason="Reclame hoort hier niet")
    assert hidden["state"] == "hidden" and hidden["target"]["hidden"] is True

    # The API: the reply keeps its place in the tree, with nothing in it; the post itself is not found.
    view = api.get(f"/threads/{thread['id']}", "sanne").get_json()
    [shown] = [p for p in view["posts"] if p["id"] == post["id"]]
    assert shown["deleted"] is True and shown["body"] == "" and shown["author"] is None
    assert view["reply_count"] == 0
    assert api.get(f"/posts/{post['id']}", "sanne").status_code == 404
    assert api.post(f"/threads/{thread['id']}/posts", "sanne",
                    json={"body": "Eens", "parent_id": post["id"]}).status_code in (404, 422)
    # Search: neither a hit nor in the total. Notifications about it: gone.
    assert found(api, "sanne", "sigaretten") == (0, set())
    assert "mention" not in kinds(api, "sanne")
    # The page: the text is nowhere.
    browser = app.test_client()
    sign_in(browser, "sanne")
    page = browser.get(f"/threads/{thread['id']}")
    assert page.status_code == 200 and "sigaretten" not in page.get_data(as_text=True)
    # Its moderators still see it, marked.
    mod_view = api.get(f"/threads/{thread['id']}", "mod").get_json()
    [theirs] = [p for p in mod_view["posts"] if p["id"] == post["id"]]
    assert "sigaretten" in theirs["body"] and theirs["hidden"] is True

    shown_again = resolve(api, f["id"], "unhide")
    assert shown_again["state"] == "dismissed"
    assert found(api, "sanne", "sigaretten") == (1, {("post", post["id"])})
    assert "mention" in kinds(api, "sanne")
    assert api.get(f"/posts/{post['id']}", "sanne").status_code == 200
    assert api.get(f"/threads/{thread['id']}", "sanne").get_json()["reply_count"] == 1


def test_hiding_a_first_post_hides_the_whole_thread(api, c):
    thread, post = thread_with_reply(api, c, "Rol zit onder de lade")
    first_post = api.get(f"/threads/{thread['id']}", "sanne").get_json()["posts"][0]["id"]
    f = flag(api, "kevin", "post", first_post)
    resolve(api, f["id"], "hide")
    assert api.get(f"/threads/{thread['id']}", "kevin").status_code == 404
    assert api.get(f"/posts/{post['id']}", "kevin").status_code == 404
    threads = api.get(f"/communities/{c['slug']}/threads", "kevin").get_json()["items"]
    assert thread["id"] not in [t["id"] for t in threads]
    assert found(api, "kevin", "kassarol") == (0, set()) and found(api, "kevin", "lade") == (0, set())
    assert api.get(f"/threads/{thread['id']}", "mod").status_code == 200
    assert thread["id"] in [t["id"] for t in api.get(f"/communities/{c['slug']}/threads", "mod").get_json()["items"]]
    resolve(api, f["id"], "dismiss")
    assert api.get(f"/threads/{thread['id']}", "kevin").status_code == 200
    assert found(api, "kevin", "lade")[0] == 1


def test_questions_answers_resources_and_chat_messages_hide_the_same_way(api, c):
    slug = c["slug"]
    question = created(api.post(f"/communities/{slug}/questions", "sanne",
                                json={"title": "Wie weet de code van de kluis?", "body": "Graag snel",
                                      "tags": ["kluis"]}))
    answer = created(api.post(f"/questions/{question['id']}/answers", "kevin", json={"body": "Code is 1234"}))
    resource = created(api.post(f"/communities/{slug}/resources", "kevin",
                                json={"title": "Kluisinstructie", "description": "Draai driemaal links"}))
    message = created(api.post(f"/communities/{slug}/messages", "kevin", json={"body": "kluiscode 1234 hier"}))

    for target_type, item in (("answer", answer), ("resource", resource), ("message", message)):
        resolve(api, flag(api, "sanne", target_type, item["id"])["id"], "hide")
    q = api.get(f"/questions/{question['id']}", "sanne").get_json()
    assert q["answers"] == [] and q["answer_count"] == 0
    assert api.get(f"/resources/{resource['id']}", "sanne").status_code == 404
    assert api.get(f"/resources/{resource['id']}/download", "sanne").status_code == 404
    assert resource["id"] not in [r["id"] for r in api.get(f"/communities/{slug}/resources", "sanne")
                                  .get_json()["items"]]
    assert message["id"] not in [m["id"] for m in api.get(f"/communities/{slug}/messages", "sanne")
                                 .get_json()["items"]]
    assert found(api, "sanne", "1234") == (0, set()) and found(api, "sanne", "driemaal") == (0, set())
    assert [a["id"] for a in api.get(f"/questions/{question['id']}", "mod").get_json()["answers"]] == [answer["id"]]

    resolve(api, flag(api, "kevin", "question", question["id"])["id"], "hide")
    assert api.get(f"/questions/{question['id']}", "sanne").status_code == 404
    assert question["id"] not in [i["id"] for i in api.get(f"/communities/{slug}/questions", "sanne")
                                  .get_json()["items"]]
    assert found(api, "sanne", "kluis") == (0, set())


def test_a_member_cannot_flag_what_they_cannot_read_and_only_moderators_resolve(api, c):
    thread, post = thread_with_reply(api, c)
    assert api.post("/flags", "outsider", json={"target_type": "post", "target_id": post["id"],
                                                "reason": "x"}).status_code == 404
    assert api.post("/flags", json={"target_type": "post", "target_id": post["id"], "reason": "x"}).status_code == 401
    f = flag(api, "sanne", "post", post["id"])
    assert api.post(f"/flags/{f['id']}/resolve", "kevin", json={"action": "hide"}).status_code == 403
    assert api.post(f"/flags/{f['id']}/resolve", "outsider", json={"action": "hide"}).status_code == 404
    assert api.get(f"/communities/{c['slug']}/flags", "kevin").status_code == 403
    assert api.get(f"/communities/{c['slug']}/flags", "outsider").status_code == 404
    assert api.get(f"/flags/{f['id']}", "kevin").status_code == 403
    resolve(api, f["id"], "hide")
    # Hidden: to a member it is as if it were not there, so it cannot be flagged either.
    assert api.post("/flags", "kevin", json={"target_type": "post", "target_id": post["id"],
                                             "reason": "x"}).status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"target_type": "thread", "target_id": 1, "reason": "x"}, "target_type"),
    ({"target_type": "post", "target_id": "1", "reason": "x"}, "target_id"),
    ({"target_type": "post", "target_id": 0, "reason": "x"}, "target_id"),
    ({"target_type": "post", "target_id": 1, "reason": "\u200b\u200b"}, "reason"),
    ({"target_type": "post", "target_id": 1, "reason": "x" * 501}, "reason"),
    ({"target_type": "post", "target_id": 1}, "reason"),
])
def test_bad_flags_get_the_contracts_error(api, c, body, field):
    response = api.post("/flags", "sanne", json=body)
    assert response.status_code in (400, 422)
    error = response.get_json()["error"]
    if response.status_code == 422:
        assert field in error["fields"]


def test_bad_resolutions_and_filters_get_the_contracts_error(api, c):
    thread, post = thread_with_reply(api, c)
    f = flag(api, "sanne", "post", post["id"])
    assert api.post(f"/flags/{f['id']}/resolve", "mod", json={"action": "burn"}).status_code == 422
    assert api.post(f"/flags/{f['id']}/resolve", "mod", json=["hide"]).status_code == 400
    assert api.post("/flags/999999/resolve", "mod", json={"action": "hide"}).status_code == 404
    assert api.get(f"/communities/{c['slug']}/flags?state=weird", "mod").status_code == 422
    assert api.post("/flags", "sanne", json={"target_type": "post", "target_id": 999999,
                                             "reason": "x"}).status_code == 404


def test_a_dismissed_flag_opens_again_when_someone_new_flags_it(api, c):
    thread, post = thread_with_reply(api, c)
    f = flag(api, "sanne", "post", post["id"])
    assert resolve(api, f["id"], "dismiss")["state"] == "dismissed"
    assert flag(api, "sanne", "post", post["id"], status=200)["state"] == "dismissed"
    again = flag(api, "owner", "post", post["id"])
    assert (again["id"], again["state"], again["count"]) == (f["id"], "open", 2)


def test_hide_unhide_and_dismiss_are_in_the_moderation_log_with_their_reason(api, c):
    thread, post = thread_with_reply(api, c)
    f = flag(api, "sanne", "post", post["id"])
    resolve(api, f["id"], "hide", reason="Reclame")
    resolve(api, f["id"], "unhide", reason="Toch een vraag")
    entries = api.get(f"/communities/{c['slug']}/audit", "owner").get_json()["items"]
    mine = [(e["action"], e["actor"], e["target"]["type"], e["target"]["id"], e["reason"]) for e in entries
            if e["action"] in ("hidden", "unhidden", "flag_dismissed")]
    assert mine == [("unhidden", "mod", "post", post["id"], "Toch een vraag"),
                    ("hidden", "mod", "post", post["id"], "Reclame")]


def test_the_same_idempotency_key_flags_once(api, c):
    thread, post = thread_with_reply(api, c)
    body = {"target_type": "post", "target_id": post["id"], "reason": "Spam"}
    first = api.post("/flags", "sanne", json=body, headers={"Idempotency-Key": "flag-1"})
    again = api.post("/flags", "sanne", json=body, headers={"Idempotency-Key": "flag-1"})
    assert first.status_code == again.status_code == 201 and first.get_json() == again.get_json()


def test_the_pages_flag_form_and_the_moderators_flags_tab(app, api, c):
    thread, post = thread_with_reply(api, c, "Koop nu goedkope sigaretten")
    member = app.test_client()
    csrf = sign_in(member, "sanne")
    page = member.get(f"/threads/{thread['id']}").get_data(as_text=True)
    assert f'href="/flag/post/{post["id"]}"' in page
    form = member.get(f"/flag/post/{post['id']}")
    assert form.status_code == 200 and "Koop nu goedkope sigaretten" in form.get_data(as_text=True)
    empty = member.post(f"/flag/post/{post['id']}", data={"csrf_token": csrf, "reason": "  "})
    assert empty.status_code == 422
    sent = member.post(f"/flag/post/{post['id']}", data={"csrf_token": csrf, "reason": "Reclame"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith(f"/threads/{thread['id']}#post-{post['id']}")
    assert member.get(f"/c/{c['slug']}/flags").status_code == 404  # no such tab for a member

    moderator = app.test_client()
    mod_csrf = sign_in(moderator, "mod")
    queue = moderator.get(f"/c/{c['slug']}/flags").get_data(as_text=True)
    assert "Koop nu goedkope sigaretten" in queue and "<strong>sanne</strong>: Reclame" in queue
    [flag_id] = [f["id"] for f in api.get(f"/communities/{c['slug']}/flags", "mod").get_json()["items"]]
    hidden = moderator.post(f"/flags/{flag_id}/resolve", data={"csrf_token": mod_csrf, "action": "hide",
                                                               "state": "open"})
    assert hidden.status_code == 302 and hidden.headers["Location"].endswith(f"/c/{c['slug']}/flags?state=open")
    assert "sigaretten" not in member.get(f"/threads/{thread['id']}").get_data(as_text=True)
    mod_page = moderator.get(f"/threads/{thread['id']}").get_data(as_text=True)
    assert "sigaretten" in mod_page and "Hidden by a moderator" in mod_page
    refused = member.post(f"/flags/{flag_id}/resolve", data={"csrf_token": csrf, "action": "unhide"})
    assert refused.status_code == 403


def test_resolving_again_the_same_way_changes_nothing_and_logs_once(api, c):
    thread, post = thread_with_reply(api, c)
    f = flag(api, "sanne", "post", post["id"])
    resolve(api, f["id"], "dismiss", reason="Geen reclame")
    resolve(api, f["id"], "dismiss")
    resolve(api, f["id"], "hide")
    resolve(api, f["id"], "hide")
    actions = [e["action"] for e in api.get(f"/communities/{c['slug']}/audit", "owner").get_json()["items"]
               if e["action"] in ("hidden", "unhidden", "flag_dismissed")]
    assert actions == ["hidden", "flag_dismissed"]


def test_a_hidden_reply_deleted_by_a_moderator_leaves_the_count_once(api, c):
    thread, post = thread_with_reply(api, c)
    created(api.post(f"/threads/{thread['id']}/posts", "sanne", json={"body": "Gewoon een reactie"}))
    resolve(api, flag(api, "sanne", "post", post["id"])["id"], "hide")
    assert api.delete(f"/posts/{post['id']}", "mod").status_code == 204
    assert api.get(f"/threads/{thread['id']}", "kevin").get_json()["reply_count"] == 1
    queue = api.get(f"/communities/{c['slug']}/flags?state=hidden", "mod").get_json()["items"]
    assert queue[0]["target"] is None  # deleted since: the queue says so
