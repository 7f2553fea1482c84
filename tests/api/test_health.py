"""GET /healthz reports each part, and 503 names the failing one."""


def test_healthy_server_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "search": "ok"}


def test_unreachable_database_gives_503_naming_it(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing-dir/nope/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "failing" and response.get_json()["status"] == "failing"


def test_unwritable_search_storage_gives_503_naming_it(app):
    from pathlib import Path

    search = Path(app.config["INSTANCE"]) / "search"
    search.parent.mkdir(parents=True, exist_ok=True)
    search.write_text("a file where the index folder should be")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "failing", "database": "ok", "search": "failing"}
