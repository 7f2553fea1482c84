"""The Resources tab and a resource's page, through the HTML forms as a browser sends them."""

from __future__ import annotations

import io
import re

from tests.documents import pdf_with_text
from tests.e2e.pages import csrf_token, post, text
from tests.factories import PASSWORD


def signed_in(app, api, username):
    client = app.test_client()
    post(client, "/login", {"login": username, "password": PASSWORD})
    return client


def test_member_shares_a_file_from_the_tab_opens_its_page_and_deletes_it(app, api):
    anna = api.user("anna")
    community = api.community(anna, "Magazijn")
    client = signed_in(app, api, anna)
    tab = text(client.get(f"/c/{community['slug']}/resources"))
    assert 'enctype="multipart/form-data"' in tab and 'name="file"' in tab
    key = re.search(r'name="idempotency_key" value="([^"]+)"', tab).group(1)
    response = client.post(f"/c/{community['slug']}/resources", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client), "idempotency_key": key, "kind": "file", "title": "",
        "tags": "veiligheid", "description": "Lees **dit**.",
        "file": (io.BytesIO(pdf_with_text("Veiligheidsschoenen")), "regels.pdf")})
    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    resource_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert "regels.pdf" in page and "<strong>dit</strong>" in page
    assert f"/api/v1/resources/{resource_id}/download" in page
    assert "regels.pdf" in text(client.get(f"/c/{community['slug']}/resources?tag=veiligheid"))
    deleted = post(client, f"/resources/{resource_id}/delete")
    assert deleted.status_code == 302
    assert client.get(f"/resources/{resource_id}").status_code == 404


def test_a_bad_link_comes_back_with_its_problem(app, api):
    anna = api.user("anna")
    community = api.community(anna, "Magazijn")
    client = signed_in(app, api, anna)
    response = post(client, f"/c/{community['slug']}/resources", {"kind": "link", "title": "Een link",
                                                                   "url": "javascript:alert(1)"})
    assert response.status_code == 422 and "http://" in text(response)
