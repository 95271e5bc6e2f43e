from django.db import models
from django.utils.translation import gettext_lazy as _

from dangqun.core import hours
from dangqun.core.templatetags.dq import loc


class Region(models.Model):
    """A node of the administrative tree: district -> street/town -> village/community."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        STREET = "street", _("Street")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")
        COMMUNITY = "community", _("Community")

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/1/4/9/": the ids from the root down to this region, so "everything inside a
    # region" is one indexed prefix match (see people/access.py).
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent")
        ]

    def __str__(self):
        return loc(self)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class SpaceKind(models.Model):
    """A kind of functional space (阵地). The glossary's kinds are built in; staff add more."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    is_builtin = models.BooleanField(_("built in"), default=False)

    class Meta:
        verbose_name = _("kind of space")
        verbose_name_plural = _("kinds of space")
        ordering = ["id"]

    def __str__(self):
        return loc(self)


class ServiceCenter(models.Model):
    """A party-mass service center (党群服务中心) at district, street or village level."""

    slug = models.SlugField(_("short name in web addresses"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="centers"
    )
    is_integrated = models.BooleanField(
        _("integrated center"),
        default=False,
        help_text=_("One building that accepts all services at one place."),
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.JSONField(_("opening hours"), default=hours.default_week)
    brand = models.CharField(_("brand"), max_length=100, blank=True)
    area_m2 = models.DecimalField(
        _("floor area (m²)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="centers/", blank=True)

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["region__path", "name"]

    def __str__(self):
        return loc(self)

    def is_open_at(self, moment=None) -> bool:
        return hours.is_open_at(self.opening_hours, moment)


class Space(models.Model):
    """A functional space (阵地) inside a center: a room, hall, studio, canteen."""

    center = models.ForeignKey(
        ServiceCenter, verbose_name=_("center"), on_delete=models.CASCADE, related_name="spaces"
    )
    kind = models.ForeignKey(
        SpaceKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="spaces"
    )
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    # Empty means: the center's opening hours.
    opening_hours = models.JSONField(_("opening hours"), null=True, blank=True)
    is_bookable = models.BooleanField(_("bookable"), default=False)
    description = models.TextField(_("description"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="spaces/", blank=True)

    class Meta:
        verbose_name = _("space")
        verbose_name_plural = _("spaces")
        ordering = ["center", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="space_unique_name_in_center")
        ]

    def __str__(self):
        return f"{self.center} · {loc(self)}"

    @property
    def effective_hours(self) -> list[str]:
        return self.opening_hours or self.center.opening_hours

    def is_open_at(self, moment=None) -> bool:
        return hours.is_open_at(self.effective_hours, moment)
