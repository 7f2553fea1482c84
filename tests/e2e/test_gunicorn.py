"""The documented production alternative: gunicorn with one gevent worker serves HTTP and websockets."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import socketio

from tests.conftest import FAST_HASH, ROOT, free_port, stop_server
from tests.factories import http_user

pytestmark = pytest.mark.e2e

GUNICORN = Path(sys.executable).with_name("gunicorn")


@pytest.fixture
def gunicorn_server(tmp_path):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed in this environment (requirements.txt installs it)")
    instance = tmp_path / "instance"
    instance.mkdir()
    port = free_port()
    env = {**os.environ, "COMMUNITY_INSTANCE": str(instance), "COMMUNITY_RATELIMIT": "off",
           "COMMUNITY_PASSWORD_HASH": FAST_HASH, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    log = open(tmp_path / "gunicorn.log", "w")
    process = subprocess.Popen([str(GUNICORN), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    yield base
    stop_server(process)


def test_gunicorn_creates_the_database_and_serves_the_api(gunicorn_server):
    auth = http_user(gunicorn_server, "kanon")
    me = requests.get(f"{gunicorn_server}/api/v1/users/me", headers=auth, timeout=10)
    assert me.status_code == 200 and me.json()["username"] == "kanon"


def test_gunicorn_carries_socketio_over_a_websocket(gunicorn_server):
    token = http_user(gunicorn_server, "golf")["Authorization"].split()[1]
    client = socketio.Client(reconnection=False)
    client.connect(gunicorn_server, transports=["websocket"], auth={"token": token}, wait_timeout=10)
    try:
        assert client.transport() == "websocket"
    finally:
        client.disconnect()
