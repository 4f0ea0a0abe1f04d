"""The proof of work (ALTCHA): its challenge endpoint, a solved payload
standing in for the image's answer once, and the image taking over whenever a
payload does not check out. Payloads are solved here with the library's own
solver (hashlib's PBKDF2), at the least difficulty."""

import base64
import json
import time

import altcha
import pytest
from django.urls import reverse

from communique.captcha import pressure, proofs
from communique.comments.models import Comment
from tests.factories import StatementFactory
from tests.helpers import fetch_captcha

pytestmark = pytest.mark.django_db

PROOF_FAILED = "check could not be confirmed"


@pytest.fixture(autouse=True)
def _least_work(settings):
    settings.COMMUNIQUE_ALTCHA_ENABLED = True
    settings.COMMUNIQUE_ALTCHA_MAX_NUMBER = 1


@pytest.fixture
def statement():
    return StatementFactory()


def solved(challenge: dict) -> str:
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=10)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def fetch_and_solve(client) -> str:
    return solved(client.get(reverse("captcha:altcha")).json())


def comment_data(*, answer="", proof="", **overrides):
    data = {
        "author_name": "Shirin",
        "email": "",
        "homepage": "",
        "subject": "",
        "body": "Thank you for this statement.",
        "captcha": answer,
        "captcha_proof": proof,
        "op": "save",
    }
    data.update(overrides)
    return data


def post(client, statement, data):
    return client.post(reverse("comments:post", args=[statement.pk]), data)


