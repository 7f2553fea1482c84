"""Racing retries against the real (gevent) server: one key, one write, one answer for all."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.factories import http_user

pytestmark = pytest.mark.e2e


def test_racing_retries_of_one_reply_post_it_once(live_server):
    base = live_server
    owner = http_user(base, "sleutelbaas")
    requests.post(f"{base}/api/v1/communities", headers=owner, timeout=10,
                  json={"name": "Sleutels", "kind": "practice", "visibility": "public", "join_policy": "open"})
    thread = requests.post(f"{base}/api/v1/communities/sleutels/threads", headers=owner, timeout=10,
                           json={"title": "Eén keer", "body": "Tel mee."}).json()

    def retry(_n: int) -> requests.Response:
        return requests.post(f"{base}/api/v1/threads/{thread['id']}/posts", timeout=30,
                             headers={**owner, "Idempotency-Key": "offline-concept-7"},
                             json={"body": "Geschreven zonder bereik."})

    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(retry, range(24)))
    assert [a.status_code for a in answers] == [201] * 24
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == 23
    view = requests.get(f"{base}/api/v1/threads/{thread['id']}", headers=owner, timeout=10).json()
    assert view["reply_count"] == 1 and len(view["posts"]) == 2
