from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebfetchConfig(AppConfig):
    """Reading the open web: the safe fetcher, articles from URLs and feeds, and archived
    evidence (docs/architecture.md, "Reading the web"). Depends on articles and claims; they
    never import it."""

    name = "webfetch"
    verbose_name = _("From the web")

    def ready(self):
        from webfetch import signals  # noqa: F401
