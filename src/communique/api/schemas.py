"""What the JSON API sends and takes, as pydantic schemas: the OpenAPI
document is made from them, and every answer is checked against them.

Nothing here names a commenter's e-mail address, fingerprint or network: the
comment schema lists what the statement page shows, and no more.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

# Ids are 64-bit integers in every database the site runs on: a larger one is
# refused as a wrong value (422) rather than reaching the database.
MAX_ID = 2**63 - 1


class Error(Schema):
    """Every refusal: ``detail`` says what went wrong, for people; ``errors``
    names the fields at fault; ``kept`` gives back what was sent when it could
    not be stored (a part of the site is down)."""

    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)
    kept: dict[str, str] = Field(default_factory=dict)


class TopicRef(Schema):
    name: str
    slug: str
    url: str


class Topic(TopicRef):
    language: str
    statement_count: int = Field(description="Published statements about it.")


class Translation(Schema):
    id: int
    language: str
    title: str
    url: str


class StatementSummary(Schema):
    id: int
    title: str
    slug: str
    language: str
    signature: str
    date: dt.date
    published_at: dt.datetime
    updated: dt.datetime
    excerpt: str
    url: str = Field(description="The statement's page, for people.")
    topics: list[TopicRef]
    comment_count: int


class Statement(StatementSummary):
    body_html: str = Field(description="The body as the page shows it: safe HTML.")
    translations: list[Translation] = Field(
        description="The published statements of other languages that translate it."
    )
    comments_shown: bool = Field(description="Readers can see its comments.")
    comments_open: bool = Field(description="It takes new comments.")


class Comment(Schema):
    id: int
    parent_id: int | None
    depth: int = Field(description="1 for a comment, 2 for a reply to it, ...")
    author_name: str
    subject: str
    created: dt.datetime
    edited: dt.datetime | None
    body_html: str = Field(description="The text as the page shows it: safe HTML.")
    permalink: str


class Page(Schema):
    """One page of a list: ``count`` items in ``pages`` pages; ``next`` and
    ``previous`` are the addresses of the neighbouring pages, or null."""

    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None


class StatementPage(Page):
    results: list[StatementSummary]


class CommentPage(Page):
    count: int = Field(description="Threads (top-level comments with replies).")
    results: list[Comment]


class TopicList(Schema):
    results: list[Topic]


class NewComment(Schema):
    """A comment or a reply, as the page's form takes it."""

    author_name: str = Field("", description="Required unless signed in.")
    email: str = Field("", description="Shown to moderators only.")
    homepage: str = ""
    subject: str = ""
    body: str
    parent: int | None = Field(
        None, ge=1, le=MAX_ID, description="The comment this one answers."
    )
    notify_replies: bool = False
    captcha: str = Field("", description="The code the challenge's image shows.")
    captcha_token: str = Field(
        "", description="The challenge's token, with `captcha` (or the cookie)."
    )
    captcha_proof: str = Field(
        "", description="A solved proof of work, instead of `captcha`."
    )
    url: str = Field(
        "",
        description="Leave empty. A comment that fills it is kept as spam.",
    )


class Posted(Schema):
    id: int
    status: Literal["published", "pending"]
    detail: str = Field(description="What the page would tell the commenter.")
    permalink: str | None = Field(description="Its address, once published.")


class Challenge(Schema):
    required: bool = Field(description="Whether the form asks for a CAPTCHA.")
    token: str = Field("", description="Send back as `captcha_token`.")
    image: str = Field("", description="The code to read: a data: URL of a PNG.")
    digits_only: bool = False
    help: str = ""
    expires_in: int = Field(0, description="Seconds the challenge lasts.")
    wait_at_least: int = Field(
        0, description="Seconds to wait after issue before answering."
    )
    proof_of_work: dict | None = Field(
        None, description="An ALTCHA challenge to solve instead of the image."
    )
