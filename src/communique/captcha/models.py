from django.db import models
from django.utils.translation import gettext_lazy as _


class Challenge(models.Model):
    """A CAPTCHA challenge, from when its image was asked for until it is used
    or expires (see ``captcha.challenges``).

    The code is kept masked with a key derived from the site's secret key, so
    the table alone does not give the answers away. Codes of every alphabet
    are stored in Latin characters; the longest has 13.
    """

    id = models.CharField(primary_key=True, max_length=100)
    masked_code = models.CharField(max_length=16)
    # The interface language it was issued in, which chose its alphabet
    # (``captcha.codes``): its image and its clip show and speak that one.
    language = models.CharField(max_length=8, default="en")
    issued_at = models.DateTimeField()
    expires = models.DateTimeField(db_index=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("CAPTCHA challenge")
        verbose_name_plural = _("CAPTCHA challenges")
        default_permissions = ()
        permissions = [("skip_captcha", _("Can post forms without a CAPTCHA"))]

    def __str__(self) -> str:
        return self.id[:12]
