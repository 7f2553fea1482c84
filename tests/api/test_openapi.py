"""The OpenAPI document describes every /api/v1 route, with the right methods."""

import re

from community.api import PREFIX


def _spec_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule[len(PREFIX):])


def test_every_api_route_is_in_the_openapi_document(app, client):
    spec = client.get(PREFIX + "/openapi.json").get_json()
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in spec["paths"].get(_spec_path(rule.rule), {}):
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_openapi_document_is_public_and_3_1(client):
    response = client.get(PREFIX + "/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    assert spec["paths"]["/users"]["post"]["security"] == []


def test_every_schema_reference_resolves(client):
    spec = client.get(PREFIX + "/openapi.json").get_json()
    refs = set(re.findall(r'"#/components/(\w+)/(\w+)"', str(spec).replace("'", '"')))
    unresolved = [f"{kind}/{name}" for kind, name in refs if name not in spec["components"][kind]]
    assert unresolved == []
