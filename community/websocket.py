"""Websocket frames go out uncompressed: the offer of ``permessage-deflate`` is not taken up.

simple-websocket accepts compression whenever a client offers it (browsers
and Node's ``ws`` always do), and then compresses every frame once per
connection: a chat message to a room of 500 is deflated 500 times. Measured
with benchmarks/chat.py (500 clients, 10 messages a second), framing and
deflating took half of the server's time. Chat frames are a few hundred
bytes, so the bytes saved are few; the time is not. Removing the client's
offer from the handshake keeps every connection plain.
"""

from __future__ import annotations


class NoWebsocketCompression:
    """WSGI middleware: hide ``Sec-WebSocket-Extensions`` from the websocket handshake."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.app(environ, start_response)
