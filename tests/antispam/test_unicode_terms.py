"""The block list sees through what Unicode can disguise: invisible characters,
full-width forms, host spellings (UTS 46) and look-alike letters (UTS 39)."""

import pytest
from django.urls import reverse

from communique.antispam import rules
from communique.antispam.models import BlockedTerm
from tests.antispam.test_rules import submission
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

ZWSP = "\u200b"
SOFT_HYPHEN = "\u00ad"
ZWNJ = "\u200c"
FULLWIDTH_EVIL = "\uff45\uff56\uff49\uff4c"
IDEOGRAPHIC_STOP = "\u3002"
CYRILLIC_E = "\u0435"
CYRILLIC_A = "\u0430"
CYRILLIC_ES = "\u0441"
CYRILLIC_O = "\u043e"

SPAM = (rules.Action.SPAM, "blocked_term")


@pytest.mark.parametrize(
    ("term", "field", "text"),
    [
        # The examples, in the text.
        ("evil.com", "body", f"Go to {FULLWIDTH_EVIL}.com today"),
        ("evil.com", "body", f"Go to evil{IDEOGRAPHIC_STOP}com today"),
        ("evil.com", "body", f"Go to ev{ZWSP}il.com today"),
        ("evil.com", "body", f"Go to ev{SOFT_HYPHEN}il.com today"),
        ("viagra", "body", f"cheap via{ZWSP}gra here"),
        ("viagra", "body", f"cheap via{SOFT_HYPHEN}gra here"),
        # In links, and in the other fields.
        ("evil.com", "body", f"https://{FULLWIDTH_EVIL}{IDEOGRAPHIC_STOP}com/x"),
        ("evil.com", "body", f"www.ev{ZWSP}il{IDEOGRAPHIC_STOP}com"),
        ("evil.com", "homepage", f"https://ev{SOFT_HYPHEN}il.com/"),
        ("evil.com", "email", f"me@evil{IDEOGRAPHIC_STOP}com"),
        ("viagra", "author_name", "\uff56\uff49\uff41\uff47\uff52\uff41"),
        # Other default ignorables.
        ("viagra", "body", "via\u2060gra"),
        ("viagra", "body", "via\u034fgra"),
        ("viagra", "body", "via\ufe0fgra"),
        ("viagra", "body", "via\u3164gra"),
        # Look-alike letters of other scripts.
        ("evil.com", "body", f"Go to {CYRILLIC_E}vil.com"),
        ("casino", "body", f"play {CYRILLIC_ES}{CYRILLIC_A}sin{CYRILLIC_O} now"),
        ("paypal", "body", f"p{CYRILLIC_A}yp{CYRILLIC_A}l login"),
        ("paypal", "body", "paypa\u0627 login"),  # an Arabic alef for the "l"
        # The term disguised, the text plain.
        (f"{FULLWIDTH_EVIL}{IDEOGRAPHIC_STOP}com", "body", "Go to evil.com"),
        (f"ev{ZWSP}il.com", "body", "Go to evil.com"),
        (f"{CYRILLIC_ES}asino", "body", "play casino"),
        # A host written in Unicode and in its A-label form.
        ("пример.рф", "body", "https://xn--e1afmkfd.xn--p1ai/"),
        ("xn--e1afmkfd.xn--p1ai", "body", "see пример.рф"),
    ],
)
def test_disguised_terms_are_caught(term, field, text):
    BlockedTerm.objects.create(term=term, action=BlockedTerm.Action.SPAM)
    verdict = rules.blocked_terms(submission(**{field: text}))
    assert (verdict.action, verdict.reason) == SPAM


@pytest.mark.parametrize(
    ("term", "text"),
    [
        # A Persian term matches Persian text, however it is typed...
        ("کازینو", "بازی در كازينو امشب"),
        ("کازینو", f"بازی در کاز{ZWSP}ینو امشب"),
        ("کازینو", f"بازی در کاز{SOFT_HYPHEN}ینو امشب"),
        ("کازینو", "بازی در \uff08کازینو\uff09 امشب"),
        ("شرط‌بندی", "سایت شرطبندی"),
        ("بت.com", f"سایت بت{IDEOGRAPHIC_STOP}com"),
        ("0912", "تماس: ۰۹۱۲ ۱۲۳"),
    ],
)
def test_persian_terms_still_match_persian_text(term, text):
    BlockedTerm.objects.create(term=term, action=BlockedTerm.Action.SPAM)
    verdict = rules.blocked_terms(submission(body=text))
    assert (verdict.action, verdict.reason) == SPAM


@pytest.mark.parametrize(
    ("term", "text"),
    [
        # ...and does not match unrelated text, nor its Latin look-alike.
        ("کازینو", "بازی در کازیون امشب"),
        ("کازینو", "casino tonight"),
        ("اه", "hello world"),  # alef and heh look like "l" and "o"
        ("او", "lo and behold"),
        ("آب", "اب"),
        ("کار", "گار"),
        # Latin terms do not match Persian text that looks like them.
        ("lo", "او گفت"),
        # Hosts that differ stay different.
        ("evil.com", "Go to evil.co.uk"),
        ("evil.com", f"Go to evil{IDEOGRAPHIC_STOP}org"),
    ],
)
def test_unrelated_text_does_not_match(term, text):
    BlockedTerm.objects.create(term=term, action=BlockedTerm.Action.SPAM)
    assert rules.blocked_terms(submission(body=text)) == rules.ALLOW


@pytest.mark.parametrize(
    ("listed", "typed"),
    [
        ("evil.com", f"{FULLWIDTH_EVIL}{IDEOGRAPHIC_STOP}com"),
        ("evil.com", f"{CYRILLIC_E}vil.com"),
        ("viagra", f"via{SOFT_HYPHEN}gra"),
    ],
)
def test_a_disguised_spelling_of_a_listed_term_is_refused(
    client, moderator, listed, typed
):
    BlockedTerm.objects.create(term=listed)
    client.force_login(moderator)
    response = client.post(
        reverse("antispam:blocklist"), {"term": typed, "action": "spam"}
    )
    assert response.status_code == 400
    form = soup_of(response).find("input", attrs={"name": "term"}).find_parent("form")
    assert f"“{listed}” is on the list already." in form.get_text()
