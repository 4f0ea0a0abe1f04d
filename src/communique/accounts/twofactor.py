"""The second factor of signing in: a TOTP code from an authenticator app.

A staff member enrols one device (``enrol``: a secret shown once as text,
confirmed by the first code it gives). From then on every sign-in of that
account asks for a code, whatever the settings say. With
``COMMUNIQUE_STAFF_TOTP_REQUIRED`` a staff session that has not given a code
(no device yet, or signed in before the setting was turned on) can do nothing
but enrol or give one: ``accounts.middleware.SecondFactorMiddleware``.

django-otp keeps the devices, checks codes (each code once, with growing
delays after wrong ones) and records in the session which device verified it.
"""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from communique.accounts.roles import is_staff_member

DEVICE_NAME = "authenticator"


def confirmed_device(user) -> TOTPDevice | None:
    """The device the account signs in with, if it has enrolled one."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The device being enrolled: the same one until confirmed, so that
    reloading the page does not change the secret already typed into an app."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_of(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[start : start + 4] for start in range(0, len(secret), 4))


def check_code(user, device: TOTPDevice, code: str) -> bool:
    """Whether ``code`` is the device's current code, not used before."""
    code = "".join(code.split())
    return verify_token(user, device.persistent_id, code) is not None


def confirm(request: HttpRequest, device: TOTPDevice) -> None:
    """Mark an enrolled device as the account's, and this session as verified."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)


def verify_session(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)


def required_for(user) -> bool:
    """Whether ``user`` must give a code before using the session."""
    return (
        settings.COMMUNIQUE_STAFF_TOTP_REQUIRED
        and is_staff_member(user)
        and not user.is_verified()
    )
