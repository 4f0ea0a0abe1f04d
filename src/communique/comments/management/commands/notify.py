from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from communique.comments import replies
from communique.comments.notifications import notify_moderators
from communique.comments.reply_mail import notify_subscribers


class Command(BaseCommand):
    help = (
        "Mail moderators about pending comments that no mail has listed yet "
        "(posting a comment does this too), mail readers the replies in the "
        "conversations they follow (at most one mail per conversation an hour), "
        "and forget subscriptions not confirmed in time. Run it from cron or a "
        "timer every few minutes."
    )

    def handle(self, *args: object, **options: object) -> None:
        sent = notify_moderators() + notify_subscribers()
        replies.forget_unconfirmed()
        self.stdout.write(_("%(count)d mail(s) sent.") % {"count": sent})
