"""GET /users/me/feed as a black box: what it picks, in which order, and nothing the reader may not read."""

from __future__ import annotations

import pytest


@pytest.fixture
def w(api):
    team = api.team("Winkelvloer", ("sanne", "kevin"))
    secret = api.community("owner", "Directie", visibility="private")
    other = api.community("owner", "Magazijn Noord")  # public; sanne is not a member
    return {"team": team, "secret": secret, "other": other}


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def ask(api, c, user, title, tags):
    return ok(api.post(f"/communities/{c['slug']}/questions", user, json={"title": title, "body": "Wie weet het?",
                                                                          "tags": tags}), 201)


def start(api, c, user, title, tags=()):
    return ok(api.post(f"/communities/{c['slug']}/threads", user, json={"title": title, "body": "Tips?",
                                                                        "tags": list(tags)}), 201)


def feed(api, user="sanne", **params):
    return ok(api.get("/users/me/feed", user, query_string=params))


def test_unanswered_questions_in_my_expertise_come_first_then_my_tags_then_my_communities(api, w):
    ok(api.call("PUT", "/users/me/expertise", "sanne", json={"tags": ["kassa"]}))
    ok(api.call("PUT", "/users/me/tags/heftruck", "sanne"))
    waiting = ask(api, w["team"], "kevin", "Kassa geeft foutcode 12", ["kassa"])
    tagged = start(api, w["other"], "owner", "Heftruck laadt niet op", ["heftruck"])  # not her community: her tag
    mine = start(api, w["team"], "kevin", "Rooster kerst")
    items = feed(api)["items"]
    assert [(i["type"], i["id"], i["reason"]) for i in items] == [
        ("question", waiting["id"], "expertise"), ("thread", tagged["id"], "tag"), ("thread", mine["id"], "community")]
    assert items[0]["answered"] is False and items[0]["url"] == f"/questions/{waiting['id']}"
    assert items[1]["community"] == w["other"]["slug"] and items[1]["tags"] == ["heftruck"]


def test_nothing_from_a_community_the_reader_cannot_read_nor_hidden_items(api, w):
    ok(api.call("PUT", "/users/me/tags/kassa", "sanne"))
    start(api, w["secret"], "owner", "Kassa reorganisatie", ["kassa"])  # private: she is not in it
    hidden = start(api, w["team"], "kevin", "Kassa spam", ["kassa"])
    first_post = api.get(f"/threads/{hidden['id']}", "kevin").get_json()["posts"][0]["id"]
    flag = ok(api.post("/flags", "mod", json={"target_type": "post", "target_id": first_post, "reason": "Spam"}),
              201)
    ok(api.post(f"/flags/{flag['id']}/resolve", "mod", json={"action": "hide"}))
    assert feed(api)["items"] == []
    assert [i["title"] for i in feed(api, "owner")["items"]] == ["Kassa reorganisatie"]


def test_following_and_unfollowing_a_tag(api, w):
    assert ok(api.call("PUT", "/users/me/tags/Heftruck", "sanne")) == {"tag": "heftruck", "following": True}
    ok(api.call("PUT", "/users/me/tags/heftruck", "sanne"))  # again: no change
    assert ok(api.get("/users/me/tags", "sanne"))["following"] == ["heftruck"]
    thread = start(api, w["other"], "owner", "Heftruck", ["heftruck"])
    assert [i["id"] for i in feed(api)["items"]] == [thread["id"]]
    assert api.delete("/users/me/tags/heftruck", "sanne").status_code == 204
    assert api.delete("/users/me/tags/heftruck", "sanne").status_code == 204
    assert feed(api)["items"] == []  # not her community, not her tag any more
    bad = api.call("PUT", "/users/me/tags/kassa%20rol", "sanne")
    assert bad.status_code == 422 and "tag" in bad.get_json()["error"]["fields"]
    assert api.get("/users/me/feed").status_code == 401


def test_the_feed_pages_through_its_order(api, w):
    made = [start(api, w["team"], "kevin", f"Onderwerp {n}")["id"] for n in range(5)]
    first = feed(api, limit=2)
    second = feed(api, limit=2, cursor=first["next"])
    third = feed(api, limit=2, cursor=second["next"])
    assert [i["id"] for i in first["items"] + second["items"] + third["items"]] == list(reversed(made))
    assert third["next"] is None
    assert api.get("/users/me/feed?cursor=abc", "sanne").status_code == 400


def test_the_home_page_shows_the_feed(app, api, w):
    from tests.api.test_discussions import sign_in

    ok(api.call("PUT", "/users/me/expertise", "sanne", json={"tags": ["kassa"]}))
    waiting = ask(api, w["team"], "kevin", "Kassa geeft foutcode 12", ["kassa"])
    browser = app.test_client()
    sign_in(browser, "sanne")
    page = browser.get("/").get_data(as_text=True)
    assert 'id="feed-title"' in page and f'href="/questions/{waiting["id"]}"' in page
    assert "feed-item--expertise" in page
