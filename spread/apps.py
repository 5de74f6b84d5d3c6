from django.apps import AppConfig


class SpreadConfig(AppConfig):
    """Claim spread: the timeline, the review page's sparklines and "rising" sort, the
    series, and resurfacing alerts (docs/architecture.md, "Claim spread")."""

    name = "spread"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from claims.selectors import activity, review
        from spread import alerts, selectors

        alerts.connect()
        activity.add_source(alerts.activity_entries)
        review.add_sort("rising", selectors.order_rising)
