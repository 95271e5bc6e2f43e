import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.places.models import ServiceCenter, Space, SpaceKind


class BookingRule(models.Model):
    """How a space may be booked. A rule for a kind of space is the default of every space
    of that kind; a rule for one space overrides it; without either, the field defaults."""

    kind = models.OneToOneField(
        SpaceKind,
        verbose_name=_("kind of space"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booking_rule",
    )
    space = models.OneToOneField(
        Space,
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booking_rule",
    )
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=30)
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=30)
    max_minutes = models.PositiveIntegerField(_("longest booking (minutes)"), default=240)
    max_days_ahead = models.PositiveSmallIntegerField(_("bookable days ahead"), default=30)
    requires_approval = models.BooleanField(_("staff must approve"), default=False)
    max_headcount = models.PositiveIntegerField(
        _("headcount limit"),
        null=True,
        blank=True,
        help_text=_("Empty means the space's capacity."),
    )
    open_to_residents = models.BooleanField(_("residents may book"), default=True)
    open_to_partners = models.BooleanField(_("partners may book"), default=True)
    required_tags = models.JSONField(
        _("only for these groups"),
        default=list,
        blank=True,
        help_text=_("Residents need one of these group tags; empty means everyone."),
    )

    class Meta:
        verbose_name = _("booking rule")
        verbose_name_plural = _("booking rules")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__isnull=False) & Q(space__isnull=True))
                | (Q(kind__isnull=True) & Q(space__isnull=False)),
                name="bookingrule_kind_xor_space",
            ),
            models.CheckConstraint(
                condition=Q(min_minutes__lte=F("max_minutes")), name="bookingrule_min_le_max"
            ),
        ]

    def __str__(self):
        return str(self.space or self.kind)


class ClosedDate(models.Model):
    """A day a center is closed although its weekly hours say open (holidays, repairs)."""

    center = models.ForeignKey(
        ServiceCenter,
        on_delete=models.CASCADE,
        related_name="closed_dates",
        verbose_name=_("center"),
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["center", "date"], name="closeddate_unique_day")
        ]

    def __str__(self):
        return f"{self.center} {self.date}"


class BookingSeries(models.Model):
    """A recurring booking: the same time every week for a number of weeks."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="booking_series")
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_series"
    )
    weeks = models.PositiveSmallIntegerField(_("weeks"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring booking")
        verbose_name_plural = _("recurring bookings")

    def __str__(self):
        return f"{self.space} × {self.weeks}"


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    # Pending bookings hold their time too: two requests for one slot must not both wait
    # for approval. The database constraint (see migrations) uses the same list.
    ACTIVE = (Status.PENDING, Status.CONFIRMED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.PROTECT, related_name="bookings"
    )
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="bookings"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    purpose = models.CharField(_("purpose"), max_length=200)
    headcount = models.PositiveIntegerField(_("headcount"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["space", "start"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="booking_end_after_start")
        ]

    def __str__(self):
        return f"{self.space} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
