from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "radar"
    verbose_name = "Claim radar"

    def ready(self):
        from radar import signals  # noqa: F401 - connects the receivers
