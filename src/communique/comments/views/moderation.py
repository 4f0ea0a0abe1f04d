"""The moderation queue and the record of moderation actions."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from communique.antispam import services as antispam
from communique.comments import edits, holds, services, undo
from communique.comments.models import Comment, ModerationAction, PendingEdit
from communique.converters import IdConverter
from communique.pagination import LocalDigitsPaginator

PER_PAGE = 50
ID = re.compile(IdConverter.regex, re.ASCII)
TABS = ("pending", "published", "spam", "deleted", "all")
ACTIONS = {
    "approve": services.approve_comments,
    "spam": services.mark_spam,
    "delete": services.delete_comments,
    "undelete": services.undelete_comments,
}
# What the queue's links keep when an action sends the moderator back to it.
QUEUE_PARAMS = ("status", "q", "page", "comment")
MODERATE = "comments.moderate_comments"
EDIT_DECISIONS = {"approve": edits.approve_edit, "reject": edits.reject_edit}
# Why an edit was held, beyond the spam rules' reasons.
EDIT_HOLD_REASONS = {
    "approval": gettext_lazy("this commenter's comments wait for approval"),
    "links": gettext_lazy("links"),
}


def _pending_edits() -> list[PendingEdit]:
    """The edits waiting for review, newest first, each with why it waits."""
    edits = list(
        PendingEdit.objects.select_related("comment", "comment__statement")[:PER_PAGE]
    )
    for edit in edits:
        edit.reason_label = EDIT_HOLD_REASONS.get(
            edit.reason, antispam.REASON_LABELS.get(edit.reason, edit.reason)
        )
    return edits


def _queue(tab: str, search: str, only: int | None = None):
    comments = Comment.objects.select_related("statement", "user")
    if only is not None:
        comments = comments.filter(pk=only)
    elif tab != "all":
        comments = comments.filter(status=tab)
    if search:
        comments = comments.filter(
            Q(body_source__icontains=search)
            | Q(author_name__icontains=search)
            | Q(subject__icontains=search)
        )
    same_client = (
        Comment.objects.filter(fingerprint=OuterRef("fingerprint"))
        .exclude(fingerprint="")
        .values("fingerprint")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return comments.annotate(
        client_total=Subquery(same_client, output_field=IntegerField()),
        pending_first=Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    ).order_by("pending_first", "-created", "-pk")


# Moderators sign in on a page of their own, as they need not be staff
# (README.md, "Accounts"); what they see is theirs alone.
@never_cache
@login_required(login_url="accounts:sign_in")
@permission_required(MODERATE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    """Comments to decide on: pending first, newest first, with bulk actions."""
    if request.method == "POST":
        return _apply_bulk_action(request)
    tab = request.GET.get("status", "pending")
    if tab not in TABS:
        tab = "pending"
    search = request.GET.get("q", "").strip()[:200]
    only = request.GET.get("comment", "")
    only = int(only) if ID.fullmatch(only) else None  # a link from a mail
    page = LocalDigitsPaginator(_queue(tab, search, only), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for comment in page.object_list:
        comment.hold_reasons = holds.labels(comment.held_because)
    counts = dict(
        Comment.objects.values_list("status").annotate(total=Count("pk")).order_by()
    )
    tabs = [
        (
            name,
            Comment.Status(name).label if name != "all" else _("All"),
            counts.get(name),
        )
        for name in TABS
    ]
    return render(
        request,
        "moderation/queue.html",
        {
            "page": page,
            "tab": tab,
            "tabs": tabs,
            "search": search,
            "refused_today": antispam.refused_today(),
            "pending_edits": _pending_edits() if tab == "pending" else [],
            "page_query": urlencode(
                {"status": tab, **({"q": search} if search else {})}
            ),
            "back_query": _back_query(request),
            "select_all": request.GET.get("select") == "all",
            "can_undo": undo.last_undoable(request.user) is not None,
        },
    )


def _back_query(request: HttpRequest) -> str:
    """The queue's query string, to come back to the same tab and page."""
    return urlencode(
        [(key, request.GET[key]) for key in QUEUE_PARAMS if key in request.GET]
    )


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    query = _back_query(request)
    url = reverse("comments:moderation")
    return redirect(f"{url}?{query}" if query else url)


