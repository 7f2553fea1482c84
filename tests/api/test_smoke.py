def test_health_reports_database_and_search(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "search": "ok"}


def test_owner_sees_created_community(api):
    anna = api.user("anna")
    created = api.community(anna, "Winkel Noord")
    listed = api.get("/communities", anna).get_json()["items"]
    assert [c["slug"] for c in listed] == [created["slug"]]
