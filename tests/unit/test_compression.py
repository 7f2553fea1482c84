"""Phones on slow links get gzip; pages stay safe from BREACH because their CSRF token is masked."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from community.csrf import mask, unmask
from tests.e2e.pages import CSRF_META, without_tokens

GZIP = {"Accept-Encoding": "gzip, deflate"}
STATIC = Path(__file__).resolve().parents[2] / "static"


def _versioned(client, name: str) -> str:
    page = client.get("/login").get_data(as_text=True)
    return re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{12}})"', page).group(1)


def test_versioned_static_files_are_cached_a_year_without_revalidating(client):
    response = client.get(_versioned(client, "css/site.css"))
    cache = response.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache and "no-cache" not in cache


def test_static_files_are_sent_gzipped_to_clients_that_accept_it(client):
    response = client.get(_versioned(client, "css/site.css"), headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.get_data()) == (STATIC / "css/site.css").read_bytes()
    assert int(response.headers["Content-Length"]) == len(response.get_data())


def test_clients_that_do_not_accept_gzip_get_the_plain_file(client):
    response = client.get(_versioned(client, "css/site.css"))
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "css/site.css").read_bytes()


def test_pages_are_gzipped_and_decompress_to_the_page(client):
    plain = client.get("/login").get_data(as_text=True)
    response = client.get("/login", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    page = gzip.decompress(response.get_data()).decode()
    assert without_tokens(page) == without_tokens(plain)


def test_small_answers_are_not_compressed(client):
    response = client.get("/healthz", headers=GZIP)
    assert "Content-Encoding" not in response.headers


def test_every_page_shows_its_csrf_token_with_new_bytes(client):
    first = CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)
    second = CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)
    assert first != second
    assert unmask(first) == unmask(second)


def test_a_masked_token_from_any_page_is_accepted(client):
    token = CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/language", data={"csrf_token": token, "locale": "nl"})
    assert response.status_code == 302


def test_an_unmasked_token_is_accepted_too(client):
    token = CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/language", data={"csrf_token": unmask(token), "locale": "nl"})
    assert response.status_code == 302


def test_a_tampered_token_is_refused(client):
    token = unmask(CSRF_META.search(client.get("/login").get_data(as_text=True)).group(1))
    # A character well inside the signature: base64's last character may carry only padding bits.
    forged = mask(token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:])
    response = client.post("/language", data={"csrf_token": forged, "locale": "nl"})
    assert response.status_code == 400


def test_garbage_that_looks_masked_is_refused_not_a_crash(client):
    client.get("/login")
    for value in ("m.", "m.!!!", "m.YQ", "m." + "A" * 5):
        assert client.post("/language", data={"csrf_token": value, "locale": "nl"}).status_code == 400
