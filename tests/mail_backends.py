"""E-mail backends for tests that need to see how mail is sent."""

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection


class TransactionNoting(EmailBackend):
    """Django's test outbox, noting for each send how many transactions
    (``atomic`` blocks) were open meanwhile, in ``open_transactions``."""

    open_transactions: list[int] = []

    def send_messages(self, messages):
        self.open_transactions.append(len(connection.atomic_blocks))
        return super().send_messages(messages)
