"""The insight page: the trainer's figures and charts for moderators, and inviting a silent member."""

from __future__ import annotations

import re

from tests.e2e.pages import INLINE_SCRIPT, post, text


def _world(api):
    community = api.team("Winkelvloer", ("sanne", "lotte"))
    thread = api.post(f"/communities/{community['slug']}/threads", "sanne",
                      json={"title": "Kassarooster", "body": "Wie ruilt er zaterdag?"}).get_json()
    api.post(f"/communities/{community['slug']}/questions", "sanne",
             json={"title": "Hoe sluit ik de kassa af?", "body": "Graag uitleg.", "tags": ["kassa"]})
    return community, thread


def test_moderators_see_the_charts_the_waiting_question_and_the_silent_members(api, browser):
    community, thread = _world(api)
    mod = browser("mod")
    page = text(mod.get(f"/c/{community['slug']}"))
    assert f'href="/c/{community["slug"]}/insight"' in page  # the header's button, for moderators
    response = mod.get(f"/c/{community['slug']}/insight")
    html = text(response)
    assert response.status_code == 200
    charts = re.findall(r"<svg class=\"chart [^>]*>", html)
    assert len(charts) == 2 and all('role="img"' in svg and "viewBox=" in svg for svg in charts)
    assert "<title>Contributions per week</title>" in html and "<caption>Contributions per week</caption>" in html
    assert "Hoe sluit ik de kassa af?" in html and "waiting for" in html
    assert re.search(r'<input type="hidden" name="username" value="lotte">', html)
    assert f'<option value="{thread["id"]}">Kassarooster</option>' in html
    assert not INLINE_SCRIPT.search(html) and "style=" not in html


def test_the_invite_form_notifies_the_silent_member(api, browser):
    community, thread = _world(api)
    mod = browser("mod")
    response = post(mod, f"/c/{community['slug']}/insight/invitations",
                    {"username": "lotte", "thread_id": str(thread["id"])}, follow_redirects=True)
    assert response.status_code == 200 and "lotte is invited into the thread." in text(response)
    lotte = browser("lotte")
    assert "mod invited you to the thread “Kassarooster”" in text(lotte.get("/notifications"))


def test_the_invite_form_without_its_csrf_token_is_refused(api, browser):
    community, thread = _world(api)
    mod = browser("mod")
    response = mod.post(f"/c/{community['slug']}/insight/invitations",
                        data={"username": "lotte", "thread_id": str(thread["id"])})
    assert response.status_code == 400
    assert api.get("/notifications", "lotte").get_json()["items"] == []


def test_members_are_refused_and_outsiders_of_a_private_community_see_the_404_page(api, browser):
    community, _thread = _world(api)
    assert browser("sanne").get(f"/c/{community['slug']}/insight").status_code == 403
    assert f"/c/{community['slug']}/insight" not in text(browser("sanne").get(f"/c/{community['slug']}"))
    private = api.community("owner", "Besloten", visibility="private", join_policy="invite")
    missing = browser("outsider").get("/c/no-such-community/insight")
    hidden = browser("outsider").get(f"/c/{private['slug']}/insight")
    assert (hidden.status_code, missing.status_code) == (404, 404)
    heading = re.compile("<h1.*</h1>")
    assert "Besloten" not in text(hidden) and heading.findall(text(hidden)) == heading.findall(text(missing))


def test_the_invite_form_says_what_is_wrong_and_invites_nobody(api, browser):
    community, thread = _world(api)
    other = api.community("owner", "Elders")
    elsewhere = api.post(f"/communities/{other['slug']}/threads", "owner",
                         json={"title": "Ergens anders", "body": "Hier niet."}).get_json()
    mod = browser("mod")
    url = f"/c/{community['slug']}/insight/invitations"
    for data, problem in (({"username": "outsider", "thread_id": str(thread["id"])}, "Not an active member"),
                          ({"username": "lotte", "thread_id": "veel"}, "Enter a whole number."),
                          ({"username": "lotte", "thread_id": str(elsewhere["id"])}, "Only moderators")):
        page = text(post(mod, url, data, follow_redirects=True))
        assert problem in page and 'class="flash flash--error"' in page, data
    assert post(browser("sanne"), url, {"username": "lotte", "thread_id": str(thread["id"])}).status_code == 403
    assert api.get("/notifications", "lotte").get_json()["items"] == []
