"""The official calendar as district staff entered it: holidays and make-up working days
(调休) for the years the chinese-calendar package does not cover yet, or corrections of a
year it does. Entered days override the package."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OfficialDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", pgettext_lazy("official day", "holiday")
        WORKDAY = "workday", pgettext_lazy("official day", "make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=40, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("official day")
        verbose_name_plural = _("official days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.kind} {self.name}"


class OfficialYear(models.Model):
    """A year whose State Council arrangement has been entered completely: its deadlines
    are exact, no longer estimated."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    complete = models.BooleanField(_("entered completely"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("official year")
        verbose_name_plural = _("official years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
