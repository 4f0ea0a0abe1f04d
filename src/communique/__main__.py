"""The ``communique`` command: Django's management commands with our settings."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured

from communique.environment import PRIVATE_UMASK


def main(argv: list[str] | None = None) -> None:
    # Files the site creates (the database, its journal, the cache) are
    # readable by its own account only; README.md, "Accounts".
    os.umask(PRIVATE_UMASK)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communique.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    try:
        # Read the settings now, so that a bad variable stops us with its name
        # rather than surfacing later as an "unknown command".
        settings.INSTALLED_APPS  # noqa: B018
    except ImproperlyConfigured as error:
        sys.stderr.write(f"communique: configuration error: {error}\n")
        sys.exit(2)
    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # Commands may be typed with hyphens: ``communique export-static``.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["communique", *args])


if __name__ == "__main__":
    main()
