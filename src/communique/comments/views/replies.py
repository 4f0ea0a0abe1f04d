"""The pages of the links in reply mails: confirming and unsubscribing.

Both pages are per reader (the link's token) and never cached; a GET only
shows a button, so that mail scanners fetching links change nothing. The
unsubscribe POST needs no login and no CSRF token (RFC 8058 one-click: mail
programs post it from elsewhere): the signed token is the proof.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from modern_csrf.decorators import csrf_protect as cross_origin_protect

from communique.comments import replies
from communique.request_bodies import form_encoded_only


def _page(request, heading, message, *, button="", status=200) -> HttpResponse:
    context = {"heading": heading, "message": message, "button": button}
    response = render(request, "comments/replies.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response


def _bad_link(request, error: Exception) -> HttpResponse:
    if isinstance(error, replies.ExpiredToken):
        message = _(
            "This confirmation link has expired. Tick the box again on your "
            "next comment to receive a new one."
        )
        return _page(request, _("Link expired"), message, status=410)
    if isinstance(error, replies.Gone):
        message = _(
            "This subscription does not exist any more: no mail about replies "
            "goes to this address."
        )
        return _page(request, _("No such subscription"), message, status=404)
    message = _(
        "This link is not valid. Check that you copied all of it from the mail."
    )
    return _page(request, _("Link not valid"), message, status=400)


@form_encoded_only
@csrf_exempt
@cross_origin_protect
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = replies.subscription_to_confirm(token)
    except (replies.BadToken, replies.Gone) as error:
        return _bad_link(request, error)
    if request.method == "POST":
        replies.confirm(subscription)
        message = _(
            "Thank you: your address is confirmed. You will be e-mailed when "
            "someone replies, at most once an hour for this conversation."
        )
        return _page(request, _("Address confirmed"), message)
    message = _("Press the button to be e-mailed when someone replies.")
    return _page(
        request, _("Confirm your address"), message, button=_("Confirm my address")
    )


# Not form_encoded_only: RFC 8058 lets mail programs post multipart forms.
# The body is never read.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscription = replies.subscription_to_end(token)
    except (replies.BadToken, replies.Gone) as error:
        return _bad_link(request, error)
    if request.method == "POST":
        replies.unsubscribe(subscription)
        message = _(
            "You will get no more mail about replies in this conversation, and "
            "your address has been removed."
        )
        return _page(request, _("Unsubscribed"), message)
    message = _("Press the button to stop the mails about replies.")
    return _page(request, _("Unsubscribe"), message, button=_("Unsubscribe"))
