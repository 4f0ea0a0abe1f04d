from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from communique.comments.notifications import notify_moderators


class Command(BaseCommand):
    help = (
        "Mail moderators about pending comments that no mail has listed yet. "
        "Posting a comment does this too; run it from cron for mail that must "
        "not wait for the next comment."
    )

    def handle(self, *args: object, **options: object) -> None:
        sent = notify_moderators()
        self.stdout.write(_("%(count)d mail(s) sent.") % {"count": sent})
