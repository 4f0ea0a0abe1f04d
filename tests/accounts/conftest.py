import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

PASSWORD = "correct horse battery staple"  # tests/factories.py


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The passwords hashed from now on: checking a password and the stand-in
    hash Django computes for an unknown username both call ``encode``."""
    calls: list[str] = []
    encode = MD5PasswordHasher.encode

    def counting(self, password, salt, *args, **kwargs):
        calls.append(password)
        return encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(MD5PasswordHasher, "encode", counting)
    return calls
