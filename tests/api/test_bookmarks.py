"""Bookmarks as the contract states them: any readable item saved once with a note, only by its owner,
and an item the owner can no longer read drops out of their list."""

from __future__ import annotations

import pytest


@pytest.fixture
def c(api):
    return api.team("Winkelvloer", ("sanne", "kevin"), visibility="private")


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def items(api, user="sanne", q=None, **params):
    return ok(api.get("/users/me/bookmarks", user, query_string={**({"q": q} if q else {}), **params}))["items"]


def content(api, c):
    slug = c["slug"]
    thread = ok(api.post(f"/communities/{slug}/threads", "kevin",
                         json={"title": "Kassarol vervangen", "body": "Hoe vervang ik de kassarol?"}), 201)
    post = ok(api.post(f"/threads/{thread['id']}/posts", "kevin", json={"body": "Klep open, rol erin."}), 201)
    question = ok(api.post(f"/communities/{slug}/questions", "kevin",
                           json={"title": "Waar ligt de sleutel van de kluis?", "body": "Graag", "tags": ["kluis"]}),
                  201)
    answer = ok(api.post(f"/questions/{question['id']}/answers", "mod", json={"body": "In de la."}), 201)
    resource = ok(api.post(f"/communities/{slug}/resources", "kevin",
                           json={"title": "Sluitronde", "description": "1. Deuren\n2. Licht"}), 201)
    message = ok(api.post(f"/communities/{slug}/messages", "kevin", json={"body": "Pauze om tien uur"}), 201)
    return {"post": post, "question": question, "answer": answer, "resource": resource, "message": message,
            "thread": thread}


def save(api, user, target_type, target_id, status=201, **extra):
    return ok(api.post("/bookmarks", user, json={"target_type": target_type, "target_id": target_id, **extra}), status)


def test_every_kind_of_item_is_saved_with_its_title_and_link_newest_first(api, c):
    made = content(api, c)
    for kind in ("post", "question", "answer", "resource", "message"):
        saved = save(api, "sanne", kind, made[kind]["id"], note=f"voor later: {kind}")
        assert (saved["target_type"], saved["target_id"], saved["note"]) == (kind, made[kind]["id"],
                                                                             f"voor later: {kind}")
        assert saved["created_at"].endswith("Z") and saved["url"].startswith("/")
    listed = items(api)
    assert [b["target_type"] for b in listed] == ["message", "resource", "answer", "question", "post"]
    titles = {b["target_type"]: b["title"] for b in listed}
    assert titles["post"] == "Kassarol vervangen" and titles["answer"] == "Waar ligt de sleutel van de kluis?"
    assert titles["resource"] == "Sluitronde" and titles["message"] == "Winkelvloer"
    assert {b["url"] for b in listed} >= {f"/threads/{made['thread']['id']}#post-{made['post']['id']}",
                                          f"/resources/{made['resource']['id']}"}


def test_the_same_item_again_keeps_one_bookmark_and_replaces_its_note(api, c):
    made = content(api, c)
    first = save(api, "sanne", "post", made["post"]["id"], note="eerste")
    again = save(api, "sanne", "post", made["post"]["id"], status=200, note="tweede")
    assert again["id"] == first["id"] and again["note"] == "tweede"
    kept = save(api, "sanne", "post", made["post"]["id"], status=200)  # no note given: the note stays
    assert kept["note"] == "tweede"
    assert len(items(api)) == 1


def test_only_the_owner_changes_or_removes_a_bookmark(api, c):
    made = content(api, c)
    mine = save(api, "sanne", "question", made["question"]["id"])
    assert api.patch(f"/bookmarks/{mine['id']}", "kevin", json={"note": "x"}).status_code == 404
    assert api.delete(f"/bookmarks/{mine['id']}", "kevin").status_code == 404
    assert items(api, "kevin") == []
    assert ok(api.patch(f"/bookmarks/{mine['id']}", "sanne", json={"note": "nakijken"}))["note"] == "nakijken"
    assert api.delete(f"/bookmarks/{mine['id']}", "sanne").status_code == 204
    assert items(api) == []
    assert api.delete(f"/bookmarks/{mine['id']}", "sanne").status_code == 404


def test_an_item_the_owner_cannot_read_is_not_saved_and_drops_out_when_access_ends(api, c):
    made = content(api, c)
    assert api.post("/bookmarks", "outsider", json={"target_type": "post", "target_id": made["post"]["id"]}
                    ).status_code == 404
    assert api.post("/bookmarks", json={"target_type": "post", "target_id": made["post"]["id"]}).status_code == 401
    for kind in ("post", "resource", "message"):
        save(api, "sanne", kind, made[kind]["id"])
    # Hidden by a moderator: gone from her list; shown again: back.
    flag = ok(api.post("/flags", "mod", json={"target_type": "resource", "target_id": made["resource"]["id"],
                                              "reason": "Verouderd"}), 201)
    ok(api.post(f"/flags/{flag['id']}/resolve", "mod", json={"action": "hide"}))
    assert {b["target_type"] for b in items(api)} == {"post", "message"}
    ok(api.post(f"/flags/{flag['id']}/resolve", "mod", json={"action": "unhide"}))
    assert {b["target_type"] for b in items(api)} == {"post", "resource", "message"}
    # Deleted: gone.
    assert api.delete(f"/messages/{made['message']['id']}", "kevin").status_code in (200, 204)
    assert {b["target_type"] for b in items(api)} == {"post", "resource"}
    # Banned from the private community: nothing of it is left in her list.
    ok(api.patch(f"/communities/{c['slug']}/members/sanne", "owner", json={"state": "banned"}))
    assert items(api) == []


