from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """The admin, with the site that asks superusers for a second factor."""

    default_site = "factcheck.admin_site.AdminSite"


class FactcheckConfig(AppConfig):
    name = "factcheck"

    def ready(self):
        from factcheck import security  # noqa: F401  (connects the sign-in log)
