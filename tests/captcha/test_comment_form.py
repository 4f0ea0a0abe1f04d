import io
import wave

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from PIL import Image

from communique.captcha import challenges, cookie
from communique.captcha.models import Challenge
from communique.comments.models import Comment
from tests.factories import CommentFactory, StatementFactory, UserFactory
from tests.helpers import fetch_captcha, held_challenges, soup_of

pytestmark = pytest.mark.django_db

NOT_CORRECT = "The answer you entered for the CAPTCHA was not correct."
NONE_ISSUED = "The CAPTCHA image had not been loaded"


@pytest.fixture
def statement():
    return StatementFactory()


def comment_data(answer, **overrides):
    data = {
        "author_name": "Shirin",
        "email": "",
        "homepage": "",
        "subject": "",
        "body": "Thank you for this statement.",
        "captcha": answer,
        "op": "save",
    }
    data.update(overrides)
    return data


def post(client, statement, data):
    return client.post(reverse("comments:post", args=[statement.pk]), data)


def test_captcha_fieldset_as_on_the_reference_page(client, statement):
    response = client.get(statement.get_absolute_url())
    page = soup_of(response)
    fieldset = page.find("fieldset", class_="captcha")
    assert fieldset.find("legend").get_text() == "CAPTCHA"
    assert fieldset.find(class_="captcha-description").get_text() == (
        "This question is for testing whether or not you are a human visitor and "
        "to prevent automated spam submissions."
    )
    slot = fieldset.find(class_="captcha-image")
    assert slot["data-captcha-image"] == reverse("captcha:image")
    assert slot["data-captcha-alt"] == "Image CAPTCHA"
    # Without JavaScript the browser loads it lazily; with it, our script
    # loads it when the reader reaches or starts using the form.
    image = soup_of_noscript(slot).find("img")
    assert image["alt"] == "Image CAPTCHA"
    assert image["loading"] == "lazy"
    assert image["src"] == reverse("captcha:image")
    label = fieldset.find("label")
    assert label.get_text() == "What code is in the image?"
    answer = fieldset.find(id=label["for"])
    assert answer["name"] == "captcha"
    help_text = fieldset.find(id=answer["aria-describedby"].split()[0])
    assert help_text.get_text() == "Enter the characters shown in the image."
    # The clip plays in place, beside the image, without leaving the form;
    # the links are for browsers that cannot play it and for keeping it.
    player = fieldset.find("audio")
    assert player.has_attr("controls")
    assert player["preload"] == "none"  # fetched (and issued) only on play
    assert player["src"] == reverse("captcha:audio")
    assert player["aria-label"] == "Listen to the code"
    assert player.find("a").get_text() == "Listen to the code"
    download = player.find_next_sibling("a")
    assert download["href"] == reverse("captcha:audio")
    assert download.has_attr("download")
    form = page.find(id="comment-form")
    order = [
        form.find(class_="text-format").sourceline,
        fieldset.sourceline,
        form.find("button").sourceline,
    ]
    assert order == sorted(order)


def soup_of_noscript(slot):
    from bs4 import BeautifulSoup

    return BeautifulSoup(slot.find("noscript").decode_contents(), "html.parser")


def test_every_reader_gets_the_same_form_and_no_cookie(statement):
    first, second = Client(), Client()
    one = first.get(statement.get_absolute_url())
    two = second.get(statement.get_absolute_url())
    assert one.content == two.content
    assert not one.cookies and not two.cookies
    assert not Challenge.objects.exists()


