"""How Socket.IO connections are accepted: only from our own pages, and without compression.

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
"""

from __future__ import annotations

from urllib.parse import urlsplit


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
