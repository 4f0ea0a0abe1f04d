from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from communique import textformats
from communique.antispam import services as antispam
from communique.antispam.fields import HoneypotField
from communique.captcha.fields import CaptchaField
from communique.comments.controls import is_control_character
from communique.comments.models import COMMENT_FORMAT, Comment
from communique.comments.services import Draft, accepts_comments, shows_comments

if TYPE_CHECKING:
    from communique.accounts.models import User
    from communique.publishing.models import Statement


GUARD_CODES = frozenset({"captcha", "too_fast"})


def refuse_control_characters(value: str) -> None:
    """Refuse a one-line value (a name, a subject) carrying control characters
    (``controls.is_control_character``)."""
    if any(is_control_character(char) for char in value):
        raise forms.ValidationError(
            _("Remove the line breaks and other control characters from this field."),
            code="control_characters",
        )


NO_REPLY_ADDRESS = _("Give your e-mail address to be told of replies.")
NO_ACCOUNT_ADDRESS = _("Your account has no e-mail address to tell you of replies.")
PARENT_GONE = _(
    "The comment you are replying to is no longer available. Your text is kept below."
)


def limit_body_length(field: forms.CharField) -> None:
    """Apply the comment length limit, read from settings when the form is made."""
    limit = settings.COMMUNIQUE_COMMENTS_MAX_LENGTH
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def subject_field() -> forms.CharField:
    # Readers write in their own direction, whatever the page's: the browser
    # sets it from the first strong letter typed (dir="auto").
    return forms.CharField(
        label=_("Subject"),
        max_length=120,
        required=False,
        widget=forms.TextInput({"dir": "auto"}),
        validators=[refuse_control_characters],
    )


def body_field() -> forms.CharField:
    return forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"})
    )


class CommentForm(forms.Form):
    """A new comment or reply. Only validates; the services save.

    ``captcha``: None when the form asks for no CAPTCHA, else the challenge
    ids the reader's browser holds (``captcha.cookie``).
    """

    author_name = forms.CharField(
        label=_("Your name"),
        max_length=60,
        widget=forms.TextInput({"dir": "auto"}),
        validators=[refuse_control_characters],
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Not shown publicly. Only the moderators can see it."),
    )
    notify_replies = forms.BooleanField(
        label=_("E-mail me when someone replies"),
        required=False,
        template_name="comments/_checkbox_field.html",
    )
    homepage = forms.URLField(
        label=_("Homepage"),
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )
    subject = subject_field()
    body = body_field()
    parent = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(
        self,
        *args,
        statement: Statement,
        user: User | None = None,
        captcha: Sequence[str] | None = None,
        **kwargs,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["url"] = HoneypotField()
        if captcha is not None:
            self.fields["captcha"] = CaptchaField(challenge_ids=captcha)
        self.statement = statement
        self.user = user if user is not None and user.is_authenticated else None
        if self.user is not None:
            del self.fields["author_name"]
            del self.fields["email"]
        else:
            self.fields["email"].required = settings.COMMUNIQUE_COMMENTS_REQUIRE_EMAIL
        limit_body_length(self.fields["body"])

    @property
    def format_tips(self) -> tuple:
        return textformats.get_format(COMMENT_FORMAT).tips

    def clean_parent(self) -> Comment | None:
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        if not shows_comments(self.statement):
            # The reply would show nothing to answer: as if there were no
            # such comment (the view answers 404), the text kept.
            raise forms.ValidationError(PARENT_GONE, code="parent_hidden")
        parent = (
            Comment.objects.published()
            .filter(pk=pk, statement=self.statement)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise forms.ValidationError(PARENT_GONE, code="parent_gone")
        return parent

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("notify_replies") and not self.reply_address:
            if self.user is not None:
                self.add_error("notify_replies", NO_ACCOUNT_ADDRESS)
            else:
                self.add_error("email", NO_REPLY_ADDRESS)
        if not accepts_comments(self.statement):
            raise forms.ValidationError(
                _(
                    "Comments on this statement were closed while you were "
                    "writing. Your text is kept below so that you can copy it."
                ),
                code="closed",
            )
        return cleaned

    @property
    def reply_address(self) -> str:
        """Where to mail replies: the address given, or the account's."""
        if self.user is not None:
            return self.user.email
        return self.cleaned_data.get("email") or ""

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get("url"))

    def count_refusals(self) -> None:
        """Count the spam guards' refusals among this form's errors."""
        for errors in self.errors.as_data().values():
            for error in errors:
                if error.code in GUARD_CODES:
                    antispam.count_refusal(error.code)

    def is_valid_without_captcha(self) -> bool:
        """Validate everything but the CAPTCHA, which stays for the next step.

        Preview saves nothing, so it does not spend the reader's challenge: an
        answer already typed is shown again, to be checked on Save.
        """
        captcha = self.fields.pop("captcha", None)
        try:
            return self.is_valid()
        finally:
            if captcha is not None:
                self.fields["captcha"] = captcha
                captcha.answer_kept = bool(self.data.get(self.add_prefix("captcha")))

    @property
    def solved_challenge(self) -> str | None:
        """The id of the challenge the CAPTCHA's answer used up, if any."""
        return self.cleaned_data.get("captcha")

    def draft(self) -> Draft:
        data = self.cleaned_data
        name = self.user.get_username() if self.user else data["author_name"]
        return Draft(
            author_name=name,
            email=self.user.email if self.user else data.get("email", ""),
            homepage=data.get("homepage", ""),
            subject=data.get("subject", ""),
            body=data["body"],
        )


class CommentEditForm(forms.Form):
    subject = subject_field()
    body = body_field()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        limit_body_length(self.fields["body"])
