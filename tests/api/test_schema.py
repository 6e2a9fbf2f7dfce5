"""The OpenAPI schema is valid, the docs page works offline under our CSP,
and a schema-driven fuzzer (schemathesis) against a live server finds no
server error and no answer the schema does not describe."""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import bearer
from tests.factories import ArticleFactory, SectionFactory, TagFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation (13 operations, and the negative run of each).
EXAMPLES = 8
PUBLIC_PATHS = {
    "/api/v1/stories",
    "/api/v1/stories/by-path",
    "/api/v1/stories/{story_id}",
    "/api/v1/sections",
    "/api/v1/tags",
    "/api/v1/authors",
}
STAFF_PATHS = {
    "/api/v1/staff/stories/",
    "/api/v1/staff/stories/{story_id}/",
    "/api/v1/staff/stories/{story_id}/submit/",
    "/api/v1/staff/stories/{story_id}/publish/",
    "/api/v1/staff/stories/{story_id}/unpublish/",
}


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3_1(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    validate(schema)
    assert set(schema["paths"]) == PUBLIC_PATHS | STAFF_PATHS
    assert "429" in schema["paths"]["/api/v1/stories"]["get"]["responses"]
    # The staff endpoints say how to authenticate; the public ones need nothing.
    [(scheme_name, scheme)] = schema["components"]["securitySchemes"].items()
    assert scheme == {"type": "http", "scheme": "bearer"}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            expected = [{scheme_name: []}] if path in STAFF_PATHS else None
            assert operation.get("security") == expected, path
            if path in STAFF_PATHS:
                assert {"401", "403", "422", "429"} <= set(operation["responses"])
    assert "At most 100 items a page" in schema["info"]["description"]


@pytest.mark.django_db
def test_the_docs_load_their_assets_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    assert "<script>" not in page  # no inline script: the CSP allows none
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.fixture
def stories(transactional_db):
    """Enough published stories that answers have every part to check."""
    tags = [TagFactory(name="ferries"), TagFactory(name="tides")]
    for n in range(6):
        story = ArticleFactory(published=True, tags=tags[: n % 3])
        story.corrections.create(text="An earlier version had the wrong date.")
    ArticleFactory(scheduled=True)


@pytest.fixture
def editor_token(stories, roles, issue, staff_editor):
    """The staff endpoints are fuzzed as an editor, who may do everything,
    with a section a generated story may name."""
    SectionFactory(slug="local")
    return issue(staff_editor)


def test_the_fuzzer_finds_no_server_error_and_no_schema_violation(
    live_server, stories, editor_token, settings_override
):
    url = f"{live_server.url}/api/v1/openapi.json"
    schema = schemathesis.openapi.from_url(url)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    assert {operation.path for operation in operations} == PUBLIC_PATHS | STAFF_PATHS

    for operation in operations:
        headers = bearer(editor_token) if operation.path in STAFF_PATHS else None
        _fuzz(
            operation,
            schemathesis.GenerationMode.POSITIVE,
            CHECKS,
            live_server.url,
            headers,
        )
        if len(operation.query) or len(operation.path_parameters) or operation.body:
            # Parameters that break the schema are refused, never a 500.
            _fuzz(
                operation,
                schemathesis.GenerationMode.NEGATIVE,
                [*CHECKS, negative_data_rejection],
                live_server.url,
                headers,
            )


def _fuzz(operation, mode, checks, base_url, headers=None):
    session = requests.Session()

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def fuzz(case):
        sent = headers
        header = (
            case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
        )
        if header is not None and header.mode == schemathesis.GenerationMode.NEGATIVE:
            # The case is about the headers themselves (a missing or broken
            # Authorization): sent as generated, it must be refused (401).
            sent = None
        case.call_and_validate(
            base_url=base_url, session=session, checks=checks, headers=sent
        )

    try:
        fuzz()
    finally:
        session.close()


@pytest.fixture
def settings_override(settings):
    # The fuzzer sends more requests a minute than a reader would.
    settings.NEWSROOM_API_RATE_PER_IP = 100_000
    settings.NEWSROOM_API_RATE_PER_TOKEN = 100_000
