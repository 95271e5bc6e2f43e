from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "dangqun.workdays"
    label = "workdays"
    verbose_name = _("Working days")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import OfficialDay, OfficialYear

        # Any write to the entered calendar, through a service or not, drops this
        # process's cached years.
        for model in (OfficialDay, OfficialYear):
            post_save.connect(selectors.forget, sender=model, dispatch_uid=f"wd-save-{model}")
            post_delete.connect(selectors.forget, sender=model, dispatch_uid=f"wd-del-{model}")
