"""Fixtures: an app on a fresh instance folder per test, API helpers, a live server.

The schema is built once per test session by running the real migrations
into a template database, which each test then copies: every test starts
from a migrated, empty database in a few milliseconds.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.factories import Api

ROOT = Path(__file__).resolve().parent.parent
FAST_HASH = "pbkdf2:sha256:1000"  # the real default (scrypt) costs ~0.1 s a login

TEST_SETTINGS = {"PASSWORD_HASH": FAST_HASH, "RATELIMIT_ENABLED": False, "TESTING": True}


@pytest.fixture(scope="session")
def template_instance(tmp_path_factory) -> Path:
    from community import create_app
    from community.database import upgrade_database

    folder = tmp_path_factory.mktemp("template-instance")
    app = create_app({"INSTANCE": str(folder), **TEST_SETTINGS,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'community.db'}"})
    upgrade_database(app)
    with app.app_context():
        from community.extensions import db
        db.engine.dispose()
    return folder


@pytest.fixture
def make_app(template_instance, tmp_path):
    """Build an app with extra settings on a copy of the migrated template database."""
    from community import create_app

    def build(**settings):
        folder = tmp_path / f"instance-{len(list(tmp_path.iterdir()))}"
        shutil.copytree(template_instance, folder)
        for leftover in ("community.db-wal", "community.db-shm"):
            (folder / leftover).unlink(missing_ok=True)
        return create_app({"INSTANCE": str(folder), **TEST_SETTINGS,
                           "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'community.db'}",
                           **settings})

    return build


@pytest.fixture
def app(make_app):
    application = make_app()
    yield application
    with application.app_context():
        from community.extensions import db
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(app) -> Api:
    """Drives ``/api/v1`` through the test client; see ``tests/factories.py``."""
    return Api(app)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(instance: Path, extra_env: dict | None = None):
    """Start ``python wsgi.py`` exactly as outside test suites do; return (process, base_url)."""
    port = free_port()
    env = {**os.environ, "COMMUNITY_INSTANCE": str(instance), "COMMUNITY_RATELIMIT": "off",
           "COMMUNITY_PASSWORD_HASH": FAST_HASH, **(extra_env or {})}
    log = open(instance.parent / f"server-{port}.log", "w")
    process = subprocess.Popen([sys.executable, "wsgi.py", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {(instance.parent / f'server-{port}.log').read_text()}")
        try:
            if requests.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start within 60 s")


def stop_server(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """Base URL of a real server process on a free port, on a fresh instance folder."""
    instance = tmp_path_factory.mktemp("live") / "instance"
    instance.mkdir()
    process, base = start_server(instance)
    yield base
    stop_server(process)
