"""The 24-hour smart charging room (24小时智能充换电间): rooms at stations, cabinets with a
per-device secret, slots whose state the devices report, short reservations by riders,
charging and swap sessions, and riders' fault reports.

At most one active reservation per slot and per person is the database's rule (two partial
unique indexes), so concurrent requests cannot both hold a slot; expired holds are marked
expired by the next write that needs their place."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy


class ChargingRoom(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    station = models.ForeignKey(
        "riders.Station",
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="charging_rooms",
    )
    name = models.CharField(pgettext_lazy("place", "name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    is_24h = models.BooleanField(_("open 24 hours"), default=True)
    is_demo = models.BooleanField(default=False, editable=False)
    # The demo's cabinet player now running for this room (see demo_play.py): a player
    # whose token is no longer this one stops at its next turn.
    demo_player = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("charging room")
        verbose_name_plural = _("charging rooms")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Cabinet(models.Model):
    """A charging or swap cabinet: one device, one secret, several slots."""

    room = models.ForeignKey(
        ChargingRoom, verbose_name=_("room"), on_delete=models.CASCADE, related_name="cabinets"
    )
    code = models.SlugField(_("device code"), max_length=40, unique=True)
    # The device's HMAC secret, encrypted with core.crypto (Fernet); shown once to staff.
    secret_encrypted = models.TextField(editable=False)
    secret_rotated_at = models.DateTimeField(_("secret set at"))
    last_report_at = models.DateTimeField(_("last report"), null=True, blank=True)
    # When a silence check is queued for the cabinet (one at a time); see tasks.py.
    silence_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("cabinet")
        verbose_name_plural = _("cabinets")
        ordering = ["code"]

    def __str__(self):
        return self.code


class Slot(models.Model):
    class Kind(models.TextChoices):
        CHARGING = "charging", pgettext_lazy("slot kind", "Charger")
        SWAP = "swap", pgettext_lazy("slot kind", "Battery swap")

    class State(models.TextChoices):
        FREE = "free", pgettext_lazy("slot state", "Free")
        CHARGING = "charging", pgettext_lazy("slot state", "Charging")
        OCCUPIED = "occupied", pgettext_lazy("slot state", "Occupied")
        FAULT = "fault", pgettext_lazy("slot state", "Fault")
        OFFLINE = "offline", pgettext_lazy("slot state", "Offline")

    cabinet = models.ForeignKey(
        Cabinet, verbose_name=_("cabinet"), on_delete=models.CASCADE, related_name="slots"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    # The slot's number in its room, the one riders see ("1号充电位", "Slot 1"): numbered
    # across the room's cabinets, so it stays the same when a cabinet is added.
    position = models.PositiveSmallIntegerField(_("number in the room"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.CHARGING)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OFFLINE)
    last_report_at = models.DateTimeField(_("last report"), null=True, blank=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["cabinet__code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cabinet", "number"], name="slot_number_per_cabinet"),
            models.CheckConstraint(condition=Q(number__gte=1), name="slot_number_positive"),
        ]

    def __str__(self):
        return f"{self.cabinet.code}-{self.number}"

    @property
    def name(self) -> str:
        """The slot as riders call it: 1号充电位 / 1号换电位 (Slot 1)."""
        if self.kind == self.Kind.SWAP:
            return pgettext("swap slot name", "Slot %(number)s") % {"number": self.position}
        return pgettext("slot name", "Slot %(number)s") % {"number": self.position}

    @property
    def device_label(self) -> str:
        """The slot as the device and staff know it: cabinet code and number."""
        return f"{self.cabinet.code}-{self.number}"


class Reservation(models.Model):
    """A short hold of a free slot by a rider."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("reservation", "Held")
        USED = "used", pgettext_lazy("reservation", "Used")
        CANCELLED = "cancelled", pgettext_lazy("reservation", "Cancelled")
        EXPIRED = "expired", pgettext_lazy("reservation", "Expired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="reservations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="charging_reservations",
    )
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("held until"))
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["-created_at", "id"]
        constraints = [
            # The guard: one active hold per slot and one per person, whatever runs at once.
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="active"), name="reservation_one_per_slot"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="reservation_one_per_person"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="reservation_expires_later"
            ),
        ]

    def __str__(self):
        return f"{self.slot_id}:{self.status}"


class ChargingSession(models.Model):
    class Kind(models.TextChoices):
        CHARGE = "charge", pgettext_lazy("session kind", "Charge")
        SWAP = "swap", pgettext_lazy("session kind", "Swap")

    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="sessions"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="charging_sessions",
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    started_at = models.DateTimeField(_("started"), db_index=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    energy_wh = models.PositiveIntegerField(_("energy (Wh)"), null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("charging session")
        verbose_name_plural = _("charging sessions")
        ordering = ["-started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(ended_at__isnull=True),
                name="session_one_open_per_slot",
            ),
        ]

    def __str__(self):
        return f"{self.slot_id}:{self.kind}:{self.started_at:%Y-%m-%d %H:%M}"


class FaultReport(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("fault", "Open")
        CLOSED = "closed", pgettext_lazy("fault", "Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="faults"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="charging_faults",
    )
    text = models.TextField(_("what is wrong"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("fault report")
        verbose_name_plural = _("fault reports")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return f"{self.slot_id}:{self.status}"


class SeenReport(models.Model):
    """Signatures of accepted device reports, kept for the signature window so a replayed
    report is refused by every server process (the unique index decides)."""

    signature = models.CharField(max_length=64, unique=True)
    cabinet = models.ForeignKey(Cabinet, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.signature[:12]
