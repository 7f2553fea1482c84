"""Static files carry a content version and are cached for a year."""

import re


def test_static_urls_carry_a_content_hash_and_are_cached_long(client):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', page)
    assert css, "the stylesheet link has no version"
    response = client.get(css.group(1))
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]


def test_unversioned_static_request_is_not_cached_long(client):
    response = client.get("/static/css/site.css")
    assert "max-age=31536000" not in response.headers.get("Cache-Control", "")
