"""``Server-Timing: app;dur=…`` on every response: the server's own time, seen from outside.

Benchmarks and browser dev tools read it to tell server time from network
time; it reveals no more than a stopwatch on the client would.
"""

from __future__ import annotations

import time

from flask import Flask, g


def register(app: Flask) -> None:
    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def add_server_timing(response):
        started = g.get("request_started")
        if started is not None:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response
