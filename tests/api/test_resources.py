"""Shared resources as the contract states them (API.md, Shared resources), driven as a black box."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.documents import docx_with_text, docx_zip_bomb, pdf_with_text


@pytest.fixture
def c(api):
    """A public community with an owner, a moderator, two members and an outsider."""
    return api.team("Magazijn", ("anna", "bert"))


def path(community) -> str:
    return f"/communities/{community['slug']}/resources"


def upload(api, user, community, data: bytes, filename: str, headers=None, **form):
    return api.post(path(community), user, json=None, data={"file": (io.BytesIO(data), filename), **form},
                    content_type="multipart/form-data", headers=dict(headers or {}))


def shared(response) -> dict:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def code(response) -> str:
    return response.get_json()["error"]["code"]


def stored_files(app) -> list[Path]:
    folder = Path(app.config["INSTANCE"]) / "uploads"
    return [p for p in folder.iterdir() if not p.name.startswith(".")] if folder.exists() else []


# --- kinds ------------------------------------------------------------------------------------

def test_member_shares_a_link_with_tags(api, c):
    r = shared(api.post(path(c), "anna", json={"title": "Veilig heftruckrijden", "url": "https://example.org/a",
                                               "description": "Lees *dit*.", "tags": ["Veiligheid"]}))
    assert (r["kind"], r["url"], r["tags"], r["filename"]) == ("link", "https://example.org/a", ["veiligheid"], None)
    assert "<em>dit</em>" in r["description_html"]
    assert r["author"]["username"] == "anna"
    assert api.get(f"/resources/{r['id']}", "bert").get_json()["title"] == "Veilig heftruckrijden"


def test_json_without_url_is_a_note_and_needs_its_text(api, c):
    r = shared(api.post(path(c), "anna", json={"title": "Sluitronde", "description": "1. Deuren\n2. Licht"}))
    assert r["kind"] == "note" and "<ol>" in r["description_html"]
    missing = api.post(path(c), "anna", json={"title": "Leeg"})
    assert missing.status_code == 422 and "description" in missing.get_json()["error"]["fields"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/x",
                                 "https://", "example.org", "http://exa mple.org"])
def test_a_link_must_be_http_or_https(api, c, url):
    response = api.post(path(c), "anna", json={"title": "Een link", "url": url})
    assert response.status_code == 422 and "url" in response.get_json()["error"]["fields"]


def test_file_upload_defaults_its_title_to_the_file_name(api, c, app):
    text = b"# Sluitronde\n\nAlle deuren dicht."
    r = shared(upload(api, "anna", c, text, "sluitronde.md", tags="Kassa, open"))
    assert (r["kind"], r["title"], r["filename"], r["tags"]) == ("file", "sluitronde.md", "sluitronde.md",
                                                                 ["kassa", "open"])
    assert (r["content_type"], r["size"], r["searchable"]) == ("text/plain", len(text), True)
    files = stored_files(app)
    assert len(files) == 1 and "sluitronde" not in files[0].name  # the stored name is the server's


def test_list_filters_by_tag_newest_first(api, c):
    a = shared(api.post(path(c), "anna", json={"title": "Eerste", "url": "https://a.example", "tags": ["kassa"]}))
    b = shared(api.post(path(c), "bert", json={"title": "Tweede", "url": "https://b.example", "tags": ["magazijn"]}))
    assert [i["id"] for i in api.get(path(c), "anna").get_json()["items"]] == [b["id"], a["id"]]
    assert [i["id"] for i in api.get(path(c) + "?tag=Kassa", "anna").get_json()["items"]] == [a["id"]]


def test_creating_post_is_idempotent(api, c):
    headers = {"Idempotency-Key": "res-1"}
    first = api.post(path(c), "anna", json={"title": "Eens", "url": "https://a.example"}, headers=dict(headers))
    again = api.post(path(c), "anna", json={"title": "Eens", "url": "https://a.example"}, headers=dict(headers))
    assert first.status_code == again.status_code == 201 and first.get_json()["id"] == again.get_json()["id"]
    assert len(api.get(path(c), "anna").get_json()["items"]) == 1


# --- files: limits and types ------------------------------------------------------------------

def test_a_file_over_the_upload_limit_is_413_too_large(make_app):
    from tests.factories import Api

    api = Api(make_app(UPLOAD_MAX=1000))
    api.user("owner")
    community = api.community("owner", "Klein")
    response = upload(api, "owner", community, b"x" * 1001, "groot.txt")
    assert response.status_code == 413 and code(response) == "too_large"
    assert shared(upload(api, "owner", community, b"x" * 1000, "precies.txt"))["size"] == 1000


def test_a_request_far_over_the_limit_is_413_too(api, c, app):
    response = upload(api, "anna", c, b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1), "enorm.txt")
    assert response.status_code == 413 and code(response) == "too_large"


@pytest.mark.parametrize("data,name,expected", [
    (pdf_with_text("Hallo"), "handleiding.bin", "application/pdf"),
    (docx_with_text("Hallo"), "rooster.zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "plaatje", "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 20, "foto", "image/jpeg"),
    (b"GIF89a" + b"\0" * 20, "anim", "image/gif"),
    (b"RIFF\0\0\0\0WEBPVP8 ", "foto.webp", "image/webp"),
    (b"<html><script>alert(1)</script></html>", "pagina.html", "text/plain"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.svg", "text/plain"),
    (bytes(range(256)), "ruis.dat", "application/octet-stream"),
])
def test_the_stored_type_comes_from_the_content_not_the_client(api, c, data, name, expected):
    response = api.post(path(c), "anna", json=None, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(data), name, "text/html")})
    assert shared(response)["content_type"] == expected


@pytest.mark.parametrize("name", ["rapport.pdf", "brief.docx", "foto.png"])
def test_a_file_that_is_not_what_its_name_claims_is_422(api, c, name):
    response = upload(api, "anna", c, b"<html>nothing of the kind</html>", name)
    assert response.status_code == 422 and "file" in response.get_json()["error"]["fields"]


def test_download_is_an_attachment_with_nosniff(api, c):
    data = pdf_with_text("Veiligheidsschoenen verplicht")
    r = shared(upload(api, "anna", c, data, "veiligheid.pdf"))
    response = api.get(f"/resources/{r['id']}/download", "bert")
    assert response.status_code == 200 and response.data == data
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "veiligheid.pdf" in response.headers["Content-Disposition"]
    assert response.mimetype == "application/pdf"


@pytest.mark.parametrize("data,name", [(b"<!doctype html><script>alert(1)</script>", "x.html"),
                                       (b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>', "x.svg")])
def test_html_and_svg_are_never_served_as_such(api, c, data, name):
    r = shared(upload(api, "anna", c, data, name))
    response = api.get(f"/resources/{r['id']}/download", "bert")
    assert response.mimetype not in ("text/html", "image/svg+xml")
    assert response.mimetype == "text/plain" and response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_link_has_no_download(api, c):
    r = shared(api.post(path(c), "anna", json={"title": "Een link", "url": "https://a.example"}))
    assert api.get(f"/resources/{r['id']}/download", "anna").status_code == 404


# --- hostile files ----------------------------------------------------------------------------

def test_text_is_extracted_from_pdf_and_docx(api, c, app):
    pdf = shared(upload(api, "anna", c, pdf_with_text("Heftruckcertificaat verlopen"), "cert.pdf"))
    docx = shared(upload(api, "anna", c, docx_with_text("Kassarooster van week 12"), "rooster.docx"))
    assert pdf["searchable"] and docx["searchable"]
    with app.app_context():
        from community.extensions import db
        from community.resources.models import Resource
        assert "Heftruckcertificaat" in db.session.get(Resource, pdf["id"]).extracted_text
        assert "Kassarooster" in db.session.get(Resource, docx["id"]).extracted_text


def test_a_docx_zip_bomb_is_stored_unsearchable_not_unpacked(api, c):
    r = shared(upload(api, "anna", c, docx_zip_bomb(300), "bom.docx"))
    assert r["kind"] == "file" and r["searchable"] is False


@pytest.mark.parametrize("data", [
    pdf_with_text("Afgebroken bestand")[:120],
    b"%PDF-1.7\n" + b"1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\n" * 5000 + b"trailer << /Root 1 0 R >>",
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 40,
])
def test_a_truncated_or_hostile_pdf_is_stored_unsearchable(api, c, data):
    response = upload(api, "anna", c, data, "kapot.pdf")
    assert response.status_code == 201 and response.get_json()["searchable"] is False


def test_extraction_that_takes_too_long_is_cut_off(make_app):
    from tests.factories import Api

    api = Api(make_app(EXTRACT_SECONDS=0.001))
    api.user("owner")
    community = api.community("owner", "Snel")
    r = shared(upload(api, "owner", community, pdf_with_text("Te traag"), "traag.pdf"))
    assert r["searchable"] is False


def test_no_transaction_is_open_while_a_file_is_parsed(api, c, app, monkeypatch):
    """No lock is held meanwhile: on SQLite another connection (as another process would) may write."""
    import sqlite3

    from community.extensions import db
    from community.resources import extract

    parse, seen = extract.extract_text, []
    uri = app.config["SQLALCHEMY_DATABASE_URI"]

    def parse_while_another_writes(*args, **kwargs):
        seen.append(db.session().in_transaction())
        if uri.startswith("sqlite:"):
            other = sqlite3.connect(uri.removeprefix("sqlite:///"), timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")  # fails at once with "database is locked" if a write is open
                other.rollback()
            finally:
                other.close()
        return parse(*args, **kwargs)

    monkeypatch.setattr(extract, "extract_text", parse_while_another_writes)
    first = upload(api, "anna", c, pdf_with_text("Kassarooster"), "rooster.pdf", headers={"Idempotency-Key": "f-1"})
    again = upload(api, "anna", c, pdf_with_text("Kassarooster"), "rooster.pdf", headers={"Idempotency-Key": "f-1"})
    assert seen == [False] and shared(first)["id"] == shared(again)["id"]
    assert len(api.get(path(c), "anna").get_json()["items"]) == 1


# --- access -----------------------------------------------------------------------------------

def test_private_community_resources_are_404_to_outsiders(api, c):
    api.user("boss")
    private = api.community("boss", "Directie", visibility="private", join_policy="invite")
    r = shared(upload(api, "boss", private, b"geheim", "plan.txt"))
    for route in (path(private), f"/resources/{r['id']}", f"/resources/{r['id']}/download"):
        response = api.get(route, "outsider")
        assert response.status_code == 404 and code(response) == "not_found"
    assert api.delete(f"/resources/{r['id']}", "outsider").status_code == 404
    assert upload(api, "outsider", private, b"x", "x.txt").status_code == 404


def test_non_member_may_read_a_public_community_but_not_share(api, c):
    r = shared(api.post(path(c), "anna", json={"title": "Een link", "url": "https://a.example"}))
    assert api.get(f"/resources/{r['id']}", "outsider").status_code == 200
    response = api.post(path(c), "outsider", json={"title": "Van buiten", "url": "https://b.example"})
    assert response.status_code == 403 and code(response) == "forbidden"


def test_signed_out_gets_401(api, c):
    assert api.get(path(c)).status_code == 401


def test_banned_member_may_not_share(api, c):
    assert api.patch(f"/communities/{c['slug']}/members/bert", "owner", json={"state": "banned"}).status_code == 200
    response = api.post(path(c), "bert", json={"title": "Toch", "url": "https://b.example"})
    assert response.status_code == 403 and code(response) == "banned"


def test_author_or_moderator_deletes_and_the_file_goes(api, c, app):
    mine = shared(upload(api, "anna", c, b"notities", "mijn.txt"))
    theirs = shared(upload(api, "anna", c, b"meer", "ander.txt"))
    refused = api.delete(f"/resources/{mine['id']}", "bert")
    assert refused.status_code == 403 and code(refused) == "forbidden"
    assert api.delete(f"/resources/{mine['id']}", "anna").status_code == 204
    assert api.delete(f"/resources/{theirs['id']}", "mod").status_code == 204
    assert api.get(f"/resources/{mine['id']}", "anna").status_code == 404
    assert stored_files(app) == []
