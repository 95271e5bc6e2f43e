from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChargingConfig(AppConfig):
    name = "dangqun.charging"
    label = "charging"
    verbose_name = _("Charging rooms")

    def ready(self):
        from dangqun.bookings import selectors as bookings
        from dangqun.people import access
        from dangqun.riders import selectors as riders

        from . import selectors
        from .models import ChargingRoom, FaultReport

        # Staff run the rooms of the stations in their regions, and read their riders' faults.
        access.register(ChargingRoom, "station__region", access.MANAGERS)
        access.register(FaultReport, "slot__cabinet__room__station__region", access.MANAGERS)
        # Riders see a station's charging slots on the map and on its page, live.
        riders.register_card_extra("live", selectors.availability_by_station)
        riders.register_page_extra("charging_rooms", selectors.rooms_for_station)
        # A rider's hold shows on "my bookings" and on the riders' page.
        holds = ("charging", "charging/_my_holds.html", selectors.current_holds)
        bookings.mine_sections.register(*holds)
        riders.home_sections.register(*holds)
