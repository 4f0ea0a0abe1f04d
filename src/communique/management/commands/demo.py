from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communique import server
from communique.accounts.services import create_first_admin
from communique.comments.demo import load_demo_comments
from communique.publishing.demo import load_demo_statements


class Command(BaseCommand):
    help = (
        "Set up a demo site in COMMUNIQUE_DATA_DIR: migrate, load demo statements, "
        "create an admin account (its password is printed once), then serve."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        server.add_arguments(parser)
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help="Set everything up, then stop instead of serving.",
        )

    def handle(self, *args: object, **options) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        loaded = load_demo_statements()
        if loaded:
            self.stdout.write(
                ngettext(
                    "Loaded %(count)d demo statement.",
                    "Loaded %(count)d demo statements.",
                    loaded,
                )
                % {"count": loaded}
            )
            comments = load_demo_comments()
            self.stdout.write(
                ngettext(
                    "Loaded %(count)d demo comment.",
                    "Loaded %(count)d demo comments.",
                    comments,
                )
                % {"count": comments}
            )
        account = create_first_admin()
        if account is not None:
            username, password = account
            # The two labelled lines stay in English: scripts read them.
            self.stdout.write(
                self.style.SUCCESS(
                    _("Created the admin account. Sign in at %(url)s with")
                    % {"url": reverse("admin:index")}
                    + f"\n  username: {username}\n  password: {password}\n"
                    + _("The password is shown this once; change it after signing in.")
                )
            )
        if options["no_serve"]:
            return
        server.prepare(stdout=self.stdout)
        server.run_with_options(options, stdout=self.stdout)
