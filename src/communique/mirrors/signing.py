"""The list of mirrors, signed so that a look-alike site cannot forge it.

The operator makes a key pair once (``communique mirrors_key``); the private
key stays in the data folder, readable by the site's account only. The site
signs the list with it (Ed25519) and publishes the signature and the public
key with the list. Readers and tools check the signature against the public
key the organisation has published elsewhere (its other channels, print): a
copycat can sign a list of its own, but not with that key.

What is signed: the UTF-8 bytes of ``{"mirrors": [...], "site": "..."}`` as
JSON with sorted keys and no spaces (``signed_bytes``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

KEY_FILE_NAME = "mirrors-signing-key.pem"
ALGORITHM = "Ed25519"


class KeyExists(Exception):
    """There is a signing key already: a new one would void the old one."""


def key_path() -> Path:
    return Path(settings.DATA_DIR) / KEY_FILE_NAME


def make_key(path: Path | None = None) -> Ed25519PublicKey:
    """Write a new private key to ``path`` (the data folder's by default),
    readable by its owner only, and return its public key. Refuses to replace
    one: readers who know the old public key would take the new list for a
    forgery."""
    path = path or key_path()
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyExists(str(path)) from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
    return key.public_key()


def _private_key() -> Ed25519PrivateKey | None:
    try:
        pem = key_path().read_bytes()
    except FileNotFoundError:
        return None
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{key_path()} does not hold an Ed25519 key")
    return key


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """The raw 32-byte public key, base64: short enough to print or post."""
    raw = public_key.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return base64.b64encode(raw).decode("ascii")


def fingerprint(public_key_b64: str) -> str:
    """A short form of a public key for people to compare: the first 16 bytes
    of its SHA-256, in groups of four hex digits."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def signed_bytes(mirrors: list[str], site: str) -> bytes:
    document = {"mirrors": mirrors, "site": site}
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode("utf-8")


def mirror_list() -> dict[str, Any]:
    """The site's mirrors as published at ``/mirrors.json``: the list, the
    main address, and the signature (``None`` while the site has no key)."""
    mirrors = list(settings.COMMUNIQUE_MIRRORS)
    site = settings.COMMUNIQUE_SITE_URL
    document: dict[str, Any] = {"mirrors": mirrors, "site": site, "signature": None}
    key = _private_key()
    if key is not None:
        signature = key.sign(signed_bytes(mirrors, site))
        document["signature"] = {
            "algorithm": ALGORITHM,
            "public_key": public_key_text(key.public_key()),
            "value": base64.b64encode(signature).decode("ascii"),
        }
    return document


def verify(document: dict[str, Any], public_key_b64: str) -> bool:
    """Whether ``document`` (as ``/mirrors.json`` gives it) was signed by the
    holder of the private key of ``public_key_b64``."""
    signature = document.get("signature") or {}
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key_b64))
        key.verify(
            base64.b64decode(signature.get("value", "")),
            signed_bytes(document["mirrors"], document["site"]),
        )
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False
    return True
