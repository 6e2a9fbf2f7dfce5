"""An editor and a journalist by group membership (the newsroom's roles, not
individual permissions), for the story workflow tests."""

import pytest

from tests.articles.staff import member


@pytest.fixture
def editor_user():
    return member("Editors", "ed")


@pytest.fixture
def journalist_user():
    return member("Journalists", "jo")
