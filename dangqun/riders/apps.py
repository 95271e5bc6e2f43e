from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RidersConfig(AppConfig):
    name = "dangqun.riders"
    label = "riders"
    verbose_name = _("New-employment workers")

    def ready(self):
        from dangqun.people import access

        from .models import RiderProfile, Station

        # Staff edit the stations of their regions; riders' work areas are personal data,
        # seen (in aggregate) by managers of the rider's region.
        access.register(Station, "region", access.MANAGERS)
        access.register(RiderProfile, "person__home_region", access.MANAGERS)
