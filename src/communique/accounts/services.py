import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

FIRST_ADMIN_USERNAME = "admin"


def create_first_admin() -> tuple[str, str] | None:
    """Create a superuser with a generated password when there is none.

    Returns (username, password) for the caller to show once, or None when a
    superuser already exists.
    """
    user_model = get_user_model()
    with transaction.atomic():
        if user_model.objects.filter(is_superuser=True).exists():
            return None
        username = FIRST_ADMIN_USERNAME
        if user_model.objects.filter(username=username).exists():
            username = f"{FIRST_ADMIN_USERNAME}-{secrets.token_hex(3)}"
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(
            username=username, email="", password=password
        )
    return username, password