def test_bookmarks_are_searched_by_note_title_and_text(api, c):
    made = content(api, c)
    save(api, "sanne", "post", made["post"]["id"], note="handig voor de nachtdienst")
    save(api, "sanne", "question", made["question"]["id"])
    assert [b["target_type"] for b in items(api, q="nachtdienst")] == ["post"]
    assert [b["target_type"] for b in items(api, q="KLUIS sleutel")] == ["question"]
    assert [b["target_type"] for b in items(api, q="klep")] == ["post"]  # the post's own text
    assert items(api, q="magazijn") == []


def test_pages_stay_full_when_items_drop_out(api, c):
    made = content(api, c)
    save(api, "sanne", "post", made["post"]["id"])
    for n in range(5):
        message = ok(api.post(f"/communities/{c['slug']}/messages", "kevin", json={"body": f"bericht {n}"}), 201)
        save(api, "sanne", "message", message["id"])
        if n % 2 == 0:
            assert api.delete(f"/messages/{message['id']}", "kevin").status_code in (200, 204)
    first = ok(api.get("/users/me/bookmarks", "sanne", query_string={"limit": 2}))
    assert len(first["items"]) == 2 and first["next"]
    second = ok(api.get("/users/me/bookmarks", "sanne", query_string={"limit": 2, "cursor": first["next"]}))
    assert len(second["items"]) == 1 and second["next"] is None
    assert [b["target_type"] for b in first["items"] + second["items"]] == ["message", "message", "post"]


@pytest.mark.parametrize("body, status", [
    ({"target_type": "thread", "target_id": 1}, 422), ({"target_type": "post", "target_id": "1"}, 400),
    ({"target_type": "post", "target_id": 0}, 422), ({"target_type": "post"}, 422),
    ({"target_type": "post", "target_id": 1, "note": "x" * 1001}, 422), (["post"], 400),
    ({"target_type": "post", "target_id": 10 ** 30}, 422),
])
def test_bad_bookmarks_get_the_contracts_error(api, c, body, status):
    response = api.post("/bookmarks", "sanne", json=body)
    assert response.status_code == status and "error" in response.get_json()


def test_a_bad_cursor_or_note_gets_the_contracts_error(api, c):
    made = content(api, c)
    mine = save(api, "sanne", "post", made["post"]["id"])
    assert api.get("/users/me/bookmarks?cursor=abc", "sanne").status_code == 400
    assert api.patch(f"/bookmarks/{mine['id']}", "sanne", json={"note": 5}).status_code == 400
    assert api.patch(f"/bookmarks/{mine['id']}", "sanne", json={}).status_code == 422


def test_the_same_idempotency_key_saves_once(api, c):
    made = content(api, c)
    body = {"target_type": "post", "target_id": made["post"]["id"]}
    first = api.post("/bookmarks", "sanne", json=body, headers={"Idempotency-Key": "bm-1"})
    again = api.post("/bookmarks", "sanne", json=body, headers={"Idempotency-Key": "bm-1"})
    assert first.status_code == again.status_code == 201 and first.get_json() == again.get_json()


def test_the_save_buttons_and_the_saved_page(app, api, c):
    from tests.api.test_discussions import sign_in

    made = content(api, c)
    browser = app.test_client()
    csrf = sign_in(browser, "sanne")
    thread_page = browser.get(f"/threads/{made['thread']['id']}").get_data(as_text=True)
    assert 'action="/bookmarks/save"' in thread_page and f'name="target_id" value="{made["post"]["id"]}"' in thread_page
    question_page = browser.get(f"/questions/{made['question']['id']}").get_data(as_text=True)
    assert f'name="target_id" value="{made["answer"]["id"]}"' in question_page
    assert 'action="/bookmarks/save"' in browser.get(f"/resources/{made['resource']['id']}").get_data(as_text=True)

    saved = browser.post("/bookmarks/save", data={"csrf_token": csrf, "target_type": "post",
                                                  "target_id": str(made["post"]["id"])})
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#post-{made['post']['id']}")
    page = browser.get("/bookmarks").get_data(as_text=True)
    assert "Kassarol vervangen" in page and "Klep open" in page
    assert "Kassarol" not in browser.get("/bookmarks?q=magazijn").get_data(as_text=True)
    [mine] = items(api)
    removed = browser.post(f"/bookmarks/{mine['id']}/remove", data={"csrf_token": csrf})
    assert removed.status_code == 302 and items(api) == []
    outsider = app.test_client()
    outsider_csrf = sign_in(outsider, "outsider")
    refused = outsider.post("/bookmarks/save", data={"csrf_token": outsider_csrf, "target_type": "post",
                                                     "target_id": str(made["post"]["id"])})
    assert refused.status_code == 404
