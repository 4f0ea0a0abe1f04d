from django.db import models


class FingerprintKey(models.Model):
    """The secret that client fingerprints are keyed with, replaced periodically.

    Only the current key is kept, so a fingerprint from an earlier period can no
    longer be linked to an address by anyone, the operator included.
    """

    secret = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"fingerprint key of {self.created:%Y-%m-%d}"
