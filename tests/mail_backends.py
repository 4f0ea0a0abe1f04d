"""E-mail backends for tests that need to see how mail is sent."""

from django.core.mail.backends.locmem import EmailBackend
from django.db import connection


class TransactionNoting(EmailBackend):
    """Django's test outbox, noting for each send whether a database
    transaction was open meanwhile (in ``sent_in_transaction``)."""

    sent_in_transaction: list[bool] = []

    def send_messages(self, messages):
        self.sent_in_transaction.append(connection.in_atomic_block)
        return super().send_messages(messages)
