"""How Socket.IO connections are accepted and written to: only from our own pages, uncompressed, framed once.

**Origin.** A browser sends its cookies with a websocket handshake from any
page, so another site could open a socket as the signed-in reader (SameSite
cookies stop most of it; this stops the rest). A handshake that names an
origin must name this site: the configured ``SITE_URL``, or the address it
was asked under (a test server on its own port, a proxy keeping the Host).
Clients that send no origin (scripts, phones' apps) authenticate with a token.

**Compression.** Websocket frames go out uncompressed: the offer of ``permessage-deflate`` is not taken up.

simple-websocket accepts compression whenever a client offers it (browsers
and Node's ``ws`` always do), and then compresses every frame once per
connection: a chat message to a room of 500 is deflated 500 times. Measured
with benchmarks/chat.py (500 clients, 10 messages a second), framing and
deflating took half of the server's time. Chat frames are a few hundred
bytes, so the bytes saved are few; the time is not. Removing the client's
offer from the handshake keeps every connection plain.

**Fan-out.** Under gevent, a packet to an idle connection is written at
once, its frame built once for a whole room (``direct_websocket_class``).
A greenlet writing to a whole room lets the event loop run after every
``FANOUT_CHUNK`` writes, so a sender's message that arrives meanwhile is
stored and acknowledged without waiting for the rest of the room (500
receivers: 8 ms of writes). Broadcasts leave from one greenlet in order
(``chat.live``), so no connection sees them reordered.
"""

from __future__ import annotations

import struct
from urllib.parse import urlsplit

#: Writes one greenlet makes in a row before it lets the loop read what arrived (about 1 ms of them).
FANOUT_CHUNK = 64


def own_origins(site_url: str):
    """Flask-SocketIO's ``cors_allowed_origins``: a callable that admits this site's origins only."""
    site = urlsplit(site_url)
    configured = f"{site.scheme}://{site.netloc}"

    def allowed(origin, environ) -> bool:
        asked = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin in (configured, asked)

    return allowed


class NoWebsocketCompression:
    """WSGI middleware: hide ``Sec-WebSocket-Extensions`` from the websocket handshake."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.app(environ, start_response)


def text_frame(text: str) -> bytes:
    """One unfragmented, unmasked websocket text frame (RFC 6455 §5.2), as a server sends it."""
    data = text.encode()
    size = len(data)
    if size < 126:
        return bytes((0x81, size)) + data
    if size < 1 << 16:
        return struct.pack("!BBH", 0x81, 126, size) + data
    return struct.pack("!BBQ", 0x81, 127, size) + data


class _Frame(bytes):
    """Bytes already framed for the wire: the writer sends them as they are."""


class _Rest:
    """What the kernel did not take of a frame written straight away: the writer sends it next, first."""

    def __init__(self, frame: bytes):
        self.frame = _Frame(frame)

    def encode(self, b64=False):
        return self.frame


def _frame_of(packet) -> bytes | None:
    """The frame of an Engine.IO text packet, built once for all its receivers (a room's broadcast shares it)."""
    frame = packet.__dict__.get("_ws_frame")
    if frame is None:
        encoded = packet.encode()
        if not isinstance(encoded, str):
            return None  # binary packets keep wsproto's path
        frame = packet.__dict__["_ws_frame"] = text_frame(encoded)
    return frame


def direct_websocket_class():
    """Engine.IO's gevent websocket, with a straight path for each packet sent to an idle connection.

    Engine.IO queues every packet for a writer greenlet per connection, and
    wsproto frames it once per connection: a message to a room of 500 costs
    500 queue hand-overs, 500 greenlet switches and 500 framings. A websocket
    frame from a server is not masked, so it is the same bytes for every
    receiver: it is built once (``_frame_of``) and written to each socket
    without waiting. Only when that connection's writer has something in hand
    (queued packets, a write in progress), or the kernel's buffer is full,
    does the packet (or the part of the frame the kernel did not take) go
    into the writer's queue, so the order on each connection never changes.
    Measured with benchmarks/chat.py (see the README's chat figures).
    """
    import gevent
    import gevent.socket
    from engineio.async_drivers.gevent import WebSocketWSGI

    run = {"greenlet": None, "writes": 0}  # who is writing one straight run, and how many so far

    def pace() -> None:
        current = gevent.getcurrent()
        if run["greenlet"] is not current:
            run["greenlet"], run["writes"] = current, 0
        run["writes"] += 1
        if run["writes"] >= FANOUT_CHUNK:
            run["writes"] = 0
            gevent.sleep(0.0001)  # a timer, not sleep(0): the loop polls sockets before resuming this one

    class DirectWebSocket(WebSocketWSGI):
        writing = False

        def __call__(self, environ, start_response):
            connection = self.app.__self__  # the Engine.IO socket whose _websocket_handler this serves
            queued_send = type(connection).send.__get__(connection)
            holder = self

            def send(packet):
                ws = getattr(holder, "ws", None)
                if (ws is None or holder.writing or not connection.upgraded or connection.upgrading
                        or connection.closed or not ws.connected or not connection.queue.empty()
                        or not isinstance(ws.sock, gevent.socket.socket)):
                    return queued_send(packet)
                if not connection.check_ping_timeout():
                    return None
                frame = _frame_of(packet)
                if frame is None:
                    return queued_send(packet)
                try:
                    sent = ws.sock.send(frame, 0, 0.0)  # timeout 0: never wait here, hand over instead
                except BlockingIOError:
                    sent = 0
                except OSError:
                    return queued_send(packet)  # the writer meets the error and closes the connection
                if sent < len(frame):
                    connection.queue.put(_Rest(frame[sent:]))
                pace()
                return None

            connection.send = send
            return super().__call__(environ, start_response)

        def send(self, message):
            """The writer's send: frames from the straight path as they are, text framed here, whole."""
            if isinstance(message, bytes) and not isinstance(message, _Frame):
                return super().send(message)
            if not self.ws.connected:
                raise OSError("websocket closed")
            self.writing = True
            try:
                self.ws.sock.sendall(message if isinstance(message, _Frame) else text_frame(message))
            finally:
                self.writing = False
            return None

    return DirectWebSocket
