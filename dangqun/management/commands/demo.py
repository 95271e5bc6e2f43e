from django.core.management.base import BaseCommand

from dangqun import demo


class Command(BaseCommand):
    help = "Load the demo district (Yuhang). Safe to run again: nothing is doubled."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=300)

    def handle(self, *args, residents, **options):
        figures = demo.load(residents=residents)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in figures.items()))
        self.stdout.write(
            f"Demo staff: mobile {demo.DEMO_STAFF_MOBILE}, password {demo.demo_password()} "
            "(kept in var/demo-staff-password), or sign in with an SMS code from the log."
        )
