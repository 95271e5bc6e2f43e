from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "dangqun.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from dangqun.activities import services as activities
        from dangqun.people import access

        from . import gate
        from .models import Certificate, RewardItem, Team

        # Teams, their rewards and certificates belong to the region of their center (or
        # the team's own region): staff of that region run them.
        access.register(Team, "region", access.MANAGERS)
        access.register(RewardItem, "center__region", access.MANAGERS)
        access.register(Certificate, "center__region", access.MANAGERS)
        # A shift is an activity whose sign-ups this app rules (team members only, no two
        # shifts of one person at once): the activities' pages and API ask the same gate.
        activities.sign_up_gate_register(gate.OWNER, gate.shift_refusal)

        # What partners delivered here, for the partners' figures (partners.sources).
        from dangqun.partners import sources as partner_sources

        from . import partner_sources as delivered_here

        partner_sources.register("volunteers", delivered_here.delivered)
