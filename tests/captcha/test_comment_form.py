import io
import re
import wave

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse
from PIL import Image

from communique.captcha import challenges
from communique.captcha.placeholders import MARKER
from communique.comments.models import Comment
from tests.factories import CommentFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_CORRECT = "The answer you entered for the CAPTCHA was not correct."


@pytest.fixture
def statement():
    return StatementFactory()


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def challenge_of(response) -> str:
    return soup_of(response).find("input", attrs={"name": "captcha_0"})["value"]


def solved(client, challenge_id) -> str:
    """Fetch the image, as a reader's browser does, and read the code server-side."""
    assert client.get(reverse("captcha:image", args=[challenge_id])).status_code == 200
    return challenges.store().code_for(challenge_id)


def comment_data(challenge_id, answer, **overrides):
    data = {
        "author_name": "Shirin",
        "email": "",
        "homepage": "",
        "subject": "",
        "body": "Thank you for this statement.",
        "captcha_0": challenge_id,
        "captcha_1": answer,
        "op": "save",
    }
    data.update(overrides)
    return data


def test_captcha_fieldset_as_on_the_reference_page(client, statement):
    response = client.get(statement.get_absolute_url())
    page = soup_of(response)
    fieldset = page.find("fieldset", class_="captcha")
    assert fieldset.find("legend").get_text() == "CAPTCHA"
    assert fieldset.find(class_="captcha-description").get_text() == (
        "This question is for testing whether or not you are a human visitor and "
        "to prevent automated spam submissions."
    )
    image = fieldset.find("img")
    assert image["alt"] == "Image CAPTCHA"
    assert image["loading"] == "lazy"
    label = fieldset.find("label")
    assert label.get_text() == "What code is in the image?"
    answer = fieldset.find(id=label["for"])
    assert answer["name"] == "captcha_1"
    help_text = fieldset.find(id=answer["aria-describedby"].split()[0])
    assert help_text.get_text() == "Enter the characters shown in the image."
    assert fieldset.find("a").get_text() == "Listen to the code"
    form = page.find(id="comment-form")
    order = [
        form.find(class_="text-format").sourceline,
        fieldset.sourceline,
        form.find("button").sourceline,
    ]
    assert order == sorted(order)


def test_every_response_gets_its_own_challenge(client, statement):
    first = client.get(statement.get_absolute_url())
    second = client.get(statement.get_absolute_url())
    assert MARKER.encode() not in first.content
    ids = {challenge_of(first), challenge_of(second)}
    assert len(ids) == 2
    for challenge_id in ids:
        assert challenges.is_genuine(challenge_id)
        assert f"/captcha/{challenge_id}.png".encode() in (
            first.content + second.content
        )


def test_showing_the_form_stores_nothing(client, statement):
    from communique.captcha.models import Challenge

    client.get(statement.get_absolute_url())
    assert not Challenge.objects.exists()


def test_right_answer_posts_the_comment(client, statement):
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    code = solved(client, challenge_id)
    response = client.post(
        reverse("comments:post", args=[statement.pk]),
        comment_data(challenge_id, code.lower()),
    )
    assert response.status_code == 302
    assert Comment.objects.get().author_name == "Shirin"


@pytest.mark.parametrize("case", ["wrong", "missing", "forged", "never drawn"])
def test_refused_answers_keep_the_text_and_give_a_new_challenge(
    client, statement, case
):
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    answer = solved(client, challenge_id)
    if case == "wrong":
        answer = "WRONG"
    elif case == "missing":
        answer = ""
    elif case == "forged":
        challenge_id = "made-up:signature"
    elif case == "never drawn":
        challenge_id = challenges.new_challenge_id()
    response = client.post(
        reverse("comments:post", args=[statement.pk]),
        comment_data(challenge_id, answer, body="Keep these words."),
    )
    assert response.status_code == 400
    assert not Comment.objects.exists()
    page = soup_of(response)
    assert NOT_CORRECT in page.find(id="id_captcha_error").get_text()
    assert page.find("textarea").get_text().strip() == "Keep these words."
    assert page.find("input", attrs={"name": "author_name"})["value"] == "Shirin"
    assert page.find("input", attrs={"name": "captcha_1"}).get("value") is None
    new_id = challenge_of(response)
    assert new_id != challenge_id
    assert challenges.is_genuine(new_id)


def test_replaying_a_correct_answer_fails(client, statement):
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    code = solved(client, challenge_id)
    url = reverse("comments:post", args=[statement.pk])
    assert client.post(url, comment_data(challenge_id, code)).status_code == 302
    replay = client.post(url, comment_data(challenge_id, code, body="Again."))
    assert replay.status_code == 400
    assert Comment.objects.count() == 1


