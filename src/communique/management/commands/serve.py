from django.core.management.base import BaseCommand, CommandError, CommandParser

from communique import server


class Command(BaseCommand):
    help = (
        "Serve the site with a production WSGI server (granian, or gunicorn), "
        "static files included. Refuses to start while migrations are unapplied."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        server.add_arguments(parser)

    def handle(self, *args: object, **options) -> None:
        warning = server.site_url_warning()
        if warning:
            self.stderr.write(warning)
        try:
            server.prepare(stdout=self.stdout)
        except server.NotReady as error:
            raise CommandError(str(error)) from None
        server.run_with_options(options, stdout=self.stdout)
