from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """The admin, with the site that asks superusers for a second factor."""

    default_site = "factcheck.admin_site.AdminSite"


class FactcheckConfig(AppConfig):
    name = "factcheck"

    def ready(self):
        from django.db.backends.signals import connection_created

        from factcheck import search, security  # noqa: F401  (security: the sign-in log)

        # SQLite's claim similarity is a Python function (factcheck.search).
        connection_created.connect(search.install_sqlite_functions)
