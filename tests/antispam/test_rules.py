import datetime as dt
import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communique.antispam import ratelimits, rules
from communique.antispam.fingerprints import fingerprint
from communique.antispam.models import BlockedTerm, Refusal
from communique.comments.models import Comment
from tests.factories import UserFactory
from tests.helpers import FormClient, fetch_captcha
from tests.helpers import comment_form_data as form_data
from tests.helpers import comment_post_url as post_url

pytestmark = pytest.mark.django_db

QUEUED = (
    "Your comment has been queued for review by site administrators and will be "
    "published after approval."
)
TOO_FAST = "That was quicker than a person can write."
TOO_MANY = "You are posting comments faster than this site allows."
DUPLICATE = "You have already posted this comment."
Status = Comment.Status


@pytest.fixture(autouse=True)
def _guards_off(no_captcha, post_at_once):
    """The minimum-time tests set their own."""


@pytest.fixture(autouse=True)
def _steady_clock(monkeypatch):
    """Rate limits count in windows of whole minutes and hours; a clock that
    stands still keeps each test inside one window."""
    now = time.time()
    monkeypatch.setattr(ratelimits, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture
def trusted_client(client):
    """A reader whose comments skip approval: what the rules hold stands out."""
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="skip_approval"))
    client.force_login(user)
    return client


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response):
    return " ".join(
        error.get_text(" ", strip=True)
        for error in soup_of(response).select("#comment-form .form-errors")
    )


def kept_body(response):
    return soup_of(response).find("textarea", attrs={"name": "body"}).get_text()


def refusals():
    return dict(Refusal.objects.values_list("reason", "count"))


def links(count):
    return " ".join(f"https://example.org/page-{n}" for n in range(count))


# The honeypot


def test_honeypot_is_hidden_from_people_and_screen_readers(client, statement):
    page = soup_of(client.get(statement.get_absolute_url()))
    trap = page.find("input", attrs={"name": "url"})
    assert trap["type"] == "text"
    assert trap["tabindex"] == "-1"
    assert trap["autocomplete"] == "off"
    assert trap.get("value", "") == ""
    wrapper = trap.find_parent(attrs={"hidden": True})
    assert wrapper is not None
    assert wrapper["aria-hidden"] == "true"
    label = page.find("label", attrs={"for": trap["id"]})
    assert label.find_parent(attrs={"hidden": True}) == wrapper


def test_filled_honeypot_is_kept_as_spam_without_telling(client, statement):
    honest = FormClient().post(post_url(statement), form_data(body="A real comment."))
    trapped = client.post(
        post_url(statement),
        form_data(body="Cheap pills.", url="https://spam.example/"),
        REMOTE_ADDR="203.0.113.66",
    )
    assert trapped.status_code == honest.status_code == 302
    assert trapped["Location"] == honest["Location"] == statement.get_absolute_url()
    assert messages_of(trapped) == messages_of(honest) == [QUEUED]
    assert Comment.objects.get(body_source="Cheap pills.").status == Status.SPAM
    assert Comment.objects.get(body_source="A real comment.").status == Status.PENDING
    assert refusals() == {"honeypot": 1}


# The minimum time between the CAPTCHA's image and the answer


@pytest.fixture
def three_seconds(settings):
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 3
    settings.COMMUNIQUE_CAPTCHA_ENABLED = True


def test_sending_at_once_after_the_image_is_refused_and_keeps_the_text(
    client, statement, three_seconds
):
    code = fetch_captcha(client)
    response = client.post(
        post_url(statement), form_data(body="Written fast.", captcha=code)
    )
    assert response.status_code == 400
    assert TOO_FAST in response.content.decode()
    assert "wait a few seconds" in response.content.decode()
    assert kept_body(response).strip() == "Written fast."
    name = soup_of(response).find("input", attrs={"name": "author_name"})
    assert name["value"] == "Nasrin"
    assert not Comment.objects.exists()
    assert refusals() == {"too_fast": 1}


