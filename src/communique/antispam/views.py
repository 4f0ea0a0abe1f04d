"""The block list, kept by moderators in the site's own pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communique.antispam.forms import BlockedTermForm
from communique.antispam.models import BlockedTerm

MODERATE = "comments.moderate_comments"


@login_required
@permission_required(MODERATE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def blocklist(request: HttpRequest) -> HttpResponse:
    """The blocked words, addresses and domains, and a form to add one."""
    form = BlockedTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        term = form.save()
        messages.success(request, _("“%(term)s” is blocked now.") % {"term": term})
        return redirect("antispam:blocklist")
    context = {"form": form, "terms": BlockedTerm.objects.all()}
    return render(
        request, "antispam/blocklist.html", context, status=400 if form.errors else 200
    )


@login_required
@permission_required(MODERATE, raise_exception=True)
@require_POST
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    term = get_object_or_404(BlockedTerm, pk=pk)
    term.delete()
    messages.success(request, _("“%(term)s” is no longer blocked.") % {"term": term})
    return redirect("antispam:blocklist")
