"""Resources in GET /api/v1/search: words inside uploaded files are found, deleted ones at once are not."""

from __future__ import annotations

import io

from tests.documents import docx_with_text, pdf_with_text


def upload(api, user, community, data: bytes, filename: str, **form):
    response = api.post(f"/communities/{community['slug']}/resources", user, json=None,
                        data={"file": (io.BytesIO(data), filename), **form}, content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def found(api, user, q, **params):
    response = api.get("/search", user, query_string={"q": q, **params})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_word_inside_an_uploaded_pdf_is_found(api):
    anna, bert = api.user("anna"), api.user("bert")
    magazijn = api.community(anna, "Magazijn")
    api.member(magazijn, bert, anna)
    r = upload(api, anna, magazijn, pdf_with_text("Veiligheidsschoenen zijn verplicht in hal drie"), "regels.pdf")
    result = found(api, bert, "veiligheidsschoenen", type="resource")
    assert [(i["type"], i["id"]) for i in result["items"]] == [("resource", r["id"])]
    assert result["items"][0]["url"] == f"/resources/{r['id']}"
    assert "<mark>" in result["items"][0]["snippet_html"]


def test_a_word_inside_a_docx_is_found_and_a_deleted_resource_stops_matching(api):
    anna = api.user("anna")
    magazijn = api.community(anna, "Magazijn")
    r = upload(api, anna, magazijn, docx_with_text("Het kassarooster van week twaalf"), "rooster.docx")
    assert found(api, anna, "kassarooster")["total"] == 1
    assert api.delete(f"/resources/{r['id']}", anna).status_code == 204
    assert found(api, anna, "kassarooster")["total"] == 0


def test_a_private_communitys_files_are_not_found_by_outsiders(api):
    boss, outsider = api.user("boss"), api.user("outsider")
    private = api.community(boss, "Directie", visibility="private", join_policy="invite")
    upload(api, boss, private, b"Het reorganisatieplan voor volgend jaar", "plan.txt")
    assert found(api, boss, "reorganisatieplan")["total"] == 1
    result = found(api, outsider, "reorganisatieplan")
    assert (result["total"], result["items"]) == (0, [])