def test_pages_carry_no_time_of_their_own(client, statement, three_seconds):
    first = client.get(statement.get_absolute_url())
    page = soup_of(first)
    assert page.find("input", attrs={"name": "shown_at"}) is None
    assert page.find("input", attrs={"type": "hidden", "name": "parent"})
    time.sleep(1.1)  # a page rendered a second later is the same page
    assert Client().get(statement.get_absolute_url()).content == first.content


def test_without_the_captcha_there_is_no_time_to_check(client, statement, settings):
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 3
    response = client.post(post_url(statement), form_data())
    assert response.status_code == 302
    assert Comment.objects.count() == 1


# Per-client rate limits


def post_several(client, statement, count, *, remote="203.0.113.1", first=0):
    return [
        client.post(
            post_url(statement),
            form_data(body=f"Comment number {n}."),
            REMOTE_ADDR=remote,
        ).status_code
        for n in range(first, first + count)
    ]


def test_fourth_comment_within_a_minute_is_refused(client, statement, settings):
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE = 3
    assert post_several(client, statement, 3) == [302, 302, 302]
    response = client.post(
        post_url(statement),
        form_data(body="The fourth, kept."),
        REMOTE_ADDR="203.0.113.1",
    )
    assert response.status_code == 429
    assert TOO_MANY in form_errors(response)
    assert "your text is kept" in form_errors(response)
    assert kept_body(response).strip() == "The fourth, kept."
    assert Comment.objects.count() == 3
    assert post_several(client, statement, 1, remote="198.51.100.2", first=9) == [302]
    assert Comment.objects.count() == 4
    assert refusals() == {"rate_limit": 1}


def test_limit_per_hour(client, statement, settings):
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE = 100
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_HOUR = 2
    assert post_several(client, statement, 4) == [302, 302, 429, 429]
    assert Comment.objects.count() == 2
    assert refusals() == {"rate_limit": 2}


def test_limits_can_be_lifted(client, statement, settings):
    settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS = False
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE = 3
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_HOUR = 3
    assert post_several(client, statement, 6) == [302] * 6
    assert refusals() == {}


def test_limits_are_kept_per_fingerprint_not_address(client, statement, monkeypatch):
    keys = []

    def counting(scope, key, **kwargs):
        keys.append((scope, key))
        return False

    monkeypatch.setattr(rules, "over_limit", counting)
    post_several(client, statement, 1, remote="203.0.113.1")
    assert {key for _, key in keys} == {fingerprint("203.0.113.1")}
    assert all("203.0.113" not in key for _, key in keys)


# Duplicates


def test_same_text_twice_from_one_client_is_refused(client, statement):
    first = client.post(post_url(statement), form_data(body="Exactly this."))
    second = client.post(
        post_url(statement), form_data(body="Exactly this.", author_name="Nas")
    )
    assert first.status_code == 302
    assert second.status_code == 409
    assert DUPLICATE in form_errors(second)
    assert kept_body(second).strip() == "Exactly this."
    assert Comment.objects.count() == 1
    assert refusals() == {"duplicate": 1}


