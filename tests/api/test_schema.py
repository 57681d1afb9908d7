"""The OpenAPI document: generated from the code, valid OpenAPI 3, listing every endpoint; the
docs page loads only local assets."""

import re

from django.test import Client
from openapi_spec_validator import validate

ENDPOINTS = {
    ("post", "/api/v1/auth/token"),
    ("post", "/api/v1/auth/session-token"),
    ("get", "/api/v1/auth/tokens"),
    ("post", "/api/v1/auth/tokens/{token_id}/revoke"),
    ("get", "/api/v1/bootstrap"),
    ("post", "/api/v1/sessions"),
    ("get", "/api/v1/sessions/{session_id}"),
    ("post", "/api/v1/info-items"),
}


def test_the_document_validates_and_lists_every_endpoint(db):
    doc = Client().get("/api/v1/openapi.json").json()
    validate(doc)
    assert doc["openapi"].startswith("3.")
    listed = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert listed == ENDPOINTS
    post = doc["paths"]["/api/v1/sessions"]["post"]
    assert {"200", "201", "401", "403", "404", "409", "422"} <= set(post["responses"])
    assert "BearerToken" in doc["components"]["securitySchemes"]


def test_the_docs_page_loads_only_local_assets(db):
    page = Client().get("/api/v1/docs")
    html = page.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/static/") for u in urls), urls
    for u in urls:
        assert Client().get(u).status_code == 200, u
    assert "default-src 'self'" in page["Content-Security-Policy"]
