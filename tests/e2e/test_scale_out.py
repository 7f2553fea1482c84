"""Several server processes on one database: every acknowledged write stored, none refused.

Real ``python wsgi.py`` processes, started together on one instance folder
(SQLite in WAL mode) or one PostgreSQL database, with clients racing
through all of them. The PostgreSQL runs skip with a message where no
server answers on 127.0.0.1:5432.
"""

from __future__ import annotations

import re
import signal
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import start_server, stop_server
from tests.e2e.conftest import redis_reachable
from tests.factories import PASSWORD, http_user

pytestmark = pytest.mark.e2e


def _community_with_thread(base: str, owner: dict) -> int:
    requests.post(f"{base}/api/v1/communities", headers=owner, timeout=30,
                  json={"name": "Drukte", "kind": "practice", "visibility": "public", "join_policy": "open"})
    return requests.post(f"{base}/api/v1/communities/drukte/threads", headers=owner, timeout=30,
                         json={"title": "Iedereen tegelijk", "body": "Schrijf maar."}).json()["id"]


def _members(bases: list[str], count: int) -> list[dict]:
    """``count`` users, registered and joined through the processes in turn."""
    people = []
    for n in range(count):
        base = bases[n % len(bases)]
        auth = http_user(base, f"schrijver{n}")
        assert requests.post(f"{base}/api/v1/communities/drukte/join", headers=auth, timeout=30).status_code == 200
        people.append(auth)
    return people


@pytest.mark.parametrize("processes", [2, 4])
def test_racing_replies_through_several_processes_are_all_stored(start_processes, processes):
    bases = [base for _process, base in start_processes(processes)]
    owner = http_user(bases[0], "baas")
    thread_id = _community_with_thread(bases[0], owner)
    people = _members(bases, 20)

    def write_ten(person: int) -> list[int]:
        session = requests.Session()  # kept alive, as API clients do
        session.headers.update(people[person])
        return [session.post(f"{bases[(person + n) % processes]}/api/v1/threads/{thread_id}/posts", timeout=60,
                             json={"body": f"Bericht {person}-{n}"}).status_code for n in range(10)]

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = [code for result in pool.map(write_ten, range(20)) for code in result]
    assert codes == [201] * 200
    for base in bases:
        view = requests.get(f"{base}/api/v1/threads/{thread_id}", headers=owner, timeout=30).json()
        assert view["reply_count"] == 200
        assert sorted(p["body"] for p in view["posts"][1:]) == sorted(
            f"Bericht {person}-{n}" for person in range(20) for n in range(10))


def test_a_session_started_on_one_process_works_on_the_others(start_processes):
    """Processes started together agree on one secret key, so any of them may serve a browser."""
    (_p1, first), (_p2, second) = start_processes(2)
    http_user(first, "zwerver")
    session = requests.Session()
    page = session.get(f"{first}/login", timeout=30).text
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    signed_in = session.post(f"{first}/login", data={"login": "zwerver", "password": PASSWORD, "csrf_token": csrf},
                             allow_redirects=False, timeout=30)
    assert signed_in.status_code == 302
    cookies = {"session": session.cookies["session"]}
    me = requests.get(f"{second}/api/v1/users/me", cookies=cookies, timeout=30)
    assert me.status_code == 200 and me.json()["username"] == "zwerver"


def test_killing_one_process_mid_burst_loses_no_acknowledged_write(start_processes):
    (victim, victim_base), (_survivor, survivor_base) = start_processes(2)
    owner = http_user(survivor_base, "baas")
    thread_id = _community_with_thread(survivor_base, owner)
    people = _members([survivor_base, victim_base], 8)
    acknowledged: list[tuple[int, str]] = []
    refused: list[tuple[int, str]] = []
    lock = threading.Lock()
    enough = threading.Event()

    def write(person: int) -> None:
        session = requests.Session()
        session.headers.update(people[person])
        for n in range(40):
            body = f"Melding {person}-{n}"
            try:
                response = session.post(f"{(victim_base, survivor_base)[n % 2]}/api/v1/threads/{thread_id}/posts",
                                        json={"body": body}, timeout=30)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                continue  # the killed process, before or while answering: not acknowledged, so not promised
            if response.status_code == 201:
                with lock:
                    acknowledged.append((response.json()["id"], body))
                    if len(acknowledged) >= 60:
                        enough.set()
            else:
                with lock:
                    refused.append((response.status_code, response.text[:200]))

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(write, person) for person in range(8)]
        assert enough.wait(timeout=120)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        for future in futures:
            future.result()
    stored = {p["id"]: p["body"] for p in requests.get(
        f"{survivor_base}/api/v1/threads/{thread_id}", headers=owner, timeout=30).json()["posts"]}
    missing = [(post_id, body) for post_id, body in acknowledged if stored.get(post_id) != body]
    assert not refused
    assert len(acknowledged) >= 60 and not missing


@pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379 (redis-server) to share limits")
def test_failed_sign_ins_are_counted_across_processes_through_redis(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    env = {"COMMUNITY_RATELIMIT": "on", "COMMUNITY_RATELIMIT_STORAGE": "redis://127.0.0.1:6379",
           "COMMUNITY_RATELIMIT_PREFIX": f"leerplein-test-{uuid.uuid4().hex}",
           "COMMUNITY_LOGIN_RATE_LIMIT": "3 per minute"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        servers = list(pool.map(lambda _: start_server(instance, env), range(2)))
    try:
        bases = [base for _process, base in servers]
        http_user(bases[0], "gokker")
        wrong = {"login": "gokker", "password": "niet-het-goede-wachtwoord"}
        codes = [requests.post(f"{bases[n % 2]}/api/v1/tokens", json=wrong, timeout=30).status_code
                 for n in range(3)]
        assert codes == [401, 401, 401]
        refused = requests.post(f"{bases[1]}/api/v1/tokens", json={"login": "gokker", "password": PASSWORD},
                                timeout=30)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert refused.json()["error"]["code"] == "rate_limited"
    finally:
        for process, _base in servers:
            stop_server(process)
