"""A challenge is drawn and spoken the same way every time: its randomness
comes from the challenge, never from the request, so fetching one code's image
or clip again gives nothing new to add up."""

import pytest
from django.urls import reverse

from communique.captcha import challenges
from tests.helpers import held_challenges

pytestmark = pytest.mark.django_db


def test_the_seed_is_the_challenges_own_and_not_its_id(settings):
    assert challenges.seed_of("abc") == challenges.seed_of("abc")
    assert challenges.seed_of("abc") != challenges.seed_of("abd")
    seed = challenges.seed_of("abc")
    settings.SECRET_KEY = "another secret key, long enough for the test ....."
    assert challenges.seed_of("abc") != seed


def test_asking_twice_for_one_challenges_image_gives_the_same_bytes(
    client, monkeypatch
):
    issued = challenges.issue()
    monkeypatch.setattr(challenges, "issue", lambda: issued)
    first = client.get(reverse("captcha:image")).content
    second = client.get(reverse("captcha:image")).content
    assert first == second
    assert first.startswith(b"\x89PNG")


def test_two_challenges_are_drawn_differently(client):
    first = client.get(reverse("captcha:image")).content
    second = client.get(reverse("captcha:image")).content
    assert len(set(held_challenges(client))) == 2
    assert first != second


def test_asking_twice_for_the_clip_gives_the_same_bytes(client):
    client.get(reverse("captcha:image"))
    first = client.get(reverse("captcha:audio")).content
    second = client.get(reverse("captcha:audio")).content
    assert first == second
    assert first.startswith(b"RIFF")
    client.get(reverse("captcha:image"))  # a new challenge: a new clip
    assert client.get(reverse("captcha:audio")).content != first
