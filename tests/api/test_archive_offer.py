"""An ended cohort archived in one action: its moderators are offered it, and afterwards the group is
read-only while its members still find everything in it."""

from __future__ import annotations

from tests.api.test_discussions import sign_in


def test_an_ended_cohort_offers_archiving_and_stays_searchable_for_its_members(app, api):
    for name in ("trainer", "sanne", "outsider"):
        api.user(name)
    cohort = api.community("trainer", "Heftruck maart", kind="cohort", visibility="private",
                           starts_on="2026-03-02", ends_on="2026-03-06")
    api.member(cohort, "sanne", "trainer")
    thread = api.post(f"/communities/{cohort['slug']}/threads", "sanne",
                      json={"title": "Zwaartepunt", "body": "Hoe laag moeten de vorken?"}).get_json()
    assert api.get(f"/communities/{cohort['slug']}", "sanne").get_json()["phase"] == "follow_up"

    trainer, member = app.test_client(), app.test_client()
    csrf = sign_in(trainer, "trainer")
    sign_in(member, "sanne")
    page = trainer.get(f"/c/{cohort['slug']}").get_data(as_text=True)
    assert f'action="/c/{cohort["slug"]}/archive"' in page and "archive-offer" in page
    assert "archive-offer" not in member.get(f"/c/{cohort['slug']}").get_data(as_text=True)

    done = trainer.post(f"/c/{cohort['slug']}/archive", data={"csrf_token": csrf, "archived": "1"})
    assert done.status_code == 302
    assert api.get(f"/communities/{cohort['slug']}", "sanne").get_json()["phase"] == "archived"
    assert "archive-offer" not in trainer.get(f"/c/{cohort['slug']}").get_data(as_text=True)
    refused = api.post(f"/threads/{thread['id']}/posts", "sanne", json={"body": "Nog een vraag"})
    assert refused.status_code == 403
    hits = api.get("/search", "sanne", query_string={"q": "vorken"}).get_json()
    assert hits["total"] == 1 and hits["items"][0]["id"] == thread["id"]
    assert api.get("/search", "outsider", query_string={"q": "vorken"}).get_json()["total"] == 0
    entries = api.get(f"/communities/{cohort['slug']}/audit", "trainer").get_json()["items"]
    assert entries[0]["action"] == "archived" and entries[0]["actor"] == "trainer"
