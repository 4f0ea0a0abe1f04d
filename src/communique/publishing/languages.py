"""Which languages a statement may be written in."""

from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


def validate_language_code(code: str) -> None:
    """Accept any language Django knows (``en``, ``fa``, ``pt-br`` ...)."""
    try:
        get_language_info(code)
    except KeyError:
        raise ValidationError(
            _("“%(code)s” is not a known language code, such as en or fa."),
            code="unknown_language",
            params={"code": code},
        ) from None


def language_is_bidi(code: str) -> bool:
    """True for languages written right to left; False for a code Django does
    not know (a comment's empty language, say)."""
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return False


def language_name(code: str) -> str:
    """The language's name in that language ("فارسی", "English"), or its code."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code
