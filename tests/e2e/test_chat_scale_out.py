"""Chat across two server processes on one database and one Redis, as several machines would run it.

A message sent through one process reaches a client connected to the
other; a member banned through one process is taken out of the room on the
other at once; presence counts sockets on both. Runs on SQLite and on
PostgreSQL; skipped with a message where Redis or PostgreSQL is absent.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid

import pytest
import requests

from tests.conftest import free_port
from tests.e2e.conftest import redis_reachable
from tests.e2e.test_chat_server import Person, Socket, _community, _send

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not redis_reachable(), reason="needs Redis on 127.0.0.1:6379 (redis-server) "
                                                                "for the Socket.IO message queue")]


@pytest.fixture
def two_processes(start_processes, database_env):
    database_env.update({"COMMUNITY_MESSAGE_QUEUE": "redis://127.0.0.1:6379",
                         "COMMUNITY_MESSAGE_QUEUE_CHANNEL": f"leerplein-test-{uuid.uuid4().hex[:8]}"})
    return [base for _process, base in start_processes(2)]


def test_a_message_and_a_ban_reach_sockets_on_the_other_process(two_processes):
    first, second = two_processes
    anna, bram, cor = Person(first, "anna"), Person(first, "bram"), Person(first, "cor")
    slug = _community(anna, bram, cor)
    on_first = Socket(first, {"token": anna.token})
    bram_on_second, cor_on_second = Socket(second, {"token": bram.token}), Socket(second, {"token": cor.token})
    sockets = [on_first, bram_on_second, cor_on_second]
    try:
        for sock in sockets:
            assert sock.call("join", {"community": slug})["ok"]
        assert set(on_first.call("join", {"community": slug})["online"]) == {anna.username, bram.username,
                                                                              cor.username}
        sent = _send(on_first, slug, "Over de grens van het proces")["message"]
        assert bram_on_second.wait_for("message", lambda m: m["id"] == sent["id"])["body"] == sent["body"]

        assert anna.api("PATCH", f"/communities/{slug}/members/{bram.username}",
                        json={"state": "banned"}).status_code == 200  # through the first process
        assert bram_on_second.wait_for("left")["community"] == slug
        on_first.wait_for("presence", lambda p: bram.username not in p["online"])
        after = _send(on_first, slug, "Na de ban")["message"]
        cor_on_second.wait_for("message", lambda m: m["id"] == after["id"])
        assert all(m["id"] != after["id"] for m in bram_on_second.received["message"])
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture
def own_redis(tmp_path):
    """A Redis of this test's own on a free port, that the test may stop (the shared one stays up)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server to start a Redis of its own")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    time.sleep(0.3)
    yield process, f"redis://127.0.0.1:{port}"
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def test_with_the_queue_down_nothing_acknowledged_is_lost_after_catch_up_and_healthz_says_so(
        start_processes, database_env, own_redis):
    redis_process, url = own_redis
    database_env.update({"COMMUNITY_MESSAGE_QUEUE": url})
    first, second = [base for _process, base in start_processes(2)]
    anna, bram = Person(first, "anna"), Person(first, "bram")
    slug = _community(anna, bram)
    sender, listener = Socket(first, {"token": anna.token}), Socket(second, {"token": bram.token})
    try:
        for sock in (sender, listener):
            assert sock.call("join", {"community": slug})["ok"]
        before = _send(sender, slug, "Voor de storing")["message"]
        listener.wait_for("message", lambda m: m["id"] == before["id"])
        assert requests.get(f"{first}/healthz", timeout=10).json()["message_queue"] == "ok"

        redis_process.terminate()
        redis_process.wait(timeout=10)
        acknowledged = [_send(sender, slug, f"Tijdens de storing {n}") for n in range(5)]
        assert all(ack["ok"] for ack in acknowledged)  # stored: the sender is told so
        health = requests.get(f"{first}/healthz", timeout=10)
        assert health.status_code == 503 and health.json()["message_queue"] == "failing"

        caught = listener.call("catch_up", {"community": slug, "after": before["id"]})["messages"]
        assert [m["id"] for m in caught] == [ack["message"]["id"] for ack in acknowledged]
    finally:
        sender.close()
        listener.close()

