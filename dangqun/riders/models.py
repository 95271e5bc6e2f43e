import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangqun.core import hours
from dangqun.places.models import Region, ServiceCenter

from . import amenities, cells


def all_day_week() -> list[str]:
    return [hours.ALL_DAY] * 7


class Station(models.Model):
    """A service point for riders: a warm-bee station (暖蜂驿站), a center, a partner's shop,
    a trade-union station. Location stored WGS-84 with its H3 cells for the spatial index."""

    class Kind(models.TextChoices):
        WARM_BEE = "warm_bee", _("Warm-bee station")
        CENTER = "center", _("Service center")
        PARTNER_SHOP = "partner_shop", _("Partner shop")
        UNION_STATION = "union_station", _("Trade-union station")
        OTHER = "other", _("Other service point")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.WARM_BEE)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stations"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stations",
    )
    operator = models.CharField(_("run by"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Codes from riders/amenities.py; the mask mirrors them, one bit each, for cheap filters.
    amenities = models.JSONField(_("amenities"), default=list, blank=True)
    amenity_mask = models.BigIntegerField(default=0, editable=False, db_index=True)
    opening_hours = models.JSONField(_("opening hours"), default=all_day_week)
    capacity = models.PositiveIntegerField(_("capacity (people)"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="stations/", blank=True)
    latitude = models.DecimalField(_("latitude (WGS-84)"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude (WGS-84)"), max_digits=9, decimal_places=6)
    # The station's H3 cells at the index resolutions (hex strings), see riders/cells.py.
    h3_r5 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    h3_r6 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    h3_r7 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    h3_r8 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    h3_r9 = models.CharField(max_length=16, editable=False, db_index=True, default="")
    is_open = models.BooleanField(
        _("in service"), default=True, help_text=_("Closed stations are not shown to riders.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Recompute the amenity mask and the H3 cells from the stored values."""
        self.amenity_mask = amenities.mask_of(self.amenities)
        for resolution, cell in cells.cells_of(float(self.latitude), float(self.longitude)).items():
            setattr(self, f"h3_r{resolution}", cell)

    def is_open_at(self, moment=None) -> bool:
        return self.is_open and hours.is_open_at(self.opening_hours, moment)

    @property
    def amenity_items(self) -> list[dict]:
        return amenities.labelled(self.amenities)


class RiderProfile(models.Model):
    """A person's registration as a new-employment worker. Trade and platform live on the
    person's new-employment group tag (people/); the usual work area is kept here, only with
    the rider's consent to location data, as an H3 cell (about 0.7 km²), never a track."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rider_profile"
    )
    work_cell = models.CharField(_("usual work area (H3 cell)"), max_length=16, blank=True)
    work_region = models.ForeignKey(
        Region,
        verbose_name=_("work area's region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    location_consent_at = models.DateTimeField(
        _("location data consent given"), null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rider")
        verbose_name_plural = _("riders")
        ordering = ["id"]
        indexes = [models.Index(fields=["work_cell"], name="rider_work_cell")]
        constraints = [
            # No consent, no location: the database refuses a work area without it.
            models.CheckConstraint(
                condition=models.Q(work_cell="") | models.Q(location_consent_at__isnull=False),
                name="rider_work_area_needs_consent",
            )
        ]

    def __str__(self):
        return str(self.person)


class DemandSet(models.Model):
    """Demand counts imported from a CSV or Excel file for a coverage analysis (e.g. order
    pick-ups per area from a platform): points with a weight, kept as one row so that an
    import is all or nothing."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    # [{"lat": .., "lng": .., "count": ..}] in WGS-84
    points = models.JSONField(default=list)
    total = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demand import")
        verbose_name_plural = _("demand imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name
