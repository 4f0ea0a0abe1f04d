"""The block list matches text as Persian readers read it (``fold_for_matching``)."""

import pytest
from django.urls import reverse

from communique.antispam import rules
from communique.antispam.models import BlockedTerm
from tests.antispam.test_rules import submission
from tests.helpers import soup_of

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"
KASHIDA = "\u0640"


@pytest.mark.parametrize(
    ("term", "body"),
    [
        # The term written with Arabic letters, the text with Persian ones.
        ("كازينو", "بازی در کازینو امشب"),
        ("يك ميليون", "برنده یک میلیون تومان شوید"),
        # The other way round.
        ("کازینو", "بازی در كازينو امشب"),
        # Kashida or diacritics in the text, the term, or both.
        ("کازینو", f"بازی در کـ{KASHIDA}ازینو امشب"),
        ("کازینو", "بازی در کازِینو امشب"),
        ("كَازِينُو", "بازی در کازینو امشب"),
        # The half-space, written or left out.
        (f"می{ZWNJ}فروشم", "ارزان میفروشم"),
        ("میفروشم", f"ارزان می{ZWNJ}فروشم"),
        # Persian digits.
        ("0912", "تماس: ۰۹۱۲ ۱۲۳ ۴۵۶۷"),
        # Shaped presentation forms.
        ("کازینو", "\ufedb\ufe8e\ufeb0\ufef4\ufee8\ufeed"),
        # Invisible characters inside a Latin word.
        ("casino", "play at the cas\u200bino"),
    ],
)
def test_blocked_term_matches_folded(term, body):
    BlockedTerm.objects.create(term=term, action=BlockedTerm.Action.SPAM)
    verdict = rules.blocked_terms(submission(body=body))
    assert (verdict.action, verdict.reason) == (rules.Action.SPAM, "blocked_term")


@pytest.mark.parametrize(
    ("term", "body"),
    [
        ("کازینو", "بازی در کازیون امشب"),
        ("آب", "اب"),  # alef madda is its own letter
        ("می فروشم", "میفروشم"),  # a space is not a half-space
    ],
)
def test_different_words_do_not_match(term, body):
    BlockedTerm.objects.create(term=term, action=BlockedTerm.Action.SPAM)
    assert rules.blocked_terms(submission(body=body)) == rules.ALLOW


def test_held_term_in_another_spelling_holds():
    BlockedTerm.objects.create(term="لاتاري", action=BlockedTerm.Action.HOLD)
    verdict = rules.blocked_terms(submission(author_name="لاتاری"))
    assert (verdict.action, verdict.reason) == (rules.Action.HOLD, "blocked_term")


def test_a_stored_term_that_folds_to_nothing_matches_nothing():
    """Such a term cannot be added through the form; one added before must not
    turn every comment into spam."""
    BlockedTerm.objects.create(term=KASHIDA + ZWNJ, action=BlockedTerm.Action.SPAM)
    assert rules.blocked_terms(submission(body="Anything at all.")) == rules.ALLOW


def blocklist_url():
    return reverse("antispam:blocklist")


@pytest.mark.parametrize(
    ("listed", "typed"),
    [
        ("کازینو", "كازينو"),
        ("كازينو", "کازینو"),
        ("کازینو", f"کـازِینو{ZWNJ}"),
        (f"می{ZWNJ}فروشم", "میفروشم"),
    ],
)
def test_another_spelling_of_a_listed_term_is_refused(client, moderator, listed, typed):
    BlockedTerm.objects.create(term=listed)
    client.force_login(moderator)
    response = client.post(blocklist_url(), {"term": typed, "action": "spam"})
    assert response.status_code == 400
    form = soup_of(response).find("input", attrs={"name": "term"}).find_parent("form")
    assert f"“{listed}” is on the list already." in form.get_text()
    assert BlockedTerm.objects.count() == 1


@pytest.mark.parametrize("typed", [KASHIDA * 3, ZWNJ, "\u064e\u0651", "\u200f\u200e"])
def test_a_term_with_nothing_to_match_is_refused(client, moderator, typed):
    client.force_login(moderator)
    response = client.post(blocklist_url(), {"term": typed, "action": "spam"})
    assert response.status_code == 400
    assert "Enter letters, digits or signs to match" in response.content.decode()
    assert not BlockedTerm.objects.exists()


def test_a_persian_term_is_kept_as_typed(client, moderator):
    client.force_login(moderator)
    typed = f"می{ZWNJ}فروشم"
    response = client.post(blocklist_url(), {"term": typed, "action": "hold"})
    assert response.status_code == 302
    assert BlockedTerm.objects.get().term == typed
