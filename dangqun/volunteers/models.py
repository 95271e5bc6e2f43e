"""Volunteers: teams and their members, tasks and their shifts (each shift runs on an
activity, so its places, waiting list and check-in are the activities' own), the hours
ledger (append-only: credit hours from attendance, honour hours granted and approved by a
second person, corrections as reversing entries), the time-bank points it earns, the
rewards points buy, and certificates (volunteer service and training) with a public
verification page."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.core.attachments import AttachmentStorage
from dangqun.places.models import Region, ServiceCenter, Space


class Team(models.Model):
    """A volunteer team of a center (the riders' team of the Cangqian center) or of a
    region (a street's elder-help team)."""

    class JoinRule(models.TextChoices):
        OPEN = "open", _("Anyone with the volunteer group may join")
        APPROVAL = "approval", _("A leader approves each member")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    # A partner's team: its hours count towards what the partner pledged.
    partner = models.ForeignKey(
        "partners.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    join_rule = models.CharField(
        _("who may join"), max_length=10, choices=JoinRule.choices, default=JoinRule.OPEN
    )
    # The volunteer group is declared by the person; some teams take only those whom
    # staff have verified.
    requires_verified = models.BooleanField(_("verified volunteers only"), default=False)
    is_riders_team = models.BooleanField(_("the riders' volunteer team"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        LEADER = "leader", _("Leader")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a leader's approval")
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left the team")
        REFUSED = "refused", _("Not accepted")

    CURRENT = (Status.PENDING, Status.ACTIVE)

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer_memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=Q(status__in=["pending", "active"]),
                name="membership_one_current_per_person",
            )
        ]

    def __str__(self):
        return f"{self.team} · {self.person}"


class Task(models.Model):
    """What a team asks volunteers to do, where, with which skills; done in shifts."""

    class Venue(models.TextChoices):
        SPACE = "space", _("A space of a center")
        ADDRESS = "address", _("An outside address")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    skills = models.CharField(_("skills wanted"), max_length=200, blank=True)
    center = models.ForeignKey(
        ServiceCenter, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+"
    )
    venue = models.CharField(_("where"), max_length=8, choices=Venue.choices, default=Venue.SPACE)
    space = models.ForeignKey(
        Space,
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer task")
        verbose_name_plural = _("volunteer tasks")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return self.title


class Shift(models.Model):
    """A time a task needs volunteers. Its places, waiting list, sign-ups and check-ins
    are those of its activity (one session, from start to end)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="shifts")
    activity = models.OneToOneField(
        "activities.Activity", on_delete=models.PROTECT, related_name="volunteer_shift"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    # When its attendance was turned into credit hours (check-outs counted, missed
    # check-outs flagged for a leader).
    credited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_end_after_start")
        ]
        indexes = [models.Index(fields=["end"], name="shift_end")]

    def __str__(self):
        return f"{self.task} {self.start:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


class SwapOffer(models.Model):
    """A member hands their place on a shift to another member, who accepts."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swaps")
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OFFERED)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shift swap")
        verbose_name_plural = _("shift swaps")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "from_person"],
                condition=Q(status="offered"),
                name="swap_one_open_offer",
            )
        ]

    def __str__(self):
        return f"{self.shift} · {self.from_person_id} → {self.to_person_id}"


class MissedCheckOut(models.Model):
    """Someone checked in and never checked out: closed at the shift's end, it waits for
    a leader to confirm (or to give the real time they left) before it earns hours."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a leader")
        CONFIRMED = "confirmed", _("Confirmed")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="missed_check_outs")
    check_in = models.OneToOneField(
        "activities.CheckIn", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("missed check-out")
        verbose_name_plural = _("missed check-outs")
        ordering = ["shift", "id"]

    def __str__(self):
        return f"{self.shift} · {self.person_id}"


def _evidence_path(instance, filename):
    return f"volunteers/{instance.public_id.hex}"


def evidence_storage():
    return AttachmentStorage()  # core.attachments: var/attachments, never served directly


class HonourClaim(models.Model):
    """Honour hours (荣誉时) a leader or staff enter for a member, with a reason and
    evidence; a second person approves them before they reach the ledger."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="honour_claims")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    reason = models.CharField(_("reason"), max_length=300)
    evidence = models.FileField(
        _("evidence"), storage=evidence_storage, upload_to=_evidence_path, max_length=200
    )
    evidence_type = models.CharField(max_length=40)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("honour hours")
        verbose_name_plural = _("honour hours")
        ordering = ["-entered_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60), name="honour_minutes_in_day"
            ),
            # The approver is never the person who entered the claim.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("entered_by")),
                name="honour_second_person",
            ),
        ]

    def __str__(self):
        return f"{self.person_id} {self.date} {self.minutes}"


class AppendOnly(models.QuerySet):
    """The ledgers are never changed nor deleted: a correction is a new entry."""

    def update(self, **kwargs):
        raise TypeError("ledger entries are append-only")

    def delete(self):
        raise TypeError("ledger entries are append-only")


