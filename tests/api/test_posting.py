"""Posting a comment through the API meets every rule the page's form meets:
the CAPTCHA (image or proof of work) from the challenge endpoint, the
honeypot, the least time, moderation, closed statements, the limits."""

import base64
import hashlib
import json

import altcha
import pytest
from django.core import mail
from django.test import Client

from communique.captcha import challenges, cookie
from communique.comments.models import Comment
from communique.publishing.models import Statement
from tests.api.conftest import api_url

pytestmark = pytest.mark.django_db

QUEUED = (
    "Your comment has been queued for review by site administrators and will be "
    "published after approval."
)
NOT_CORRECT = "The answer you entered for the CAPTCHA was not correct."


@pytest.fixture(autouse=True)
def _least_work(settings, post_at_once):
    settings.COMMUNIQUE_ALTCHA_MAX_NUMBER = 1


def post(client, statement, headers=None, **fields):
    data = {"author_name": "Shirin", "body": "Thank you for this statement."}
    data.update(fields)
    return client.post(
        api_url(f"statements/{statement.pk}/comments/"),
        json.dumps(data),
        content_type="application/json",
        headers=headers or {},
    )


def challenge(client, **query) -> dict:
    response = client.get(api_url("challenge/"), query)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response.json()


def code_of(token: str) -> str:
    (challenge_id,) = cookie.ids_in(token)
    return challenges.code_of(challenge_id)


def solved(proof_of_work: dict) -> str:
    parsed = altcha.Challenge.from_dict(proof_of_work)
    solution = altcha.solve_challenge(parsed, timeout=10)
    return altcha.Payload(parsed, solution).to_base64()


def test_the_challenge_holds_an_image_a_token_and_a_proof_of_work(client):
    found = challenge(client)
    assert found["required"] is True
    assert found["image"].startswith("data:image/png;base64,")
    png = base64.b64decode(found["image"].partition(",")[2])
    assert png.startswith(b"\x89PNG")
    assert len(code_of(found["token"])) == 5
    assert found["digits_only"] is False
    assert found["help"] == "Enter the characters shown in the image."
    assert found["expires_in"] == 30 * 60
    assert found["proof_of_work"]["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert not client.cookies  # the token, not a cookie, names it


def test_a_persian_challenge_asks_for_digits(client):
    found = challenge(client, lang="fa")
    assert found["digits_only"] is True
    assert code_of(found["token"]).isdigit()


def test_no_challenge_when_the_form_asks_for_none(client, settings):
    settings.COMMUNIQUE_CAPTCHA_FORMS = ["comment"]
    assert challenge(client, form="reply") == {
        "required": False,
        "token": "",
        "image": "",
        "digits_only": False,
        "help": "",
        "expires_in": 0,
        "wait_at_least": 0,
        "proof_of_work": None,
    }


def test_the_code_with_its_token_posts_once(client, api_statement):
    found = challenge(client)
    answer = {"captcha": code_of(found["token"]), "captcha_token": found["token"]}
    posted = post(client, api_statement, **answer)
    assert posted.status_code == 201
    comment = Comment.objects.get(author_name="Shirin")
    assert posted.json() == {
        "id": comment.pk,
        "status": "pending",
        "detail": QUEUED,
        "permalink": None,
    }
    assert comment.status == Comment.Status.PENDING
    again = post(client, api_statement, body="Once more.", **answer)
    assert again.status_code == 400
    assert "used already or has expired" in again.json()["errors"]["captcha"][0]


def test_the_code_with_the_image_cookie_posts_too(client, api_statement):
    from tests.helpers import fetch_captcha

    posted = post(client, api_statement, captcha=fetch_captcha(client))
    assert posted.status_code == 201


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({}, NOT_CORRECT),
        ({"captcha": "WRONG"}, NOT_CORRECT),
        ({"captcha": "ABCDE", "captcha_token": "forged"}, "had not been loaded"),
        ({"captcha_proof": "bm90IGEgcHJvb2Y="}, "could not be confirmed"),
    ],
    ids=["missing", "wrong", "forged-token", "bad-proof"],
)
def test_no_comment_without_the_captcha(client, api_statement, answer, message):
    found = challenge(client)
    if answer.get("captcha") == "WRONG":
        answer["captcha_token"] = found["token"]
    refused = post(client, api_statement, **answer)
    assert refused.status_code == 400
    assert message in refused.json()["errors"]["captcha"][0]
    assert not Comment.objects.filter(author_name="Shirin").exists()


def test_too_soon_after_the_challenge(client, api_statement, settings):
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 60
    found = challenge(client)
    assert found["wait_at_least"] == 60
    answer = {"captcha": code_of(found["token"]), "captcha_token": found["token"]}
    refused = post(client, api_statement, **answer)
    assert refused.status_code == 400
    assert "quicker than a person" in refused.json()["errors"]["captcha"][0]


