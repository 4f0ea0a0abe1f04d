"""Spam verdicts count towards the proof of work's difficulty, as wrong
CAPTCHA answers do."""

import pytest

from communique.captcha import pressure
from communique.comments import services
from communique.comments.models import Comment

pytestmark = pytest.mark.django_db


def test_a_comment_judged_spam_raises_the_refusal_count(statement):
    before = pressure.recent_refusals()
    comment = services.post_comment(
        statement=statement,
        parent=None,
        draft=services.Draft(author_name="Bot", body="Buy now."),
        user=None,
        fingerprint="pressure-test",
        honeypot_filled=True,  # the honeypot rule marks it spam
    )
    assert comment.status == Comment.Status.SPAM
    assert pressure.recent_refusals() == before + 1
