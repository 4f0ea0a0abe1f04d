"""The groups that give people their role on the site, and what each may do.

A data migration creates the groups; an app that brings new permissions for a
role adds its own migration that calls ``grant``.
"""

from collections.abc import Iterable

EDITORS = "Editors"
MODERATORS = "Moderators"


def grant(apps, group_name: str, codenames: Iterable[tuple[str, str]]) -> None:
    """Give ``group_name`` the permissions named as (app label, codename) pairs.

    Meant for data migrations: ``apps`` is the migration's app registry.
    Permissions are normally created after all migrations have run; this
    creates the ones it needs first.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _ = group_model.objects.get_or_create(name=group_name)
    for app_label, codename in codenames:
        permission = permission_model.objects.get(
            content_type__app_label=app_label, codename=codename
        )
        group.permissions.add(permission)


# The permission that opens the moderation pages (``comments`` grants it to
# the Moderators group in its own migration).
MODERATE_COMMENTS = "comments.moderate_comments"


def is_staff_member(user) -> bool:
    """Whether ``user`` works on the site: staff of the admin, or a moderator."""
    return user.is_authenticated and (user.is_staff or user.has_perm(MODERATE_COMMENTS))