def test_same_text_from_another_client_passes(client, statement):
    client.post(post_url(statement), form_data(body="Exactly this."))
    response = client.post(
        post_url(statement),
        form_data(body="Exactly this."),
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    assert Comment.objects.count() == 2


@pytest.mark.parametrize(
    ("window", "age", "status"),
    [
        (60, 59, 409),
        (60, 61, 302),
        (5, 4, 409),
        (5, 6, 302),
        (0, 0, 302),  # 0 turns the rule off
    ],
)
def test_duplicates_are_refused_within_the_window(
    client, statement, settings, window, age, status
):
    settings.COMMUNIQUE_ANTISPAM_DUPLICATE_MINUTES = window
    client.post(post_url(statement), form_data(body="Said it once."))
    Comment.objects.update(created=timezone.now() - dt.timedelta(minutes=age))
    response = client.post(post_url(statement), form_data(body="Said it once."))
    assert response.status_code == status
    assert Comment.objects.count() == (1 if status == 409 else 2)


# Links


@pytest.mark.parametrize(
    ("count", "status"),
    [
        (0, Status.PUBLISHED),
        (2, Status.PUBLISHED),
        (3, Status.PENDING),
        (10, Status.PENDING),
        (11, Status.SPAM),
        (40, Status.SPAM),
    ],
)
def test_links_hold_or_mark_spam_even_for_trusted_users(
    trusted_client, statement, count, status
):
    response = trusted_client.post(
        post_url(statement), form_data(body=f"See {links(count)}")
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.body_html.count("<a ") == count
    assert comment.status == status
    if status == Status.PUBLISHED:
        assert messages_of(response) == ["Your comment has been posted."]
    else:
        assert messages_of(response) == [QUEUED]
    assert refusals() == ({"too_many_links": 1} if status == Status.SPAM else {})


@pytest.mark.parametrize(
    ("hold", "spam", "count", "status"),
    [
        (0, 1, 0, Status.PUBLISHED),
        (0, 1, 1, Status.PENDING),
        (0, 1, 2, Status.SPAM),
        (5, 8, 5, Status.PUBLISHED),
        (5, 8, 6, Status.PENDING),
        (5, 8, 9, Status.SPAM),
    ],
)
def test_link_thresholds_follow_the_settings(
    trusted_client, statement, settings, hold, spam, count, status
):
    settings.COMMUNIQUE_ANTISPAM_LINKS_TO_HOLD = hold
    settings.COMMUNIQUE_ANTISPAM_LINKS_TO_SPAM = spam
    trusted_client.post(post_url(statement), form_data(body=f"See {links(count)}"))
    assert Comment.objects.get().status == status


def test_too_many_links_from_anonymous_is_spam(client, statement):
    response = client.post(post_url(statement), form_data(body=links(11)))
    assert response.status_code == 302
    assert messages_of(response) == [QUEUED]
    assert Comment.objects.get().status == Status.SPAM


# The block list


@pytest.mark.parametrize(
    ("term", "field", "value"),
    [
        ("casino", "body", "Play at the casino tonight."),
        ("casino", "body", "PLAY AT THE CASINO TONIGHT."),
        ("CaSiNo", "body", "play at the casino tonight."),
        ("casino", "author_name", "Casino Bob"),
        ("casino.example", "email", "bob@Casino.Example"),
        ("casino.example", "homepage", "https://www.casino.example/offers"),
        ("https://casino.example/win", "body", "Go to HTTPS://CASINO.EXAMPLE/WIN now"),
        ("Straße", "body", "Meet me on the STRASSE."),
    ],
)
def test_blocked_term_marks_spam_silently(client, statement, term, field, value):
    BlockedTerm.objects.create(term=term, action=BlockedTerm.Action.SPAM)
    response = client.post(post_url(statement), form_data(**{field: value}))
    assert response.status_code == 302
    assert messages_of(response) == [QUEUED]
    assert Comment.objects.get().status == Status.SPAM
    assert refusals() == {"blocked_term": 1}


def test_held_term_waits_for_a_moderator_even_for_trusted_users(
    trusted_client, statement
):
    BlockedTerm.objects.create(term="lottery", action=BlockedTerm.Action.HOLD)
    trusted_client.post(post_url(statement), form_data(body="The Lottery is rigged."))
    assert Comment.objects.get().status == Status.PENDING
    assert refusals() == {}


def test_spam_term_beats_held_term(trusted_client, statement):
    BlockedTerm.objects.create(term="aaa-hold", action=BlockedTerm.Action.HOLD)
    BlockedTerm.objects.create(term="zzz-spam", action=BlockedTerm.Action.SPAM)
    trusted_client.post(post_url(statement), form_data(body="aaa-hold and zzz-spam"))
    assert Comment.objects.get().status == Status.SPAM


def test_text_without_blocked_terms_passes(trusted_client, statement):
    BlockedTerm.objects.create(term="casino", action=BlockedTerm.Action.SPAM)
    trusted_client.post(post_url(statement), form_data(body="The harbour is calm."))
    assert Comment.objects.get().status == Status.PUBLISHED


def blocklist_url():
    return reverse("antispam:blocklist")


def test_block_list_needs_the_moderation_permission(client, moderator):
    response = client.get(blocklist_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    client.force_login(UserFactory())
    assert client.get(blocklist_url()).status_code == 403
    response = client.post(blocklist_url(), {"term": "x", "action": "spam"})
    assert response.status_code == 403
    assert not BlockedTerm.objects.exists()
    client.force_login(moderator)
    response = client.get(blocklist_url())
    assert response.status_code == 200
    assert "Nothing is blocked yet." in response.content.decode()


def test_moderator_blocks_a_term(client, moderator):
    client.force_login(moderator)
    response = client.post(
        blocklist_url(), {"term": "  casino.example ", "action": "hold"}
    )
    assert response.status_code == 302
    assert response["Location"] == blocklist_url()
    assert list(BlockedTerm.objects.values_list("term", "action")) == [
        ("casino.example", "hold")
    ]
    page = client.get(blocklist_url())
    assert "“casino.example” is blocked now." in page.content.decode()
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")][:2]
        for row in soup_of(page).select("table tbody tr")
    ]
    assert rows == [["casino.example", "Hold for moderation"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"term": "casino", "action": "spam"}, "on the list already"),
        ({"term": "CASINO", "action": "hold"}, "on the list already"),
        ({"term": "   ", "action": "spam"}, "This field is required."),
        ({"term": "dice", "action": "explode"}, "Select a valid choice."),
        ({"term": "d" * 201, "action": "spam"}, "at most 200 characters"),
    ],
)
def test_block_list_form_errors(client, moderator, data, message):
    BlockedTerm.objects.create(term="casino")
    client.force_login(moderator)
    response = client.post(blocklist_url(), data)
    assert response.status_code == 400
    form = soup_of(response).find("input", attrs={"name": "term"}).find_parent("form")
    assert message in form.get_text()
    assert BlockedTerm.objects.count() == 1


