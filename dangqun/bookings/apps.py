from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "dangqun.bookings"
    label = "bookings"
    verbose_name = _("Space booking")

    def ready(self):
        from dangqun.people import access

        from .models import Booking

        # Staff see the bookings of the spaces in their regions.
        access.register(Booking, "space__center__region", access.MANAGERS)
        # Service packages (partners) name and count what this app holds.
        from . import package_source

        package_source.register()
