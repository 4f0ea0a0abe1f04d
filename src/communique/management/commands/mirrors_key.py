from django.core.management.base import BaseCommand, CommandError

from communique.mirrors import signing


class Command(BaseCommand):
    help = (
        "Make the key that signs the list of mirrors (COMMUNIQUE_MIRRORS), in "
        "the data folder, and print its public key for you to publish on your "
        "other channels. Refuses to replace an existing key."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            public_key = signing.make_key()
        except signing.KeyExists as error:
            raise CommandError(
                f"A signing key exists already at {error}: readers who know its "
                "public key would take a list signed with a new one for a forgery. "
                "Move it away first if you really mean to replace it."
            ) from None
        text = signing.public_key_text(public_key)
        self.stdout.write(f"Private key: {signing.key_path()} (keep it, back it up)")
        self.stdout.write(f"Public key:  {text}")
        self.stdout.write(f"Fingerprint: {signing.fingerprint(text)}")
