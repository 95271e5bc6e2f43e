from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "dangqun.activities"
    label = "activities"
    verbose_name = _("Activities")

    def ready(self):
        from dangqun.people import access

        from .models import Activity, Registration

        # Staff see the activities their centers organise, and who registered for them.
        access.register(Activity, "center__region", access.MANAGERS)
        access.register(Registration, "activity__center__region", access.MANAGERS)
        # What partners delivered here, for the partners' figures (partners.sources).
        from dangqun.partners import sources as partner_sources

        from . import partner_sources as delivered_here

        partner_sources.register("activities", delivered_here.delivered)

        # Which mobile party members attended an activity, for their figures (partners).
        from dangqun.partners import mobile_read

        from . import mobile_source

        mobile_read.register_attendance("activities", mobile_source.attended)

        # The tasks tell activities/queue.py what to run after a service commits.
        # Partners (issue 16): merges repoint this app's records; public pages read it.
        # Service packages (partners) name and count what this app holds.
        from . import (
            package_source,
            partner_links,
            tasks,  # noqa: F401
        )

        partner_links.register()
        package_source.register()
