"""Chat across two server processes on one database and one Redis, as several machines would run it.

A message sent through one process reaches a client connected to the
other; a member banned through one process is taken out of the room on the
other at once; presence counts sockets on both. Runs on SQLite and on
PostgreSQL; skipped with a message where Redis or PostgreSQL is absent.
"""

from __future__ import annotations

import uuid

import pytest

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
