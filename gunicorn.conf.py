"""gunicorn settings for Leerplein: ``.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app``.

One gevent worker per process, as Flask-SocketIO's deployment notes ask:
Socket.IO keeps each connection's state in the process that accepted it.
For more processes, start more gunicorns on other ports behind a proxy with
sticky sessions and set ``COMMUNITY_MESSAGE_QUEUE`` (see the README).
gunicorn already sets ``TCP_NODELAY`` on its TCP listeners, which accepted
connections inherit, so small responses do not wait on Nagle's algorithm.
"""

import os
import subprocess
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:5000")
worker_class = "community.gunicorn_worker.FairGeventWorker"  # gevent, taking turns; websockets via simple-websocket
workers = 1
worker_connections = 2000
keepalive = 75  # seconds a kept-alive connection may idle: longer than most proxies' own
timeout = 60
graceful_timeout = 20


def on_starting(server):
    """Upgrade the database and compile the templates before the worker starts, as ``python wsgi.py`` does.

    In a process of its own, so that the master never imports the app before
    the worker patches the standard library for gevent.
    """
    subprocess.run([sys.executable, "-c", "from wsgi import app\n"
                    "from community.serving import prepare\n"
                    "prepare(app)"], check=True, cwd=os.path.dirname(os.path.abspath(__file__)))


def post_worker_init(worker):
    """Each worker process runs the scheduler's loop (due work is claimed, so it happens once), then settles."""
    from community.scheduler import start
    from community.serving import settle

    start(worker.wsgi)
    settle(worker.wsgi)
