"""A developer reads the API's docs page and tries a request from it: the
page works under the site's CSP with nothing from a CDN, and fits a phone."""

import pytest
from playwright.sync_api import expect

from tests.e2e.journey_checks import assert_fits, keep_shots
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_docs_page_lists_the_endpoints_and_runs_a_request(page, screenshot):
    ArticleFactory(published=True, headline="Harbour ferries run all winter")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/stories/by-path").wait_for()
    schema = page.request.get("/api/v1/openapi.json").json()
    methods = {"get", "put", "post", "delete", "patch"}
    operations = sum(len(methods & set(path)) for path in schema["paths"].values())
    # Every operation, the staff API's included, each once.
    assert operations > 6 and page.locator(".opblock").count() == operations
    expect(page.get_by_text("/api/v1/staff/stories/", exact=True).first).to_be_visible()
    shoot = keep_shots(screenshot, "/work/notes/shots")
    shoot(page, "api-docs")
    assert_fits(page)

    page.locator(".opblock-summary-path", has_text="/api/v1/stories").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    # The answer from the server, not the documented example.
    answer = page.locator(".live-responses-table")
    expect(answer).to_contain_text("Harbour ferries run all winter")
    expect(answer.locator("tr.response .response-col_status").first).to_have_text("200")
    origin = page.url.split("/api/")[0]
    assert all(url.startswith((origin, "data:")) for url in requested), requested