def test_a_solved_proof_of_work_posts_once(client, api_statement):
    proof = solved(challenge(client)["proof_of_work"])
    assert post(client, api_statement, captcha_proof=proof).status_code == 201
    again = post(client, api_statement, body="Again.", captcha_proof=proof)
    assert again.status_code == 400


def test_the_honeypot_keeps_the_comment_as_spam_and_says_nothing(
    client, api_statement, no_captcha
):
    posted = post(client, api_statement, url="http://spam.example/")
    assert posted.status_code == 201
    assert posted.json()["status"] == "pending"
    assert posted.json()["detail"] == QUEUED
    assert Comment.objects.get(author_name="Shirin").status == Comment.Status.SPAM


def test_published_at_once_when_the_site_does_not_moderate_first(
    client, api_statement, no_captcha, settings
):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    posted = post(client, api_statement).json()
    assert posted["status"] == "published"
    assert posted["detail"] == "Your comment has been posted."
    assert posted["permalink"] == f"http://testserver/comments/{posted['id']}/"


def test_a_reply(client, api_statement, no_captcha, settings):
    settings.COMMUNIQUE_COMMENTS_REQUIRE_APPROVAL = False
    nasrin = Comment.objects.get(author_name="Nasrin")
    posted = post(client, api_statement, parent=nasrin.pk)
    assert posted.status_code == 201
    reply = Comment.objects.get(pk=posted.json()["id"])
    assert (reply.parent_id, reply.depth) == (nasrin.pk, 2)


def test_a_reply_to_no_such_comment(client, api_statement, no_captcha):
    refused = post(client, api_statement, parent=2**40)
    assert refused.status_code == 400
    assert "no longer available" in refused.json()["errors"]["parent"][0]


def test_field_errors_name_their_fields(client, api_statement, no_captcha):
    refused = post(client, api_statement, author_name="", body="", email="nope")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"author_name", "body", "email"}
    assert refused.json()["detail"] == "The comment was not saved: see `errors`."


def test_replies_mail_asks_to_confirm(
    client, api_statement, no_captcha, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posted = post(client, api_statement, email="s@example.org", notify_replies=True)
    assert posted.status_code == 201
    assert "open the link in the mail we sent you" in posted.json()["detail"]
    assert mail.outbox[-1].to == ["s@example.org"]


@pytest.mark.parametrize(("commenting", "status"), [("closed", 403), ("hidden", 403)])
def test_closed_statements_take_no_comments(
    client, api_statement, no_captcha, commenting, status
):
    Statement.objects.filter(pk=api_statement.pk).update(commenting=commenting)
    refused = post(client, api_statement)
    assert refused.status_code == status
    assert "closed" in refused.json()["detail"]


def test_unpublished_statements_are_not_found(client, api_statement, no_captcha):
    Statement.objects.filter(pk=api_statement.pk).update(status="draft")
    assert post(client, api_statement).status_code == 404


def test_too_many_comments_are_refused_for_a_while(
    client, api_statement, no_captcha, settings
):
    settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS = True
    settings.COMMUNIQUE_ANTISPAM_COMMENTS_PER_MINUTE = 1
    assert post(client, api_statement, body="First.").status_code == 201
    refused = post(client, api_statement, body="Second.")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "faster than this site allows" in refused.json()["detail"]


def test_too_many_challenges_are_refused(client, settings):
    settings.COMMUNIQUE_ANTISPAM_RATE_LIMITS = True
    settings.COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE = 1
    challenge(client)
    refused = client.get(api_url("challenge/"))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, 403),
        ({"Sec-Fetch-Site": "same-site", "Origin": "https://evil.example"}, 403),
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "null"}, 403),
        ({"Sec-Fetch-Site": "same-origin"}, 201),
        ({"Origin": "http://testserver"}, 201),
        ({}, 201),
    ],
)
def test_posts_from_other_sites_are_refused(api_statement, no_captcha, headers, status):
    browser = Client(enforce_csrf_checks=True)
    response = post(browser, api_statement, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert "another site" in response.json()["detail"]
        assert not Comment.objects.filter(author_name="Shirin").exists()


def solve_as_documented(challenge: dict) -> str:
    """docs/api.md's solver, with nothing but the standard library."""
    parameters = challenge["parameters"]
    nonce = bytes.fromhex(parameters["nonce"])
    salt = bytes.fromhex(parameters["salt"])
    counter = 0
    while True:
        password = nonce + counter.to_bytes(4, "big")
        key = hashlib.pbkdf2_hmac(
            "sha256", password, salt, parameters["cost"], parameters["keyLength"]
        ).hex()
        if key.startswith(parameters["keyPrefix"]):
            break
        counter += 1
    solution = {"counter": counter, "derivedKey": key}
    payload = {"challenge": challenge, "solution": solution}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def test_the_proof_of_work_solved_as_the_docs_say(client, api_statement):
    proof = solve_as_documented(challenge(client)["proof_of_work"])
    assert post(client, api_statement, captcha_proof=proof).status_code == 201
