import base64

import pytest
from django.core import signing

from communique import signatures


@pytest.mark.parametrize("value", ["", "1764300000", "Zm9v-YmFy_", "ä ü :"])
def test_signatures_are_django_signers(value):
    salt = "communique.test"
    made = signatures.sign(salt, value)
    assert made == signing.Signer(salt=salt).sign(value)
    assert signing.Signer(salt=salt).unsign(made) == value


def test_another_salt_or_key_does_not_verify(settings):
    made = signatures.sign("one", "value")
    with pytest.raises(signing.BadSignature):
        signing.Signer(salt="two").unsign(made)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "k" * 50
    assert signatures.sign("one", "value") != made
    with pytest.raises(signing.BadSignature):
        signing.Signer(salt="one").unsign(made)
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert signing.Signer(salt="one").unsign(made) == "value"


@pytest.mark.parametrize("size", [0, 1, 2, 3, 16, 32])
def test_urlsafe_is_the_encoding_of_token_urlsafe(size):
    data = bytes(range(256 - size, 256))  # bytes that give "+" and "/" in base64
    assert signatures.urlsafe(data) == (
        base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    )
