"""Search on real server processes: findable when the POST returns, gone when deleted, one index for two
processes, a lost index rebuilt at start."""

from __future__ import annotations

import re
import shutil

import pytest
import requests

from tests.conftest import start_server, stop_server
from tests.factories import PASSWORD, http_user

pytestmark = pytest.mark.e2e


def _search(base, headers, q):
    response = requests.get(f"{base}/api/v1/search", params={"q": q}, headers=headers, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def _world(base):
    anna = http_user(base, "anna")
    community = requests.post(f"{base}/api/v1/communities", headers=anna, timeout=10, json={
        "name": "Magazijn", "kind": "practice", "visibility": "public", "join_policy": "open"}).json()
    thread = requests.post(f"{base}/api/v1/communities/{community['slug']}/threads", headers=anna, timeout=10,
                           json={"title": "Heftruckcertificaat", "body": "Wie verlengt zijn certificaat?"}).json()
    return anna, thread


def test_reply_findable_on_return_deleted_gone_and_the_page_marks_it(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    process, base = start_server(instance)
    try:
        anna, thread = _world(base)
        reply = requests.post(f"{base}/api/v1/threads/{thread['id']}/posts", headers=anna, timeout=10,
                              json={"body": "Bij de trainingen van de kassa."}).json()
        assert [i["id"] for i in _search(base, anna, "training")["items"]] == [reply["id"]]
        assert _search(base, anna, "heftruck")["total"] == 1
        assert requests.delete(f"{base}/api/v1/posts/{reply['id']}", headers=anna, timeout=10).status_code == 204
        assert _search(base, anna, "training")["total"] == 0

        browser = requests.Session()
        page = browser.get(f"{base}/login", timeout=10).text
        csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
        browser.post(f"{base}/login", data={"login": "anna", "password": PASSWORD, "csrf_token": csrf}, timeout=10)
        html = browser.get(f"{base}/search", params={"q": "certificaat"}, timeout=10).text
        assert "<mark>certificaat</mark>" in html and f'href="/threads/{thread["id"]}"' in html
        assert 'role="search"' in html
    finally:
        stop_server(process)


def test_two_processes_share_one_index_and_a_lost_index_is_rebuilt_at_start(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    first, base = start_server(instance)
    second = None
    try:
        anna, thread = _world(base)
        second, other = start_server(instance)
        written = requests.post(f"{other}/api/v1/threads/{thread['id']}/posts", headers=anna, timeout=10,
                                json={"body": "Geschreven op de tweede: scanner"}).json()
        assert [i["id"] for i in _search(base, anna, "scanner")["items"]] == [written["id"]]
        stop_server(first)
        stop_server(second)
        second = None
        shutil.rmtree(instance / "search")
        first, base = start_server(instance)
        assert _search(base, anna, "scanner")["total"] == 1
        assert requests.get(f"{base}/healthz", timeout=10).json()["search"] == "ok"
    finally:
        stop_server(first)
        if second is not None:
            stop_server(second)