def test_moderator_unblocks_a_term(client, moderator):
    term = BlockedTerm.objects.create(term="casino")
    client.force_login(moderator)
    response = client.post(reverse("antispam:unblock", args=[term.pk]))
    assert response.status_code == 302
    assert response["Location"] == blocklist_url()
    assert not BlockedTerm.objects.exists()
    assert "“casino” is no longer blocked." in messages_of(response)


def test_unblocking_needs_post_and_the_permission(client, moderator):
    term = BlockedTerm.objects.create(term="casino")
    url = reverse("antispam:unblock", args=[term.pk])
    client.force_login(UserFactory())
    assert client.post(url).status_code == 403
    client.force_login(moderator)
    assert client.get(url).status_code == 405
    assert BlockedTerm.objects.filter(pk=term.pk).exists()
    assert client.post(reverse("antispam:unblock", args=[999999])).status_code == 404


# Refusals counted by reason, shown in the moderation queue


def refused_section(client):
    return soup_of(client.get(reverse("comments:moderation"))).find(
        "section", class_="refused"
    )


def test_queue_says_when_nothing_was_refused_today(client, moderator):
    Refusal.objects.create(
        day=timezone.localdate() - dt.timedelta(days=1), reason="duplicate", count=5
    )
    client.force_login(moderator)
    section = refused_section(client)
    assert section.find("h2").get_text() == "Refused today"
    assert "Nothing was refused today." in section.get_text()
    assert section.find("li") is None


def test_queue_shows_todays_refusals_by_reason(client, statement, moderator):
    for body in ("Twice.", "Twice.", "Twice."):
        client.post(post_url(statement), form_data(body=body))
    client.post(post_url(statement), form_data(body="Trap.", url="x"))
    client.force_login(moderator)
    section = refused_section(client)
    assert [item.get_text() for item in section.find_all("li")] == [
        "duplicate: 2",
        "honeypot filled: 1",
    ]
    assert "Nothing was refused today." not in section.get_text()


# The judge: which verdict wins


def verdict(action, reason=""):
    return rules.Verdict(getattr(rules.Action, action), reason)


