"""Signing in to the moderation pages, the second factor, and the page a
locked-out sign-in gets."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communique.accounts import twofactor
from communique.accounts.forms import CodeForm, SignInForm


class SignInView(auth_views.LoginView):
    """/moderation/sign-in/: moderators sign in here whether or not they are
    staff; the admin keeps its own page for staff."""

    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    next_page = reverse_lazy("comments:moderation")
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    next_page = reverse_lazy("accounts:sign_in")


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """What django-axes answers once an account or a client has failed too
    often: 429, saying when to try again (``AXES_LOCKOUT_CALLABLE``)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request, "accounts/locked_out.html", {"minutes": minutes}, status=429
    )
    response["Retry-After"] = str(minutes * 60)
    add_never_cache_headers(response)
    return response


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@never_cache
@login_required(login_url="accounts:sign_in")
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app, or give its code to finish signing in."""
    device = twofactor.confirmed_device(request.user)
    verified = device is not None and request.user.is_verified()
    enrolling = device is None
    if enrolling:
        device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if not verified and form.is_valid():
        if twofactor.check_code(request.user, device, form.cleaned_data["otp_token"]):
            if enrolling:
                twofactor.confirm(request, device)
            else:
                twofactor.verify_session(request, device)
            return redirect(_next_url(request) or "accounts:two_factor")
        form.add_error("otp_token", SignInForm.code_messages["wrong_code"])
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "enrolling": enrolling,
            "verified": verified,
            "secret": twofactor.secret_of(device) if enrolling else "",
            "config_url": device.config_url if enrolling else "",
            "next": _next_url(request),
            "required": settings.COMMUNIQUE_STAFF_TOTP_REQUIRED,
        },
    )
