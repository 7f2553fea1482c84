"""Behind a proxy, the client's address comes from X-Forwarded-For, and only then."""

from __future__ import annotations

from flask import request


def _seen_address(app) -> str:
    @app.get("/_address")
    def address():
        return request.remote_addr

    return app.test_client().get("/_address", headers={"X-Forwarded-For": "203.0.113.7"},
                                 environ_base={"REMOTE_ADDR": "10.0.0.2"}).get_data(as_text=True)


def test_without_trusted_proxies_a_forwarded_address_is_ignored(make_app):
    assert _seen_address(make_app()) == "10.0.0.2"


def test_one_trusted_proxy_gives_the_client_address_it_forwarded(make_app):
    assert _seen_address(make_app(TRUSTED_PROXIES=1)) == "203.0.113.7"
