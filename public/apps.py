from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Open data: the public API, the ClaimReview data feed and the embeddable card. Reads
    only published revisions; the desk's apps never import it."""

    name = "public"
    verbose_name = "Open data"