def test_the_challenge_is_json_for_the_widget_and_never_stored(client):
    response = client.get(reverse("captcha:altcha"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # nothing is kept on the reader's side either
    challenge = response.json()
    assert challenge["parameters"]["algorithm"] == "PBKDF2/SHA-256"
    assert challenge["parameters"]["cost"] == proofs.ITERATIONS
    assert challenge["parameters"]["expiresAt"] > time.time()
    assert challenge["signature"]
    assert challenge["parameters"]["keySignature"]  # checked without deriving


def test_the_challenge_is_rate_limited_with_the_image(client, settings):
    settings.COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE = 3
    client.get(reverse("captcha:image"))
    statuses = [client.get(reverse("captcha:altcha")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_challenge_refuses_writes(client):
    assert client.post(reverse("captcha:altcha")).status_code == 405


def test_a_solved_payload_posts_without_the_image(client, statement):
    response = post(client, statement, comment_data(proof=fetch_and_solve(client)))
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_a_payload_posts_once(client, statement):
    proof = fetch_and_solve(client)
    assert post(client, statement, comment_data(proof=proof)).status_code == 302
    again = post(client, statement, comment_data(proof=proof, body="Once more."))
    assert again.status_code == 400
    assert PROOF_FAILED in again.content.decode()
    assert Comment.objects.count() == 1


def test_a_spent_payload_leaves_the_image_to_decide(client, statement):
    proof = fetch_and_solve(client)
    post(client, statement, comment_data(proof=proof))
    code = fetch_captcha(client)
    again = post(client, statement, comment_data(answer=code, proof=proof, body="2"))
    assert again.status_code == 302
    assert Comment.objects.count() == 2


def test_an_expired_payload_falls_back_to_the_image(client, statement):
    proof = solved(proofs.new_challenge(now=time.time() - 3 * 3600))
    response = post(client, statement, comment_data(proof=proof))
    assert response.status_code == 400
    assert PROOF_FAILED in response.content.decode()
    assert proofs.redeem(proof) is proofs.Outcome.EXPIRED
    code = fetch_captcha(client)
    fallback = post(client, statement, comment_data(answer=code, proof=proof))
    assert fallback.status_code == 302


def _tampered(proof: str, change) -> str:
    data = json.loads(base64.b64decode(proof))
    change(data)
    return base64.b64encode(json.dumps(data).encode()).decode()


def _easier(data):
    data["challenge"]["parameters"]["cost"] = 1


def _other_key(data):
    data["solution"]["derivedKey"] = "00" * 32


def _longer_life(data):
    data["challenge"]["parameters"]["expiresAt"] += 3600


def _unsigned(data):
    del data["challenge"]["signature"]


@pytest.mark.parametrize(
    "change", [_easier, _other_key, _longer_life, _unsigned], ids=lambda f: f.__name__
)
def test_a_tampered_payload_falls_back_to_the_image(client, statement, change):
    proof = _tampered(fetch_and_solve(client), change)
    assert proofs.redeem(proof) is proofs.Outcome.INVALID
    response = post(client, statement, comment_data(proof=proof))
    assert response.status_code == 400
    assert PROOF_FAILED in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "garbage",
    ["x", "%%%", base64.b64encode(b"[1, 2]").decode(), "e30=", "A" * 5000, "é"],
)
def test_garbage_is_invalid_and_never_a_500(client, statement, garbage):
    assert proofs.redeem(garbage) is proofs.Outcome.INVALID
    assert post(client, statement, comment_data(proof=garbage)).status_code == 400


def test_a_payload_from_another_site_is_invalid(client, settings):
    proof = fetch_and_solve(client)
    settings.SECRET_KEY = "another site's secret key, at least 32 characters"
    assert proofs.redeem(proof) is proofs.Outcome.INVALID


def test_without_a_payload_the_image_works_as_before(client, statement):
    code = fetch_captcha(client)
    assert post(client, statement, comment_data(answer=code)).status_code == 302


def test_too_soon_after_its_challenge_is_too_fast_and_not_spent(
    client, statement, settings
):
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 60
    proof = fetch_and_solve(client)
    response = post(client, statement, comment_data(proof=proof))
    assert response.status_code == 400
    assert "quicker than a person" in response.content.decode()
    later = time.time() + 61
    assert proofs.redeem(proof, now=later) is proofs.Outcome.SOLVED


def test_switched_off_a_payload_counts_for_nothing(client, statement, settings):
    proof = fetch_and_solve(client)
    settings.COMMUNIQUE_ALTCHA_ENABLED = False
    response = post(client, statement, comment_data(proof=proof))
    assert response.status_code == 400
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "data-captcha-proof" not in page


def test_two_racers_with_one_payload_record_it_once(each_store):
    proof = solved(proofs.new_challenge())
    outcomes = [proofs.redeem(proof), proofs.redeem(proof)]
    assert outcomes == [proofs.Outcome.SOLVED, proofs.Outcome.SPENT]
    store = proofs.spent_store()
    assert store.spend("abc", time.time() + 60) is True
    assert store.spend("abc", time.time() + 60) is False


def test_the_page_is_the_same_whatever_the_proofs_state(client, statement, settings):
    settings.COMMUNIQUE_PAGE_CACHE = False
    before = client.get(statement.get_absolute_url()).content
    proof = fetch_and_solve(client)
    post(client, statement, comment_data(proof=proof, body="Hello."))
    for _ in range(settings.COMMUNIQUE_ALTCHA_RISE_AFTER_REFUSALS * 4):
        pressure.note_refusal()
    assert pressure.doublings() == 3
    Comment.objects.all().delete()
    client.cookies.clear()
    after = client.get(statement.get_absolute_url()).content
    assert after == before
    assert b"captcha_proof" in after  # the hidden field's name, for the widget


def test_the_work_doubles_while_refusals_spike_and_falls_back(settings):
    settings.COMMUNIQUE_ALTCHA_MAX_NUMBER = 400
    settings.COMMUNIQUE_ALTCHA_RISE_AFTER_REFUSALS = 10
    start = 1_000_000 * 60.0  # a fixed clock, at the start of a minute
    assert pressure.max_number(now=start) == 400
    for _ in range(9):
        pressure.note_refusal(now=start)
    assert pressure.max_number(now=start) == 400
    pressure.note_refusal(now=start + 30)
    assert pressure.max_number(now=start + 30) == 800
    for _ in range(10):
        pressure.note_refusal(now=start + 120)
    assert pressure.max_number(now=start + 120) == 1600
    for _ in range(1000):
        pressure.note_refusal(now=start + 180)
    assert pressure.max_number(now=start + 180) == 400 * 2**pressure.MAX_DOUBLINGS
    # As the spike's minutes leave the ten-minute window, the work falls back.
    assert pressure.max_number(now=start + 10 * 60 + 150) == 400 * 2**3
    assert pressure.max_number(now=start + 13 * 60 + 1) == 400
    settings.COMMUNIQUE_ALTCHA_RISE_AFTER_REFUSALS = 0  # never rises
    for _ in range(100):
        pressure.note_refusal(now=start + 14 * 60)
    assert pressure.max_number(now=start + 14 * 60) == 400


def test_issued_challenges_follow_the_current_difficulty(settings):
    settings.COMMUNIQUE_ALTCHA_MAX_NUMBER = 1
    settings.COMMUNIQUE_ALTCHA_RISE_AFTER_REFUSALS = 1
    assert pressure.max_number() == 1
    pressure.note_refusal()
    assert pressure.max_number() == 2
    challenge = altcha.Challenge.from_dict(proofs.new_challenge())
    solution = altcha.solve_challenge(challenge, timeout=10)
    assert solution.counter == 1  # drawn from [max // 2, max): [1, 2)


def test_refusals_of_the_form_are_counted(client, statement):
    post(client, statement, comment_data(answer="WRONG"))
    post(client, statement, comment_data(proof="garbage"))
    assert pressure.recent_refusals() == 2
