"""The moderation queue as a moderator uses it, in Chromium: each comment's
own buttons, "select all", the keys of moderation.js (j/k/a/s/d/u/?), and the
same queue with JavaScript off.

Each test adds its own pending comments to the demo site, all carrying one
word of its own, and works in the queue searched for that word: the demo's
comments, which other tests and the screenshots show, are left alone.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.live_server import communique

pytestmark = [pytest.mark.browser, pytest.mark.server]

ADD_PENDING = """
from communique.comments.models import Comment
from communique.publishing.models import Statement
statement = Statement.objects.published().filter(language="en").first()
for number in range({count}):
    comment = Comment.objects.create(
        statement=statement, author_name="Tester " + str(number),
        body_source="{word} number " + str(number),
        body_html="<p>{word} number " + str(number) + "</p>",
        status="pending", held_because=["links"], fingerprint="{word}",
    )
    print(comment.pk)
"""


def add_pending(site, count: int) -> tuple[str, list[int]]:
    """A fresh word, and the ids of ``count`` pending comments carrying it
    (newest last; the queue lists them newest first)."""
    word = "probe" + uuid.uuid4().hex[:10]
    script = ADD_PENDING.format(count=count, word=word)
    result = communique("shell", "--no-imports", "-c", script, data_dir=site.data_dir)
    assert result.returncode == 0, result.stderr
    return word, [int(line) for line in result.stdout.split()]


def status_of(site, pk: int) -> str:
    script = (
        "from communique.comments.models import Comment; "
        f"print(Comment.objects.get(pk={pk}).status)"
    )
    result = communique("shell", "--no-imports", "-c", script, data_dir=site.data_dir)
    return result.stdout.strip()


def open_queue(tabs, word: str, *, javascript: bool) -> Any:
    page = tabs("desktop", javascript, True)
    page.goto(f"/moderation/?q={word}")
    return page


def messages(page) -> str:
    return page.locator(".messages").inner_text()


def items(page) -> list[str]:
    return page.locator(".moderation-list > .moderation-item").evaluate_all(
        "items => items.map(item => item.id)"
    )


def focused_item(page) -> str | None:
    return page.evaluate("document.activeElement.id || null")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_each_comments_own_buttons(tabs, site, javascript):
    word, (first, second) = add_pending(site, 2)
    page = open_queue(tabs, word, javascript=javascript)
    page.locator(f"#comment-{first} .one-click button[value=approve]").click()
    page.wait_for_load_state()
    assert messages(page) == "1 comment approved."
    assert items(page) == [f"comment-{second}"]
    assert page.url.endswith(f"/moderation/?q={word}")
    page.locator(f"#comment-{second} .one-click button[value=spam]").click()
    page.wait_for_load_state()
    assert messages(page) == "1 comment marked as spam."
    assert (status_of(site, first), status_of(site, second)) == ("published", "spam")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_select_all_then_a_bulk_action(tabs, site, javascript):
    word, ids = add_pending(site, 3)
    page = open_queue(tabs, word, javascript=javascript)
    boxes = page.locator("input[name=comments]")
    assert boxes.count() == 3
    page.locator("a.select-all").click()
    page.wait_for_load_state()
    assert all(boxes.nth(n).is_checked() for n in range(3))
    assert page.locator("a.select-all").inner_text() == "Select none"
    if javascript:  # ticked in place, without going to another address
        assert page.url.endswith(f"?q={word}")
    page.locator("#bulk-action").select_option("delete")
    page.locator("#bulk-form button[type=submit]").click()
    page.wait_for_load_state()
    assert messages(page) == "3 comments deleted."
    assert [status_of(site, pk) for pk in ids] == ["deleted"] * 3


def test_without_javascript_the_keys_are_not_offered(tabs, site):
    word, _ids = add_pending(site, 1)
    page = open_queue(tabs, word, javascript=False)
    assert not page.locator("#moderation-keys").is_visible()


def test_keys_move_approve_and_undo(tabs, site):
    word, (oldest, middle, newest) = add_pending(site, 3)
    page = open_queue(tabs, word, javascript=True)
    assert items(page) == [
        f"comment-{newest}",
        f"comment-{middle}",
        f"comment-{oldest}",
    ]
    page.keyboard.press("j")
    assert focused_item(page) == f"comment-{newest}"
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert focused_item(page) == f"comment-{oldest}"
    page.keyboard.press("j")  # stays on the last
    assert focused_item(page) == f"comment-{oldest}"
    page.keyboard.press("k")
    assert focused_item(page) == f"comment-{middle}"

    with page.expect_navigation():
        page.keyboard.press("a")
    assert messages(page) == "1 comment approved."
    assert status_of(site, middle) == "published"
    assert items(page) == [f"comment-{newest}", f"comment-{oldest}"]
    # The comment now in the approved one's place is the current one.
    assert focused_item(page) == f"comment-{oldest}"

    with page.expect_navigation():
        page.keyboard.press("u")
    assert messages(page) == "Approval undone for 1 comment."
    assert status_of(site, middle) == "pending"
    assert len(items(page)) == 3


def test_keys_spam_and_delete(tabs, site):
    word, (older, newer) = add_pending(site, 2)
    page = open_queue(tabs, word, javascript=True)
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("s")
    assert messages(page) == "1 comment marked as spam."
    assert focused_item(page) == f"comment-{older}"
    with page.expect_navigation():
        page.keyboard.press("d")
    assert messages(page) == "1 comment deleted."
    assert (status_of(site, newer), status_of(site, older)) == ("spam", "deleted")


def test_question_mark_lists_the_keys(tabs, site):
    word, _ids = add_pending(site, 1)
    page = open_queue(tabs, word, javascript=True)
    keys = page.locator("#moderation-keys")
    assert keys.is_visible()
    assert not page.locator("#moderation-keys dl").is_visible()
    page.keyboard.press("?")
    assert page.locator("#moderation-keys dl").is_visible()
    listed = page.locator("#moderation-keys kbd").all_inner_texts()
    assert listed == ["j", "k", "a", "s", "d", "u", "?"]
    page.keyboard.press("?")
    assert not page.locator("#moderation-keys dl").is_visible()


def test_keys_do_nothing_while_typing(tabs, site):
    word, (only,) = add_pending(site, 1)
    page = open_queue(tabs, word, javascript=True)
    page.keyboard.press("j")
    search = page.locator("#moderation-search")
    search.fill("")
    page.keyboard.type("jasdu?")
    assert search.input_value() == "jasdu?"
    assert page.url.endswith(f"?q={word}")
    assert not page.locator("#moderation-keys dl").is_visible()
    assert status_of(site, only) == "pending"
