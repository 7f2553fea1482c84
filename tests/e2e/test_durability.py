"""An acknowledged write survives the server being killed outright."""

from __future__ import annotations

import signal

import pytest
import requests

from tests.conftest import start_server
from tests.factories import http_user

pytestmark = pytest.mark.e2e


def test_posts_acknowledged_before_a_kill_are_there_after_restart(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    process, base = start_server(instance)
    try:
        auth = http_user(base, "schrijver")
        requests.post(f"{base}/api/v1/communities", headers=auth, timeout=10,
                      json={"name": "Nachtploeg", "kind": "practice", "visibility": "public", "join_policy": "open"})
        thread = requests.post(f"{base}/api/v1/communities/nachtploeg/threads", headers=auth, timeout=10,
                               json={"title": "Overdracht", "body": "Dock 3 is leeg."}).json()
        replies = [requests.post(f"{base}/api/v1/threads/{thread['id']}/posts", headers=auth, timeout=10,
                                 json={"body": f"Melding {n}"}).status_code for n in range(20)]
        assert replies == [201] * 20
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    process, base = start_server(instance)
    try:
        posts = requests.get(f"{base}/api/v1/threads/{thread['id']}", headers=auth, timeout=10).json()["posts"]
        assert [p["body"] for p in posts[1:]] == [f"Melding {n}" for n in range(20)]
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