SUBMISSION = rules.Submission(
    fingerprint="fp",
    author_name="Nasrin",
    email="",
    homepage="",
    body="We agree.",
    link_count=0,
)


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([], rules.ALLOW),
        ([rules.ALLOW, rules.ALLOW], rules.ALLOW),
        ([verdict("HOLD", "a")], verdict("HOLD", "a")),
        ([verdict("HOLD", "a"), verdict("HOLD", "b")], verdict("HOLD", "a")),
        ([rules.ALLOW, verdict("HOLD", "b")], verdict("HOLD", "b")),
        ([verdict("HOLD", "a"), verdict("SPAM", "b")], verdict("SPAM", "b")),
        ([verdict("HOLD", "a"), verdict("REFUSE", "b")], verdict("REFUSE", "b")),
        ([verdict("SPAM", "a"), verdict("REFUSE", "b")], verdict("SPAM", "a")),
        ([verdict("REFUSE", "a"), verdict("SPAM", "b")], verdict("REFUSE", "a")),
        (
            [verdict("HOLD", "a"), rules.ALLOW, verdict("SPAM", "c")],
            verdict("SPAM", "c"),
        ),
    ],
)
def test_judge_precedence(monkeypatch, verdicts, expected):
    monkeypatch.setattr(
        rules, "RULES", tuple(lambda submission, v=v: v for v in verdicts)
    )
    assert rules.judge(SUBMISSION) == expected


def test_judge_stops_at_the_first_refusal_or_spam(monkeypatch):
    def never(submission):
        raise AssertionError("consulted after a decisive verdict")

    monkeypatch.setattr(rules, "RULES", (lambda s: verdict("SPAM", "a"), never))
    assert rules.judge(SUBMISSION) == verdict("SPAM", "a")


def submission(**overrides):
    values = {
        "fingerprint": "fp-1",
        "author_name": "Nasrin",
        "email": "nasrin@example.org",
        "homepage": "",
        "body": "We agree.",
        "link_count": 0,
    }
    values.update(overrides)
    return rules.Submission(**values)


@pytest.mark.parametrize(
    ("overrides", "blocked", "action", "reason"),
    [
        ({}, None, "ALLOW", ""),
        ({"link_count": 2}, None, "ALLOW", ""),
        ({"link_count": 3}, None, "HOLD", "links"),
        ({"link_count": 11}, None, "SPAM", "too_many_links"),
        ({"honeypot_filled": True}, None, "SPAM", "honeypot"),
        ({"honeypot_filled": True, "link_count": 3}, None, "SPAM", "honeypot"),
        ({"body": "casino"}, "hold", "HOLD", "blocked_term"),
        ({"body": "casino"}, "spam", "SPAM", "blocked_term"),
        ({"body": "casino", "link_count": 3}, "spam", "SPAM", "blocked_term"),
        ({"body": "casino", "link_count": 3}, "hold", "HOLD", "links"),
        ({"body": "casino", "link_count": 11}, "hold", "SPAM", "too_many_links"),
        ({"homepage": "https://casino.example/"}, "spam", "SPAM", "blocked_term"),
        ({"is_duplicate": True, "link_count": 3}, None, "REFUSE", "duplicate"),
        ({"is_duplicate": True, "honeypot_filled": True}, None, "SPAM", "honeypot"),
    ],
)
def test_judge_with_the_real_rules(overrides, blocked, action, reason):
    if blocked:
        BlockedTerm.objects.create(term="casino", action=blocked)
    result = rules.judge(submission(**overrides))
    assert (result.action, result.reason) == (getattr(rules.Action, action), reason)


def test_rate_limit_refusal_beats_a_hold(settings):
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE = 1
    first = rules.judge(submission(link_count=3, body="One."))
    second = rules.judge(submission(link_count=3, body="Two."))
    assert (first.action, first.reason) == (rules.Action.HOLD, "links")
    assert (second.action, second.reason, second.status) == (
        rules.Action.REFUSE,
        "rate_limit",
        429,
    )


# Operators set the thresholds from the environment


def test_thresholds_come_from_the_environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMUNIQUE_")}
    env.update(
        DJANGO_SETTINGS_MODULE="communique.settings",
        COMMUNIQUE_DATA_DIR=str(tmp_path),
        COMMUNIQUE_ANTISPAM_MIN_SECONDS="0",
        COMMUNIQUE_ANTISPAM_RATE_LIMITS="false",
    )
    code = (
        "from django.conf import settings; print("
        "settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS, "
        "settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS)"
    )
    result = subprocess.run(
        [sys.executable, "-m", "communique", "shell", "-c", code],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "0 False"
