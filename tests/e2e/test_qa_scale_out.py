"""Q&A through several server processes on one database: racing votes all count, escalation notifies once.

Real ``python wsgi.py`` processes on one instance folder (SQLite) or one
PostgreSQL database (skipped with a message where none answers), as in
test_scale_out.py (the ``database_env`` and ``start_processes`` fixtures of
tests/e2e/conftest.py). Each process runs its own scheduler loop; the claimed
rows are what keeps them from escalating a question twice.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.factories import http_user

pytestmark = pytest.mark.e2e


def _community(base: str, owner: dict) -> None:
    response = requests.post(f"{base}/api/v1/communities", headers=owner, timeout=30, json={
        "name": "Vragenuur", "kind": "practice", "visibility": "public", "join_policy": "open"})
    assert response.status_code == 201, response.text


def _join(base: str, username: str) -> dict:
    auth = http_user(base, username)
    assert requests.post(f"{base}/api/v1/communities/vragenuur/join", headers=auth, timeout=30).status_code == 200
    return auth


def _ask(base: str, auth: dict, tags: list[str]) -> dict:
    response = requests.post(f"{base}/api/v1/communities/vragenuur/questions", headers=auth, timeout=30,
                             json={"title": "Wie weet het?", "body": "Graag snel.", "tags": tags})
    assert response.status_code == 201, response.text
    return response.json()


def test_twenty_racing_voters_through_two_processes_all_count(start_processes):
    bases = [base for _process, base in start_processes(2)]
    owner = http_user(bases[0], "baas")
    _community(bases[0], owner)
    question = _ask(bases[0], owner, ["drukte"])
    helper = _join(bases[1], "helper")
    answer = requests.post(f"{bases[1]}/api/v1/questions/{question['id']}/answers", headers=helper, timeout=30,
                           json={"body": "Zo doe je dat."}).json()
    voters = [_join(bases[n % 2], f"stemmer{n}") for n in range(20)]

    def vote(n: int) -> int:
        return requests.post(f"{bases[n % 2]}/api/v1/answers/{answer['id']}/vote", headers=voters[n], timeout=60,
                             json={"value": 1}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(vote, range(20)))
    assert codes == [200] * 20
    for base in bases:
        view = requests.get(f"{base}/api/v1/questions/{question['id']}", headers=owner, timeout=30).json()
        assert view["answers"][0]["score"] == 20
    # Everyone votes again, half of them turning around: the score follows exactly.
    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(lambda n: requests.post(
            f"{bases[(n + 1) % 2]}/api/v1/answers/{answer['id']}/vote", headers=voters[n], timeout=60,
            json={"value": -1 if n % 2 else 1}).status_code, range(20)))
    assert codes == [200] * 20
    view = requests.get(f"{bases[1]}/api/v1/questions/{question['id']}", headers=owner, timeout=30).json()
    assert view["answers"][0]["score"] == 0


def _expert_requests(base: str, auth: dict) -> list[dict]:
    items = requests.get(f"{base}/api/v1/notifications", headers=auth, timeout=30).json()["items"]
    return [n for n in items if n["kind"] == "expert_request"]


@pytest.fixture
def fast_escalation(database_env):
    database_env.update({"COMMUNITY_ESCALATION_AFTER": "2", "COMMUNITY_SCHEDULER_INTERVAL": "0.2",
                         "COMMUNITY_EXPERTS_PER_QUESTION": "1"})
    return database_env


def test_escalation_through_two_processes_notifies_each_person_once(fast_escalation, start_processes):
    bases = [base for _process, base in start_processes(2)]
    owner = http_user(bases[0], "baas")
    _community(bases[0], owner)
    asker = _join(bases[0], "vrager")
    first, second = _join(bases[1], "eerste"), _join(bases[0], "tweede")
    for auth in (first, second):
        assert requests.put(f"{bases[0]}/api/v1/users/me/expertise", headers=auth, timeout=30,
                            json={"tags": ["kassa"]}).status_code == 200
    requests.post(f"{bases[0]}/api/v1/users/eerste/endorsements", headers=owner, timeout=30, json={"tag": "kassa"})
    questions = [_ask(bases[n % 2], asker, ["kassa"]) for n in range(5)]
    assert all(q["experts_notified"] == ["eerste"] for q in questions)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_expert_requests(bases[1], owner)) < 5:
        time.sleep(0.3)
    time.sleep(1.5)  # more looks by both processes: nothing may come twice
    for auth in (first, second, owner):
        got = sorted(n["url"] for n in _expert_requests(bases[0], auth))
        assert got == sorted(f"/questions/{q['id']}" for q in questions)
