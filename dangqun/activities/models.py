import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.places.models import Region, ServiceCenter, Space


class Activity(models.Model):
    """An event people register for and attend, in one or more sessions."""

    class Kind(models.TextChoices):
        PARTY_MEMBER_SERVICE = "party_member_service", _("Party-member services")
        STUDY = "study", _("Study and education")
        CONVENIENCE = "convenience", _("Convenience services")
        FEATURED = "featured", _("Featured activities")
        VOLUNTEER = "volunteer", _("Volunteer assistance")
        TRAINING = "training", _("Training")
        CLASS = "class", _("Class")
        EXHIBITION = "exhibition", _("Exhibition")
        LIVESTREAM = "livestream", _("Livestream")
        STUDY_TOUR = "study_tour", _("Study tour")

    class Venue(models.TextChoices):
        SPACE = "space", _("A space of a center")
        ADDRESS = "address", _("An outside address")
        ONLINE = "online", _("Online")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")
        FINISHED = "finished", _("Finished")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("organising center"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    # Chosen from the partners co-building with the center (partners.selectors.partnership_for).
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sub_brand = models.ForeignKey(
        "partners.SubBrand",
        verbose_name=_("sub-brand"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("where"), max_length=8, choices=Venue.choices, default=Venue.SPACE)
    space = models.ForeignKey(
        Space,
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"))
    # Places taken: confirmed registrations plus promotions offered and not yet answered.
    # The check constraint below is the database's guarantee that capacity is never exceeded.
    taken = models.PositiveIntegerField(default=0, editable=False)
    # Registrations on the waiting list, counted as they join and leave under the same row
    # lock, so a sign-up learns its place in line without counting the queue.
    waiting = models.PositiveIntegerField(default=0, editable=False)
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    eligible_tags = models.JSONField(_("only for these groups"), default=list, blank=True)
    # Party membership and new-employment work count only once staff have verified them.
    requires_verified_tag = models.BooleanField(_("verified groups only"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    eligible_region = models.ForeignKey(
        Region,
        verbose_name=_("only for residents of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    walk_ins = models.BooleanField(_("walk-ins welcome"), default=False)
    promotion_confirm_hours = models.PositiveSmallIntegerField(
        _("hours to confirm a place from the waiting list"),
        null=True,
        blank=True,
        help_text=_("Empty: the first in line gets the place at once."),
    )
    reminder_minutes = models.PositiveIntegerField(
        _("reminder before each session (minutes)"), default=24 * 60
    )
    description = models.TextField(_("description"), blank=True)
    cover = models.ImageField(_("cover image"), upload_to="activities/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The app that runs this activity for its own purpose (a volunteer shift is an activity
    # of `volunteers`): its sign-ups pass that app's gate, and it is not listed among the
    # public activities. Empty for the centers' own activities.
    owner = models.CharField(max_length=20, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-registration_opens", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="activity_never_over_capacity"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__gt=F("registration_opens")),
                name="activity_window_order",
            ),
        ]

    def __str__(self):
        return self.title


class ActivitySession(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # The space booking that holds the room for this session, when the venue is a space.
    booking = models.OneToOneField(
        "bookings.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activity_session",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_end_after_start")
        ]

    def __str__(self):
        return f"{self.activity} {self.start:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("A place is offered: please confirm")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Offer expired")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    HOLDING = (Status.CONFIRMED, Status.OFFERED)  # these take a place

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: each index of the table below begins with the activity, and
    # every sign-up of a rush writes every index.
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="registrations", db_index=False
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    short_code = models.CharField(_("short code"), max_length=8)
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    offered_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            # One active registration per person and activity: a double sign-up cannot slip in.
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=Q(status__in=["confirmed", "waitlisted", "offered"]),
                name="registration_one_active_per_person",
            ),
            models.UniqueConstraint(
                fields=["activity", "short_code"], name="registration_unique_short_code"
            ),
        ]
        indexes = [models.Index(fields=["activity", "status", "created_at"])]

    def __str__(self):
        return f"{self.activity} · {self.person}"


class CheckIn(models.Model):
    """One person at one session: at most one row, so a second scan changes nothing."""

    class Method(models.TextChoices):
        SCAN = "scan", _("Staff scanned the personal QR code")
        SHORT_CODE = "short_code", _("Staff typed the short code")
        DOOR_QR = "door_qr", _("Scanned the activity's code at the door")
        WALK_IN = "walk_in", _("Walk-in registered at the door")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="check_ins"
    )
    session = models.ForeignKey(ActivitySession, on_delete=models.CASCADE, related_name="check_ins")
    method = models.CharField(max_length=12, choices=Method.choices)
    checked_in_at = models.DateTimeField(auto_now_add=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="checkin_once_per_session"
            )
        ]

    def __str__(self):
        return f"{self.registration} @ {self.session}"


class ExhibitionDay(models.Model):
    """Visitors of an exhibition on one day, as counted by staff at the door."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="visit_days")
    date = models.DateField(_("date"))
    visitors = models.PositiveIntegerField(_("visitors counted"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("exhibition day")
        verbose_name_plural = _("exhibition days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "date"], name="exhibitionday_unique")
        ]

    def __str__(self):
        return f"{self.activity} {self.date}: {self.visitors}"