def test_preview_does_not_spend_the_challenge(client, statement):
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    code = solved(client, challenge_id)
    url = reverse("comments:post", args=[statement.pk])
    preview = client.post(url, comment_data(challenge_id, "", op="preview"))
    assert preview.status_code == 200
    assert soup_of(preview).find("fieldset", class_="captcha") is not None
    assert client.post(url, comment_data(challenge_id, code)).status_code == 302


def test_reply_form_has_the_captcha(client, statement):
    parent = CommentFactory(statement=statement)
    page = soup_of(client.get(reverse("comments:reply", args=[parent.pk])))
    assert page.find("fieldset", class_="captcha") is not None


def test_the_answer_never_appears_in_a_response(client, statement):
    page = client.get(statement.get_absolute_url())
    challenge_id = challenge_of(page)
    image = client.get(reverse("captcha:image", args=[challenge_id]))
    audio = client.get(reverse("captcha:audio", args=[challenge_id]))
    code = challenges.store().code_for(challenge_id)
    wrong = client.post(
        reverse("comments:post", args=[statement.pk]), comment_data(challenge_id, "X")
    )
    for response in (page, image, audio, wrong):
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        assert code not in headers
        assert code.encode() not in response.content
        assert code not in "; ".join(
            cookie.value for cookie in response.cookies.values()
        )


def test_image_and_audio_of_one_challenge(client, statement):
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    image = client.get(reverse("captcha:image", args=[challenge_id]))
    assert image["Content-Type"] == "image/png"
    assert "no-store" in image["Cache-Control"]
    assert Image.open(io.BytesIO(image.content)).size == (360, 120)
    audio = client.get(reverse("captcha:audio", args=[challenge_id]))
    assert audio["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(audio.content)) as clip:
        assert clip.getnframes() > 0
    assert challenges.store().code_for(challenge_id) == challenges.store().code_for(
        challenge_id
    )


def test_audio_link_works_without_javascript(client, statement):
    page = soup_of(client.get(statement.get_absolute_url()))
    link = page.find("fieldset", class_="captcha").find("a")
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.content[:4] == b"RIFF"


@pytest.mark.parametrize("kind", ["image", "audio"])
def test_forged_challenge_media_is_404(client, kind):
    response = client.get(reverse(f"captcha:{kind}", args=["forged:id"]))
    assert response.status_code == 404


def test_an_old_page_gets_a_new_code_rather_than_an_error(client, statement):
    """A page from the browser's cache carries an id that was already used."""
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    code = solved(client, challenge_id)
    url = reverse("comments:post", args=[statement.pk])
    assert client.post(url, comment_data(challenge_id, code)).status_code == 302
    new_code = solved(client, challenge_id)
    assert new_code != code
    again = client.post(url, comment_data(challenge_id, new_code, body="Later."))
    assert again.status_code == 302
    assert Comment.objects.count() == 2


def test_media_requests_are_rate_limited(client, settings):
    settings.COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE = 3
    statuses = [
        client.get(
            reverse("captcha:image", args=[challenges.new_challenge_id()])
        ).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_media_refuses_writes(client):
    url = reverse("captcha:image", args=[challenges.new_challenge_id()])
    assert client.post(url).status_code == 405


def test_captcha_can_be_switched_off(client, statement, settings):
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False
    assert soup_of(client.get(statement.get_absolute_url())).find("fieldset") is None
    response = client.post(
        reverse("comments:post", args=[statement.pk]),
        {"author_name": "A", "body": "B", "op": "save"},
    )
    assert response.status_code == 302


def test_captcha_per_form(client, statement, settings):
    settings.COMMUNIQUE_CAPTCHA_FORMS = ["reply"]
    assert soup_of(client.get(statement.get_absolute_url())).find("fieldset") is None
    parent = CommentFactory(statement=statement)
    reply_page = soup_of(client.get(reverse("comments:reply", args=[parent.pk])))
    assert reply_page.find("fieldset", class_="captcha") is not None


def test_people_with_the_permission_skip_it(client, statement):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="skip_captcha"))
    client.force_login(user)
    assert soup_of(client.get(statement.get_absolute_url())).find("fieldset") is None


def test_once_solved_skip_for_a_while(client, statement, settings):
    settings.COMMUNIQUE_CAPTCHA_SKIP_AFTER_SOLVED_MINUTES = 10
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    code = solved(client, challenge_id)
    client.post(
        reverse("comments:post", args=[statement.pk]), comment_data(challenge_id, code)
    )
    assert soup_of(client.get(statement.get_absolute_url())).find("fieldset") is None


def test_skipping_after_solving_is_off_by_default(client, statement):
    challenge_id = challenge_of(client.get(statement.get_absolute_url()))
    code = solved(client, challenge_id)
    client.post(
        reverse("comments:post", args=[statement.pk]), comment_data(challenge_id, code)
    )
    page = client.get(statement.get_absolute_url())
    assert soup_of(page).find("fieldset", class_="captcha") is not None
    assert re.search(rb"/captcha/[^\"]+\.png", page.content)
