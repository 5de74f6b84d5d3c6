from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Give a staff user a TOTP authenticator (README, 'Two-factor sign-in for the admin'): "
        "prints the otpauth:// address to enter in an authenticator app (or turn into a QR "
        "code). The admin then asks that user for a one-time code. Replaces the user's old one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="the device's name")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff: only staff use the admin.")
        # One authenticator per person: a new one replaces the old (a lost phone, say).
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(f"TOTP device {device.pk} ({name}) added for {username}.")
        self.stdout.write("Enter this in the authenticator app (shown once; keep it secret):")
        self.stdout.write(device.config_url)
