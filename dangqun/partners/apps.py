from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "dangqun.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from dangqun.people import access

        from .models import Brand, Partner, ServicePackage, SubBrand

        # A partnership is run by the staff of its region; a sub-brand by the staff of its
        # center's region; a brand by the staff of the district or the street it belongs to.
        access.register(Partner, "region", access.MANAGERS)
        access.register(SubBrand, "center__region", access.MANAGERS)
        access.register(Brand, "region", access.MANAGERS)
        # A service package is run by the staff of its region.
        access.register(ServicePackage, "region", access.MANAGERS)

        # Mobile party members (mobile.py): kept by the staff of the region they work in.
        from . import models as mobile

        access.register(mobile.TemporaryOrganisation, "region", access.MANAGERS)
        access.register(mobile.MobileMember, "region", access.MANAGERS)
        access.register(mobile.ReportIn, "member__region", access.MANAGERS)
        access.register(mobile.Notice, "region", access.MANAGERS)
        access.register(mobile.ServiceProject, "region", access.MANAGERS)
        access.register(mobile.Participation, "member__region", access.MANAGERS)
