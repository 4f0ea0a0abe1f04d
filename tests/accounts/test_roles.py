import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from communique.accounts.roles import EDITORS, MODERATORS
from communique.accounts.services import create_first_admin

pytestmark = pytest.mark.django_db


def test_user_model_is_our_own():
    assert get_user_model()._meta.label == "accounts.User"


def test_editors_may_write_statements():
    codenames = set(
        Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True)
    )
    assert {
        "add_statement",
        "change_statement",
        "delete_statement",
        "view_statementrevision",
    } <= codenames


def test_moderators_group_exists_without_editing_rights():
    codenames = set(
        Group.objects.get(name=MODERATORS).permissions.values_list(
            "codename", flat=True
        )
    )
    assert "change_statement" not in codenames


def test_first_admin_is_created_once_with_a_working_password():
    username, password = create_first_admin()
    user = get_user_model().objects.get(username=username)
    assert user.is_superuser
    assert user.check_password(password)
    assert len(password) >= 12
    assert create_first_admin() is None


def test_first_admin_avoids_a_taken_username():
    get_user_model().objects.create_user(username="admin", password="x" * 20)
    username, _ = create_first_admin()
    assert username != "admin"
    assert get_user_model().objects.get(username=username).is_superuser
