from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "dangqun.intake"
    label = "intake"
    verbose_name = _("One-stop intake")

    def ready(self):
        from dangqun.people import access

        from .models import FollowUp, ServiceItem, ServiceRequest

        # Street staff see their street's requests; a center's staff their center's.
        access.register(ServiceRequest, "center__region", access.MANAGERS)
        access.register(FollowUp, "center__region", access.MANAGERS)
        access.register(ServiceItem, "owner_region", access.MANAGERS)

        # What partners delivered here, for the partners' figures (partners.sources).
        from dangqun.partners import sources as partner_sources

        from . import partner_sources as delivered_here

        partner_sources.register("intake", delivered_here.delivered)

        # Partners (issue 16): merges repoint this app's records; public pages read it.
        from . import partner_links

        partner_links.register()

        # Service packages (partners) name and count what this app holds.
        from . import package_source

        package_source.register()
