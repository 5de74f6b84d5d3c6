from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Signed webhooks (docs/architecture.md, "Webhooks"): endpoints registered by admins,
    told when a fact check is published, updated or merged. Depends on claims (it listens to
    its models' signals); claims never imports it."""

    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from webhooks import signals  # noqa: F401
