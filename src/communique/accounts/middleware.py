from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from communique.accounts import twofactor

# Pages a staff session still needs before it has given its code.
OPEN_VIEWS = frozenset(
    {
        ("accounts", "sign_in"),
        ("accounts", "sign_out"),
        ("accounts", "two_factor"),
        ("admin", "login"),
        ("admin", "logout"),
    }
)


class SecondFactorMiddleware:
    """With ``COMMUNIQUE_STAFF_TOTP_REQUIRED``, a staff or moderator session
    that has not given an authenticator's code opens nothing but the pages
    that enrol one or take its code: not the admin, not the moderation pages,
    not the drafts staff see on the site. Comes after django-otp's
    ``OTPMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func, view_args, view_kwargs
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            not settings.COMMUNIQUE_STAFF_TOTP_REQUIRED
            # Without a session nobody is signed in; reading the session
            # would only add "Vary: Cookie" to readers' pages.
            or settings.SESSION_COOKIE_NAME not in request.COOKIES
            or (match.namespace, match.url_name) in OPEN_VIEWS
        ):
            return None
        if not twofactor.required_for(request.user):
            return None
        return redirect_to_login(
            request.get_full_path(), reverse("accounts:two_factor")
        )
