"""Racing writes against the real (gevent) server lose nothing and never fail."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.factories import http_user

pytestmark = pytest.mark.e2e


def test_parallel_replies_joins_and_reactions_are_all_counted(live_server):
    base = live_server
    owner = http_user(base, "racebaas")
    requests.post(f"{base}/api/v1/communities", headers=owner, timeout=10,
                  json={"name": "Race", "kind": "practice", "visibility": "public", "join_policy": "open"})
    thread = requests.post(f"{base}/api/v1/communities/race/threads", headers=owner, timeout=10,
                           json={"title": "Wie is er?", "body": "Meld je."}).json()
    root = thread["posts"][0]["id"]
    people = [http_user(base, f"racer{n}") for n in range(12)]

    def take_part(auth: dict) -> list[int]:
        codes = [requests.post(f"{base}/api/v1/communities/race/join", headers=auth, timeout=30).status_code]
        codes += [requests.post(f"{base}/api/v1/threads/{thread['id']}/posts", headers=auth, timeout=30,
                                json={"body": f"Hier {n}", "parent_id": root}).status_code for n in range(3)]
        codes += [requests.post(f"{base}/api/v1/posts/{root}/reactions", headers=auth, timeout=30,
                                json={"emoji": "👍"}).status_code for _ in range(2)]
        return codes

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(take_part, people))
    assert all(codes == [200, 201, 201, 201, 200, 200] for codes in results), results
    view = requests.get(f"{base}/api/v1/threads/{thread['id']}", headers=owner, timeout=10).json()
    assert view["reply_count"] == 36 and len(view["posts"]) == 37
    assert view["posts"][0]["reactions"] == {"👍": 12}
    community = requests.get(f"{base}/api/v1/communities/race", headers=owner, timeout=10).json()
    assert community["member_count"] == 13