class HoursEntry(models.Model):
    """One line of the hours ledger. Minutes are stored; a reversal carries minus the
    minutes of the entry it reverses."""

    class Kind(models.TextChoices):
        CREDIT = "credit", _("Credit hours (from attendance)")
        HONOUR = "honour", _("Honour hours (granted and approved)")

    class Source(models.TextChoices):
        ATTENDANCE = "attendance", _("Check-in and check-out at a shift")
        MISSED_CHECK_OUT = "missed_check_out", _("Closed at the shift's end, confirmed by a leader")
        APPROVAL = "approval", _("Honour hours approved")
        REVERSAL = "reversal", _("Reversal of an entry")
        CORRECTION = "correction", _("Correction replacing a reversed entry")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer_hours"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="hours")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    minutes = models.IntegerField(_("minutes"))
    date = models.DateField(_("date"))
    shift = models.ForeignKey(
        Shift, null=True, blank=True, on_delete=models.PROTECT, related_name="hours"
    )
    check_in = models.ForeignKey(
        "activities.CheckIn", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    honour = models.OneToOneField(
        HonourClaim, null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # None: written by the platform from check-in and check-out.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours ledger")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(minutes=0), name="hours_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(minutes__lt=0) | Q(reverses__isnull=True),
                name="hours_reversal_negative",
            ),
            # One attendance earns once: a second count of the same check-in is refused.
            models.UniqueConstraint(
                fields=["check_in"],
                condition=Q(source__in=["attendance", "missed_check_out"]),
                name="hours_once_per_check_in",
            ),
        ]
        indexes = [models.Index(fields=["person", "date"], name="hours_person_date")]

    def __str__(self):
        return f"{self.person} {self.date} {self.minutes}"

    def save(self, *args, **kwargs):
        # The one exception to "no logic in save()": an integrity guard, not a rule.
        if self.pk is not None:
            raise TypeError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ledger entries are append-only")


class CorrectionRequest(models.Model):
    """A volunteer asks for an entry to be corrected; a leader answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a leader")
        ACCEPTED = "accepted", _("Corrected")
        REFUSED = "refused", _("Not corrected")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(HoursEntry, on_delete=models.PROTECT, related_name="corrections")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField(_("the right minutes"))
    message = models.CharField(_("what is wrong"), max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="open"), name="correction_one_open_per_entry"
            )
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.minutes}"


class PointsAccount(models.Model):
    """A person's time-bank points. The balance is the sum of the account's entries, kept
    with each entry under the account's row lock; it never goes below zero."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="points_account"
    )
    balance = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("points account")
        verbose_name_plural = _("points accounts")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="points_never_negative")
        ]

    def __str__(self):
        return f"{self.person_id}: {self.balance}"


class PointsEntry(models.Model):
    class Kind(models.TextChoices):
        EARN = "earn", _("Earned by volunteer hours")
        TAKE_BACK = "take_back", _("Taken back with a reversed entry")
        REDEEM = "redeem", _("Redeemed")
        EXPIRE = "expire", _("Expired")

    account = models.ForeignKey(PointsAccount, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    points = models.DecimalField(max_digits=12, decimal_places=2)
    hours_entry = models.OneToOneField(
        HoursEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="points"
    )
    redemption = models.OneToOneField(
        "Redemption", null=True, blank=True, on_delete=models.PROTECT, related_name="entry"
    )
    created_at = models.DateTimeField()

    objects = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="points_entry_not_zero"),
            models.CheckConstraint(
                condition=Q(kind="earn", points__gt=0) | (~Q(kind="earn") & Q(points__lt=0)),
                name="points_entry_sign",
            ),
        ]

    def __str__(self):
        return f"{self.account_id} {self.kind} {self.points}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("ledger entries are append-only")


class RewardItem(models.Model):
    """A service or good a center gives for points, with the stock left."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    center = models.ForeignKey(ServiceCenter, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    stock = models.PositiveIntegerField(_("stock"))
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["center", "points", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="reward_points_positive")
        ]

    def __str__(self):
        return self.name


class Redemption(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(RewardItem, on_delete=models.PROTECT, related_name="redemptions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(max_digits=8, decimal_places=2)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return f"{self.item} · {self.person_id}"


class Certificate(models.Model):
    """A volunteer service certificate (志愿服务证明) or a training certificate. What it
    certifies is copied in when issued, so the certificate says the same thing for ever;
    the serial number opens the public verification page."""

    class Kind(models.TextChoices):
        SERVICE = "service", _("Volunteer service certificate")
        TRAINING = "training", _("Training certificate")

    serial = models.CharField(_("serial number"), max_length=24, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    center = models.ForeignKey(
        ServiceCenter, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(
        "activities.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("first day"))
    period_end = models.DateField(_("last day"))
    name_masked = models.CharField(max_length=40)
    resident_id_masked = models.CharField(max_length=24, blank=True)
    credit_minutes = models.PositiveIntegerField(default=0)
    honour_minutes = models.PositiveIntegerField(default=0)
    # [{"title": ..., "minutes": ...}] for service; the activity's title for training.
    services = models.JSONField(default=list)
    title = models.CharField(max_length=120, blank=True)
    rule = models.CharField(_("rule met"), max_length=200, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="certificate_period_order"
            ),
            # One training certificate per person and training.
            models.UniqueConstraint(
                fields=["person", "activity"],
                condition=Q(kind="training", revoked_at__isnull=True),
                name="certificate_one_per_training",
            ),
        ]

    def __str__(self):
        return self.serial

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
