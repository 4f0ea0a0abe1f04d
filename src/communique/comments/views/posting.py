"""Posting, replying to, finding and editing comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from modern_csrf.decorators import csrf_protect as cross_origin_protect

from communique.antispam.fingerprints import request_fingerprint
from communique.captcha import cookie as captcha_cookie
from communique.captcha import policy as captcha_policy
from communique.comments import edits, replies, services
from communique.comments.display import comment_location
from communique.comments.forms import CommentEditForm, CommentForm
from communique.comments.models import Comment, PendingEdit
from communique.pagecache import cached_page, tag_page
from communique.pagecache.tags import statement_tag
from communique.publishing.models import Statement
from communique.publishing.views import render_statement_page
from communique.request_bodies import form_encoded_only
from communique.views import answer_once_stored

POSTED = gettext_lazy("Your comment has been posted.")
QUEUED = gettext_lazy(
    "Your comment has been queued for review by site administrators and will be "
    "published after approval."
)
CONFIRM_SENT = gettext_lazy(
    "To be e-mailed about replies, open the link in the mail we sent you: "
    "nothing is sent to an address that has not been confirmed."
)
EDIT_HELD = gettext_lazy(
    "Your edit waits for review by a moderator. Until it is approved, readers "
    "see the earlier text."
)


def _form_page(request, statement, form, *, preview=None, status=200) -> HttpResponse:
    """The page the form was on, shown again for this reader alone: the reply
    page or the statement, at the form (``#comment-form``)."""
    parent = form.cleaned_data.get("parent")
    if parent is not None:
        context = {"parent": parent, "comment_form": form, "comment_preview": preview}
        response = render(request, "comments/reply.html", context, status=status)
    else:
        response = render_statement_page(
            request,
            statement,
            comment_form=form,
            comment_preview=preview,
            status=status,
        )
    response["Cache-Control"] = "private, no-store"
    return response


# Anonymous readers have no CSRF token (pages carry nothing per reader): the
# browser's Fetch Metadata and Origin headers tell a cross-site post instead.
# The form sends URL-encoded text; anything else (an upload) is refused unread.
@form_encoded_only
@csrf_exempt
@cross_origin_protect
@require_POST
def post_comment(request: HttpRequest, statement_id: int) -> HttpResponse:
    """Preview or save a comment; every refusal shows the form again, filled in."""
    statement = get_object_or_404(Statement.objects.published(), pk=statement_id)
    user = request.user if request.user.is_authenticated else None
    kind = "reply" if request.POST.get("parent") else "comment"
    form = CommentForm(
        request.POST,
        statement=statement,
        user=user,
        captcha=captcha_policy.challenges_for(request, kind),
    )
    previewing = request.POST.get("op") == "preview"
    valid = form.is_valid_without_captcha() if previewing else form.is_valid()
    if not valid:
        form.count_refusals()
        hidden = form.has_error("parent", "parent_hidden")
        return _form_page(request, statement, form, status=404 if hidden else 400)
    arguments = {
        "statement": statement,
        "parent": form.cleaned_data["parent"],
        "draft": form.draft(),
        "user": user,
        "language": get_language() or "",
    }
    if previewing:
        preview = services.build_comment(**arguments)
        return _form_page(request, statement, form, preview=preview)
    try:
        comment = services.post_comment(
            **arguments,
            fingerprint=request_fingerprint(request),
            honeypot_filled=form.honeypot_filled,
        )
    except services.CommentsClosed:
        form.add_error(None, _("Comments on this statement are closed."))
        return _form_page(request, statement, form, status=400)
    except services.Refused as refusal:
        form.add_error(None, refusal.verdict.message)
        return _form_page(request, statement, form, status=refusal.verdict.status)
    if comment.is_published:
        messages.success(request, POSTED)
        response = redirect(comment_location(comment))
    else:
        messages.info(request, QUEUED)  # spam too: the sender is told nothing else
        response = redirect(statement.get_absolute_url())
    # Stored: from here on, a part that fails does not make this an error.
    answer_once_stored(request, response)
    captcha_policy.remember_solved(request)
    if form.solved_challenge:
        captcha_cookie.forget(request, response, form.solved_challenge)
    if form.cleaned_data["notify_replies"]:
        if comment.status != Comment.Status.SPAM:  # no mail for spam senders
            replies.subscribe(
                comment=comment, email=form.reply_address, language=get_language()
            )
        messages.info(request, CONFIRM_SENT)
    return response


@cached_page
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The comment being answered, and the form to answer it."""
    parent = get_object_or_404(
        Comment.objects.shown_to_readers().select_related("statement"), pk=pk
    )
    tag_page(request, statement_tag(parent.statement_id))
    form = None
    if services.accepts_comments(parent.statement):
        form = CommentForm(
            initial={"parent": parent.pk},
            statement=parent.statement,
            user=request.user,
            captcha=[] if captcha_policy.is_required(request, "reply") else None,
        )
    return render(
        request,
        "comments/reply.html",
        {"parent": parent, "comment_form": form, "comment_preview": None},
    )


def permalink(request: HttpRequest, pk: int) -> HttpResponse:
    """``/comments/<id>/``: the statement page that shows the comment."""
    comment = get_object_or_404(
        Comment.objects.shown_to_readers().select_related("statement"), pk=pk
    )
    return redirect(comment_location(comment))


def _edit_initial(comment: Comment, held: PendingEdit | None) -> dict[str, str]:
    """What the edit form starts from: the edit waiting for review if there is
    one, else the comment's text."""
    if held is not None:
        return {"subject": held.subject, "body": held.body_source}
    # A subject made from the body's first words is not offered for editing:
    # it would outlive the words it was made from.
    subject = comment.subject if comment.has_own_subject else ""
    return {"subject": subject, "body": comment.body_source}


@form_encoded_only
@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Authors edit their comment for a while after posting, while readers can
    see it; moderators always. Authors' edits are screened (``submit_edit``)."""
    comment = get_object_or_404(Comment.objects.select_related("statement"), pk=pk)
    if not edits.can_edit(comment, request.user):
        raise PermissionDenied(_("You can no longer edit this comment."))
    trusted = edits.is_trusted_editor(request.user)
    if not trusted and not services.shows_comments(comment.statement):
        raise Http404(_("This comment is not shown."))
    # Commenters go on from their edit waiting for review; moderators edit the
    # approved text (the held edit is in their queue).
    held = None if trusted else PendingEdit.objects.filter(comment=comment).first()
    form = CommentEditForm(request.POST or None, initial=_edit_initial(comment, held))
    context = {"comment": comment, "form": form, "held_edit": held}
    if request.method == "POST" and form.is_valid():
        try:
            waiting = edits.submit_edit(
                comment=comment,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                editor=request.user,
                fingerprint=request_fingerprint(request),
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.verdict.message)
            status = refusal.verdict.status
            return render(request, "comments/edit.html", context, status=status)
        if waiting is not None:
            messages.info(request, EDIT_HELD)
        else:
            messages.success(request, _("Your changes have been saved."))
        if comment.is_published:
            return redirect(comment_location(comment))
        return redirect(comment.statement.get_absolute_url())
    status = 400 if form.is_bound else 200
    return render(request, "comments/edit.html", context, status=status)
