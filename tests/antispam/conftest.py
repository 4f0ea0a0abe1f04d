import pytest

from tests.factories import ModeratorFactory, StatementFactory


@pytest.fixture
def statement(db):
    return StatementFactory(title="On the harbour", slug="on-the-harbour")


@pytest.fixture
def moderator(db):
    return ModeratorFactory()