def test_the_image_issues_a_challenge_named_in_a_short_lived_cookie(client):
    response = client.get(reverse("captcha:image"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    morsel = response.cookies[cookie.NAME]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert not morsel["secure"]
    assert morsel["max-age"] == 30 * 60
    assert len(held_challenges(client)) == 1


def test_the_cookie_is_secure_on_https(client):
    response = client.get(reverse("captcha:image"), secure=True)
    assert response.cookies[cookie.NAME]["secure"] is True


def test_right_answer_posts_the_comment_and_drops_its_challenge(client, statement):
    code = fetch_captcha(client)
    response = post(client, statement, comment_data(code.lower()))
    assert response.status_code == 302
    assert Comment.objects.get().author_name == "Shirin"
    assert response.cookies[cookie.NAME]["max-age"] == 0  # nothing left to hold


def test_two_tabs_of_one_statement_both_post(client, statement):
    first_code = fetch_captcha(client)  # the first tab's image
    second_code = fetch_captcha(client)  # the second tab's
    assert post(client, statement, comment_data(first_code)).status_code == 302
    second = post(client, statement, comment_data(second_code, body="Another."))
    assert second.status_code == 302
    assert Comment.objects.count() == 2


@pytest.mark.parametrize("case", ["wrong", "missing", "replayed"])
def test_refused_answers_keep_the_text_and_ask_for_a_new_image(client, statement, case):
    code = fetch_captcha(client)
    if case == "replayed":
        assert post(client, statement, comment_data(code)).status_code == 302
        fetch_captcha(client)  # the reader's form shows a new image
    answer = {"wrong": "WRONG", "missing": ""}.get(case, code)
    response = post(client, statement, comment_data(answer, body="Keep these words."))
    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"
    assert Comment.objects.count() == (1 if case == "replayed" else 0)
    page = soup_of(response)
    assert NOT_CORRECT in page.find(id="id_captcha_error").get_text()
    assert page.find("textarea").get_text().strip() == "Keep these words."
    assert page.find("input", attrs={"name": "author_name"})["value"] == "Shirin"
    assert page.find("input", attrs={"name": "captcha"}).get("value") is None
    assert page.find(class_="captcha-image") is not None


def test_an_answer_without_an_image_says_what_happened(client, statement):
    response = post(client, statement, comment_data("ACE47"))
    assert response.status_code == 400
    assert NONE_ISSUED in soup_of(response).find(id="id_captcha_error").get_text()


def test_a_forged_cookie_counts_as_no_challenge(client, statement):
    fetch_captcha(client)
    client.cookies[cookie.NAME] = "forged"
    response = post(client, statement, comment_data("ACE47"))
    assert NONE_ISSUED in response.content.decode()


def test_a_wrong_answer_uses_up_every_challenge_held(client, statement):
    first, second = fetch_captcha(client), fetch_captcha(client)
    assert post(client, statement, comment_data("WRONG")).status_code == 400
    for code in (first, second):
        assert post(client, statement, comment_data(code)).status_code == 400
    assert not Comment.objects.exists()


def test_answering_sooner_than_a_person_can_is_refused_and_spends_nothing(
    client, statement, settings
):
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 3
    code = fetch_captcha(client)
    response = post(client, statement, comment_data(code, body="Quick words."))
    assert response.status_code == 400
    assert "quicker than a person can write" in response.content.decode()
    assert "Quick words." in response.content.decode()
    settings.COMMUNIQUE_ANTISPAM_MIN_SECONDS = 0  # as if the seconds had passed
    assert post(client, statement, comment_data(code)).status_code == 302


def test_preview_keeps_the_typed_answer_for_save(client, statement):
    code = fetch_captcha(client)
    preview = post(client, statement, comment_data(code, op="preview"))
    assert preview.status_code == 200
    assert preview["Cache-Control"] == "private, no-store"
    fieldset = soup_of(preview).find("fieldset", class_="captcha")
    assert fieldset.find("input", attrs={"name": "captcha"})["value"] == code
    assert fieldset.find(class_="captcha-image") is None  # no second image
    assert "will be checked when you press Save" in fieldset.get_text()
    assert post(client, statement, comment_data(code)).status_code == 302


def test_preview_without_an_answer_spends_nothing(client, statement):
    code = fetch_captcha(client)
    preview = post(client, statement, comment_data("", op="preview"))
    assert preview.status_code == 200
    assert soup_of(preview).find(class_="captcha-image") is not None
    assert post(client, statement, comment_data(code)).status_code == 302


def test_forms_post_to_the_form_on_the_page(client, statement):
    form = soup_of(client.get(statement.get_absolute_url())).find(
        "form", attrs={"method": "post"}
    )
    assert form["action"].endswith("#comment-form")


def test_reply_form_has_the_captcha(client, statement):
    parent = CommentFactory(statement=statement)
    page = soup_of(client.get(reverse("comments:reply", args=[parent.pk])))
    assert page.find("fieldset", class_="captcha") is not None


def test_the_answer_never_appears_in_a_response(client, statement):
    page = client.get(statement.get_absolute_url())
    image = client.get(reverse("captcha:image"))
    code = challenges.code_of(held_challenges(client)[-1])
    audio = client.get(reverse("captcha:audio"))
    wrong = post(client, statement, comment_data("X"))
    for response in (page, image, audio, wrong):
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        assert code not in headers
        assert code.encode() not in response.content
        assert code not in "; ".join(
            cookie.value for cookie in response.cookies.values()
        )


def test_the_audio_speaks_the_code_of_the_image(client, statement):
    image = client.get(reverse("captcha:image"))
    assert image["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size == (360, 120)
    held = held_challenges(client)
    audio = client.get(reverse("captcha:audio"))
    assert audio["Content-Type"] == "audio/wav"
    assert audio["Cache-Control"] == "no-store"
    with wave.open(io.BytesIO(audio.content)) as clip:
        assert clip.getnframes() > 0
    assert held_challenges(client) == held  # the same challenge, heard
    code = challenges.code_of(held[-1])
    assert post(client, statement, comment_data(code)).status_code == 302


def test_audio_alone_issues_a_challenge_and_works_without_javascript(client, statement):
    page = soup_of(client.get(statement.get_absolute_url()))
    link = page.find("fieldset", class_="captcha").find("a")
    response = client.get(link["href"])
    assert response.status_code == 200
    assert response.content[:4] == b"RIFF"
    code = challenges.code_of(held_challenges(client)[-1])
    assert post(client, statement, comment_data(code)).status_code == 302


def test_the_cookie_names_only_the_newest_few(client):
    for _ in range(cookie.KEPT + 3):
        client.get(reverse("captcha:image"))
    assert len(held_challenges(client)) == cookie.KEPT


def test_media_requests_are_rate_limited(client, settings):
    settings.COMMUNIQUE_CAPTCHA_REQUESTS_PER_MINUTE = 3
    statuses = [client.get(reverse("captcha:image")).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_media_refuses_writes(client):
    assert client.post(reverse("captcha:image")).status_code == 405


def test_captcha_can_be_switched_off(client, statement, settings):
    settings.COMMUNIQUE_CAPTCHA_ENABLED = False
    assert soup_of(client.get(statement.get_absolute_url())).find("fieldset") is None
    response = post(client, statement, {"author_name": "A", "body": "B", "op": "save"})
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
    post(client, statement, comment_data(fetch_captcha(client)))
    assert soup_of(client.get(statement.get_absolute_url())).find("fieldset") is None


def test_skipping_after_solving_is_off_by_default(client, statement):
    post(client, statement, comment_data(fetch_captcha(client)))
    page = client.get(statement.get_absolute_url())
    assert soup_of(page).find("fieldset", class_="captcha") is not None


def test_an_answer_to_a_used_or_expired_image_says_so(client, statement):
    code = fetch_captcha(client)
    challenges.store().use_up(held_challenges(client))  # as if it had expired
    response = post(client, statement, comment_data(code, body="Written slowly."))
    assert response.status_code == 400
    error = soup_of(response).find(id="id_captcha_error").get_text()
    assert "used already or has expired" in error
    assert "Written slowly." in response.content.decode()
