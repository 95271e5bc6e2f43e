from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    """The back office shell: the pages staff use to run the registry and see people.
    Scoping comes from people/access.py; the rules from the apps' services."""

    name = "dangqun.staff"
    label = "staff"
    verbose_name = _("Back office")
