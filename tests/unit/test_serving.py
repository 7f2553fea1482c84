"""The production server switches Nagle's algorithm off on every connection.

Small responses are written as two segments (headers, then body); with
Nagle on, the second waited for the client's delayed ACK (~40 ms each).
Checked on a real socket, not by timing.
"""

from __future__ import annotations

import socket
import threading

import gevent

from community import serving


def _hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]


def test_every_accepted_connection_has_nagle_switched_off():
    seen = []

    class Probe(serving._handler_class()):
        def handle(self):
            seen.append(self.socket.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            super().handle()

    listener = serving.listener("127.0.0.1", 0)
    server = serving.make_server(_hello, listener, handler_class=Probe)
    server.start()
    answers = []

    def client():
        with socket.create_connection(listener.getsockname(), timeout=10) as conn:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            answers.append(conn.recv(1024))

    caller = threading.Thread(target=client)
    caller.start()
    while caller.is_alive():
        gevent.sleep(0.01)  # let the server's greenlets run while the client waits
    server.stop()
    assert answers and answers[0].startswith(b"HTTP/1.1 200")
    assert seen and all(seen)


def test_the_listening_socket_passes_nodelay_on_to_what_it_accepts():
    """gunicorn accepts on its own; on Linux its connections inherit the listener's option."""
    listener = serving.listener("127.0.0.1", 0)
    listener.setblocking(True)
    with socket.create_connection(listener.getsockname(), timeout=10):
        accepted, _address = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    listener.close()


def test_connections_take_turns_even_when_one_has_requests_waiting():
    """Two connections with three pipelined requests each are served alternately, not one after the other."""
    order = []

    def record(environ, start_response):
        order.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]

    listener = serving.listener("127.0.0.1", 0)
    clients = []
    for name in ("a", "b"):
        conn = socket.create_connection(listener.getsockname(), timeout=10)
        conn.sendall(b"".join(f"GET /{name}{n} HTTP/1.1\r\nHost: x\r\n\r\n".encode() for n in range(1, 4)))
        clients.append(conn)
    server = serving.make_server(record, listener)
    server.start()
    while len(order) < 6:
        gevent.sleep(0.01)
    server.stop()
    for conn in clients:
        conn.close()
    assert order == ["/a1", "/b1", "/a2", "/b2", "/a3", "/b3"]
