import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.importing import articles_import
from articles.models import ImportBatch
from articles.sources import sources_from_paths
from factcheck import roles

# (username, role shown to the person, group or None for the superuser)
ACCOUNTS = [
    ("editor", "editor", roles.EDITORS),
    ("reviewer", "reviewer", roles.REVIEWERS),
    ("admin", "admin (superuser)", None),
]


class Command(BaseCommand):
    help = (
        "Import seeds/ (with its manifest) and create the demo accounts editor, reviewer and "
        "admin, each with a fresh random password printed here. Safe to run again: the "
        "articles are not duplicated, the passwords are renewed."
    )

    def handle(self, *args, **options):
        report = articles_import(
            sources=sources_from_paths([settings.BASE_DIR / "seeds"]),
            via=ImportBatch.Via.COMMAND,
        )
        self.stdout.write(f"Seed articles: {report.summary()}")
        if report.failed:
            for result in report.results:
                self.stderr.write(result.line())
            raise CommandError("Some seed files could not be imported.")
        accounts = self._accounts()
        width = max(len(name) for name, _, _ in ACCOUNTS)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo accounts (new passwords on every run):"))
        for name, role, password in accounts:
            self.stdout.write(f"  {name:<{width}}  password: {password}   role: {role}")
        self.stdout.write("")
        self.stdout.write(f"Sign in at {settings.SITE_URL.rstrip('/')}/")

    @transaction.atomic
    def _accounts(self):
        User = get_user_model()
        accounts = []
        for username, role, group in ACCOUNTS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@example.org"}
            )
            # Never a password fixed in the code: a fresh one per run, shown only here.
            password = _password_for(user)
            user.set_password(password)
            user.is_active = True
            if group is None:
                user.is_staff = user.is_superuser = True
            user.save()
            if group is not None:
                user.groups.add(Group.objects.get(name=group))
            accounts.append((username, role, password))
        _confirm_powers(
            [
                user.pk
                for user in User.objects.filter(
                    username__in=dict.fromkeys(name for name, _, _ in ACCOUNTS)
                )
            ]
        )
        return accounts


def _confirm_powers(user_ids) -> None:
    """The demo's reviewer and admin may review at once: whoever runs this command on their
    machine is the operator, confirming the powers it gives (README, "Security"). The grants
    are the claims app's (looked up by name: articles never imports claims)."""
    RoleGrant = apps.get_model("claims", "RoleGrant")
    RoleGrant.objects.filter(user_id__in=user_ids, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )


def _password_for(user) -> str:
    """A random password that the site's own rules accept (a random one rarely looks like
    the username or e-mail address to the similarity check; then another is drawn)."""
    while True:
        password = secrets.token_urlsafe(12)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