def _done_message(action: str, count: int) -> str:
    """What was done, to how many comments ("2 comments approved.")."""
    if action == "approve":
        text = ngettext(
            "%(count)d comment approved.", "%(count)d comments approved.", count
        )
    elif action == "spam":
        text = ngettext(
            "%(count)d comment marked as spam.",
            "%(count)d comments marked as spam.",
            count,
        )
    elif action == "delete":
        text = ngettext(
            "%(count)d comment deleted.", "%(count)d comments deleted.", count
        )
    else:
        text = ngettext(
            "%(count)d comment restored.", "%(count)d comments restored.", count
        )
    return text % {"count": count}


def _apply_bulk_action(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    ids = [
        int(value) for value in request.POST.getlist("comments") if ID.fullmatch(value)
    ]
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("Choose an action to apply."))
    if not ids:
        messages.warning(request, _("Select at least one comment first."))
    else:
        changed = ACTIONS[action](
            Comment.objects.filter(pk__in=ids), moderator=request.user
        )
        messages.success(request, _done_message(action, changed))
    return redirect(request.get_full_path())


@never_cache
@login_required(login_url="accounts:sign_in")
@permission_required(MODERATE, raise_exception=True)
@require_POST
def moderate_one(request: HttpRequest, pk: int) -> HttpResponse:
    """One comment's own Approve, Spam or Delete button."""
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("Choose an action to apply."))
    comment = get_object_or_404(Comment, pk=pk)
    changed = ACTIONS[action](
        Comment.objects.filter(pk=comment.pk), moderator=request.user
    )
    messages.success(request, _done_message(action, changed))
    return _back_to_queue(request)


def _undone_message(action: str, count: int) -> str:
    """What an undo put back, to how many comments."""
    if action == "approve":
        text = ngettext(
            "Approval undone for %(count)d comment.",
            "Approval undone for %(count)d comments.",
            count,
        )
    elif action == "spam":
        text = ngettext(
            "Marking as spam undone for %(count)d comment.",
            "Marking as spam undone for %(count)d comments.",
            count,
        )
    elif action == "delete":
        text = ngettext(
            "Deletion undone for %(count)d comment.",
            "Deletion undone for %(count)d comments.",
            count,
        )
    else:
        text = ngettext(
            "Restoring undone for %(count)d comment.",
            "Restoring undone for %(count)d comments.",
            count,
        )
    return text % {"count": count}


@never_cache
@login_required(login_url="accounts:sign_in")
@permission_required(MODERATE, raise_exception=True)
@require_POST
def undo_last(request: HttpRequest) -> HttpResponse:
    """Undo this moderator's last status change."""
    result = undo.undo_last_action(moderator=request.user)
    if result is None:
        messages.warning(request, _("You have no action to undo."))
    else:
        action, count = result
        messages.success(request, _undone_message(action, count))
    return _back_to_queue(request)


@never_cache
@login_required(login_url="accounts:sign_in")
@permission_required(MODERATE, raise_exception=True)
@require_POST
def decide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject one edit waiting for review."""
    edit = get_object_or_404(PendingEdit.objects.select_related("comment"), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in EDIT_DECISIONS:
        return HttpResponseBadRequest(_("Choose an action to apply."))
    if not EDIT_DECISIONS[decision](edit, moderator=request.user):
        messages.warning(request, _("Another moderator decided on this edit first."))
    elif decision == "approve":
        messages.success(request, _("The edit is published."))
    else:
        messages.success(request, _("The edit is rejected; the comment is unchanged."))
    return redirect("comments:moderation")


@never_cache
@login_required(login_url="accounts:sign_in")
@permission_required(MODERATE, raise_exception=True)
@require_safe
def log(request: HttpRequest) -> HttpResponse:
    """Every moderation action, newest first."""
    actions = ModerationAction.objects.select_related(
        "moderator", "comment", "comment__statement"
    )
    page = LocalDigitsPaginator(actions, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page})
