"""Schemathesis reads the API's OpenAPI document from the application itself
and sends what it describes, and what it does not (wrong types, missing
fields, odd text), through the whole WSGI stack: every answer must be no
server error, documented, of the documented content type and shape.

The examples are bounded so that the run takes about a minute; each fault
it finds is a bug to fix in the API, not a case to leave out.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from communique.pagecache.wsgi import CachedPagesApplication
from communique.request_bodies import ReadBodyFirst
from tests.factories import CommentFactory, StatementFactory
from tests.helpers import handler_keeps_the_connection

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 100


# The whole stack ``communique.wsgi`` builds, without its start-up settling.
application = CachedPagesApplication(
    ReadBodyFirst(get_wsgi_application(), site_threads=0)
)
# Read from the application when the tests are collected: the document needs
# no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def site(api_statement, settings):
    """A site with statements and comments, posting without the CAPTCHA
    (tests/api/test_posting.py covers it) so that the fuzzed comments reach
    the spam rules and the database."""
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0
    other = StatementFactory(language="fa", slug="bayaniye")
    CommentFactory(statement=other)
    with handler_keeps_the_connection():
        yield api_statement


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, site):
    # Random ids name no statement; every other case is sent to one that is
    # there, so that its comments are read and posted to, not only missed.
    ids = case.path_parameters or {}
    if isinstance(ids.get("statement_id"), int) and ids["statement_id"] % 2:
        ids["statement_id"] = site.pk
    # The WSGI client hands bodies over as the site sent them: ask for them
    # unencoded (the page cache would otherwise send brotli, as to browsers).
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, checks=CHECKS)
