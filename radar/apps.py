from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RadarConfig(AppConfig):
    name = "radar"
    verbose_name = _("Claim radar")

    def ready(self):
        from radar import signals  # noqa: F401 - connects the receivers
