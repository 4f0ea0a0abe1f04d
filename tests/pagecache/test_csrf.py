"""CSRF values made for pages served before Django: Django must accept them."""

from collections import Counter
from http.cookies import SimpleCookie

import pytest
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    _mask_cipher_secret,
    _unmask_cipher_token,
)

from communique.pagecache import csrf


def test_random_characters_use_the_whole_alphabet_evenly():
    drawn = Counter(csrf.random_characters(62 * 1000))
    assert set(drawn) == set(CSRF_ALLOWED_CHARS)
    # 1000 expected each; a bias of one byte value in 256 would show as 1250.
    assert max(drawn.values()) < 1150
    assert min(drawn.values()) > 850


def test_masked_tokens_unmask_to_the_secret_with_djangos_function():
    for _ in range(500):
        secret = csrf.random_characters(32)
        token = csrf.masked(secret)
        assert len(token) == 64
        assert _unmask_cipher_token(token) == secret
    assert csrf.masked(secret) != csrf.masked(secret)


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        (None, None),
        ("", None),
        ("short", None),
        ("x" * 31 + "*", None),
        ("é" * 32, None),
        ("A" * 33, None),
        ("aZ09" * 8, "aZ09" * 8),
    ],
)
def test_cookie_secrets_are_taken_only_when_well_formed(cookie, expected):
    assert csrf.secret_from_cookie(cookie) == expected


def test_a_masked_cookie_from_older_django_gives_its_secret():
    secret = csrf.random_characters(32)
    assert csrf.secret_from_cookie(_mask_cipher_secret(secret)) == secret


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {
            "CSRF_COOKIE_SECURE": True,
            "CSRF_COOKIE_HTTPONLY": True,
            "CSRF_COOKIE_DOMAIN": ".example.org",
            "CSRF_COOKIE_PATH": "/news/",
            "CSRF_COOKIE_SAMESITE": "Strict",
            "CSRF_COOKIE_NAME": "token",
        },
        {"CSRF_COOKIE_AGE": None},
    ],
)
def test_the_cookie_is_the_one_django_sets(settings, changes):
    for name, value in changes.items():
        setattr(settings, name, value)
    secret = csrf.random_characters(32)
    ours = SimpleCookie()
    ours.load(csrf.cookie_header(secret))
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    django = response.cookies[settings.CSRF_COOKIE_NAME]
    mine = ours[settings.CSRF_COOKIE_NAME]
    assert mine.value == django.value == secret
    for attribute in ("max-age", "path", "domain", "secure", "httponly", "samesite"):
        assert str(mine[attribute]) == str(django[attribute]), attribute
    assert bool(mine["expires"]) == bool(django["expires"])


def test_token_for_a_request_is_djangos_get_token_faster(rf):
    """Same secret handling as get_token: kept when known, made when not, and
    marked for the middleware to send in the cookie."""
    from django.middleware.csrf import CsrfViewMiddleware

    returning = rf.get("/", HTTP_COOKIE="csrftoken=" + "aZ09" * 8)
    CsrfViewMiddleware(lambda request: None).process_request(returning)
    token = csrf.token_for(returning)
    assert _unmask_cipher_token(token) == "aZ09" * 8
    assert returning.META["CSRF_COOKIE_NEEDS_UPDATE"] is True

    new = rf.get("/")
    first, second = csrf.token_for(new), csrf.token_for(new)
    secret = new.META["CSRF_COOKIE"]
    assert len(secret) == 32
    assert set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert first != second
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret
    response = CsrfViewMiddleware(lambda request: None).process_response(
        new, HttpResponse()
    )
    assert response.cookies["csrftoken"].value == secret
