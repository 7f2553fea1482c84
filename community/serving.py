"""Serving Leerplein in production: gevent's server with Nagle's algorithm off.

gevent's WSGI server writes a response's status line and headers with one
``send`` and its body with a second. With Nagle's algorithm on, the kernel
holds that second small segment until the client acknowledges the first,
and clients delay their ACKs by about 40 ms: every small response over a
kept-alive connection stalled ~40 ms (measured: ``/healthz`` p50 44 ms).
``TCP_NODELAY`` on every accepted socket sends each write at once. It is set
on the listening socket too, so that servers which accept on their own
(gunicorn's gevent worker, see ``gunicorn.conf.py``) inherit it on Linux.

Between the requests of one kept-alive connection the handler yields, so
that a fast client cannot keep the process to itself (``FairHandler``).

``python wsgi.py`` is the one command that serves; it calls ``serve``.
"""

from __future__ import annotations

import gc
import os
import socket
import traceback

from flask import Flask

from .database import upgrade_database


def set_nodelay(sock) -> None:
    """Switch Nagle's algorithm off on a TCP socket; other sockets are left alone."""
    if getattr(sock, "family", None) in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _handler_class():
    import gevent
    from gevent import pywsgi

    class FairHandler(pywsgi.WSGIHandler):
        """gevent's handler, with ``TCP_NODELAY``, taking turns between connections.

        gevent switches greenlets only when one waits. A kept-alive connection
        whose next request is already in its buffer never waits, so its
        greenlet served it straight away, again and again, while the other
        connections starved (measured with 8 connections: p50 20 ms, p90 1 s,
        p99 1.85 s). Yielding before each request gives every ready
        connection its turn first (then p50 98 ms, p99 217 ms, the same
        pages per second).
        """

        def __init__(self, sock, address, server, rfile=None):
            set_nodelay(sock)
            super().__init__(sock, address, server, rfile)

        def handle_one_request(self):
            gevent.sleep(0)
            return super().handle_one_request()

    return FairHandler


def listener(host: str, port: int, *, reuse_port: bool = False) -> socket.socket:
    """A listening socket with ``TCP_NODELAY`` (inherited by accepted sockets on Linux).

    ``reuse_port`` lets several server processes listen on one port, the
    kernel spreading connections over them (HTTP only: Socket.IO's polling
    needs every request of a session at one process, so use a proxy with
    sticky sessions for that, see the README).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    set_nodelay(sock)
    sock.bind((host, port))
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def make_server(app: Flask, sock: socket.socket, *, handler_class=None):
    """gevent's WSGI server for ``app`` (HTTP and Socket.IO) on an open listening socket."""
    from gevent import pywsgi

    return pywsgi.WSGIServer(sock, app, log=None, handler_class=handler_class or _handler_class())


def prepare(app: Flask) -> None:
    """What a server needs done before it serves: the schema up to date, the templates compiled."""
    from .web.templates import warm

    upgrade_database(app)
    warm(app)


def prepare_in_a_child(app: Flask) -> None:
    """``prepare`` in a forked child: Alembic and the template compiler never take up the server's memory."""
    pid = os.fork()
    if pid == 0:
        try:
            prepare(app)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _pid, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("the server could not be prepared (see above)")


def settle(app: Flask) -> None:
    """Load what every request needs, then keep it out of the garbage collector's full passes.

    The app, its modules and the Dutch word lists are about 130,000 objects
    that live as long as the process; a full collection walked them all,
    100 ms with every connection of the process waiting (a chat message's
    ack p99). ``gc.freeze`` moves them out of the collector's sight.
    """
    from .search import analysis

    with app.app_context():
        analysis.index_terms("medewerkers werkten in de kassaladen")  # the word lists load on first use
    gc.collect()
    gc.freeze()


def serve(app: Flask, host: str, port: int, *, reuse_port: bool = False) -> None:
    """Upgrade the database, then serve until stopped. The process must be gevent-patched."""
    from .scheduler import start
    from .search import start as start_search

    prepare_in_a_child(app)
    start(app)  # due work (escalations) by the clock, once across all processes
    start_search(app)  # a missing, stale or corrupt index is rebuilt in the background
    settle(app)
    server = make_server(app, listener(host, port, reuse_port=reuse_port))
    print(f"Leerplein serves on http://{host}:{server.server_port}/", flush=True)
    server.serve_forever()
