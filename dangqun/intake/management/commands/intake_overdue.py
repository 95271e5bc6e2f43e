"""`dangqun intake_overdue`: tell street admins about open requests past their due date
(each request once). The worker does this by itself; this is for cron and catching up."""

from django.core.management.base import BaseCommand

from dangqun.intake.services import overdue_sweep


class Command(BaseCommand):
    help = "Tell street admins, once per request, about open requests past their due date."

    def handle(self, *args, **options):
        told = overdue_sweep()
        self.stdout.write(f"Overdue requests newly reported: {told}")
