from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """Open data: the public API, the ClaimReview data feed and the embeddable card. Reads
    only published revisions; the desk's apps never import it."""

    name = "public"
    verbose_name = _("Open data")

    def ready(self):
        from public import signals  # noqa: F401
