"""The public pages of a statement's versions: the list, and one version with
what it changed. Cached like the statement page, retired with it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from communique.pagecache import cached_page, tag_page
from communique.pagecache.tags import statement_tag
from communique.publishing import versions
from communique.publishing.models import Statement
from communique.publishing.views import address_of, redirect_to_statement


def _public_statement(request: HttpRequest, slug: str) -> Statement:
    """The public statement at ``slug``; drafts and scheduled ones are not
    found, for staff too (their versions are in the admin)."""
    statement = Statement.objects.find(
        slug,
        language=None,
        preferred=request.GET.get("lang") or get_language(),
        user=request.user,
    )
    if statement is None or not statement.is_public:
        raise Http404(_("There is no published statement at this address."))
    tag_page(request, statement_tag(statement.pk))
    return statement


@cached_page
def version_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The versions readers saw, newest first."""
    statement = _public_statement(request, slug)
    address = statement.get_versions_url()
    if address != address_of(request):
        return redirect_to_statement(request, address)
    found = versions.public_versions(statement)
    context = {"statement": statement, "versions": found[::-1]}
    return render(request, "publishing/versions.html", context)


@cached_page
def version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One version readers saw, with what it changed from the one before."""
    statement = _public_statement(request, slug)
    address = f"{statement.get_versions_url()}{number}/"
    if address != address_of(request):
        return redirect_to_statement(request, address)
    found = versions.public_versions(statement)
    if not 1 <= number <= len(found):
        raise Http404(_("This statement has no such version."))
    shown = found[number - 1]
    context = {
        "statement": statement,
        "version": shown,
        "previous": found[number - 2] if number > 1 else None,
        "newer": found[number] if number < len(found) else None,
        "changes": versions.changes(found[number - 2], shown) if number > 1 else None,
    }
    return render(request, "publishing/version.html", context)
