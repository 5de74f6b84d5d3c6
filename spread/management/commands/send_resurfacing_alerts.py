from django.core.management.base import BaseCommand

from spread.alerts import resurfacing_send_due


class Command(BaseCommand):
    help = (
        "Mail the resurfacing alerts whose hour is over (README, 'Claim spread'). The worker "
        "does it by itself; run this from cron when tasks run on a backend that cannot wait."
    )

    def handle(self, *args, **options):
        sent = resurfacing_send_due()
        self.stdout.write(f"Sent {sent} resurfacing alert{'s' if sent != 1 else ''}.")
