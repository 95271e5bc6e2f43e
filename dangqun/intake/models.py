"""One-stop intake (一站式受理): the catalogue of service items, the requests people make,
their history, attachments, ratings (好差评) and the follow-ups a poor rating opens."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core import geo
from dangqun.core.attachments import AttachmentStorage
from dangqun.places.models import Region, ServiceCenter


class Kind(models.TextChoices):
    """The five kinds of service the integrated center accepts (see the glossary)."""

    PARTY_MEMBER_SERVICE = "party_member_service", _("Party-member services")
    STUDY = "study", _("Study and education")
    CONVENIENCE = "convenience", _("Convenience services")
    FEATURED = "featured", _("Featured activities")
    VOLUNTEER = "volunteer", _("Volunteer assistance")


class ServiceItem(models.Model):
    """A service that can be requested. It belongs either to one center or to a region
    (a street or the district), in which case every center inside that region offers it."""

    code = models.SlugField(
        _("code"),
        max_length=60,
        unique=True,
        help_text=_("Stable; external systems (Open311) use it as the service code."),
    )
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("offered by center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_items",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("offered in the whole region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_items",
    )
    # The region that owns the item: the center's region or `region`; kept for scoping.
    owner_region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", editable=False
    )
    unit = models.CharField(
        _("responsible unit"), max_length=80, help_text=_("The desk or office that handles it.")
    )
    # Provided with a partner co-building with the item's center(s), under one of its
    # sub-brands (partners.selectors.partnership_for).
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
    staff_group = models.CharField(_("staff group"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    materials = models.TextField(_("materials to bring"), blank=True)
    online = models.BooleanField(_("can be requested online"), default=True)
    counter = models.BooleanField(_("can be requested at the counter"), default=True)
    time_limit_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), default=5
    )
    location_required = models.BooleanField(_("a location is required"), default=False)
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["kind", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(center__isnull=False, region__isnull=True))
                | (Q(center__isnull=True, region__isnull=False)),
                name="serviceitem_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(online=True) | Q(counter=True), name="serviceitem_some_channel"
            ),
        ]

    def __str__(self):
        return self.name


class ServiceField(models.Model):
    """An extra field a request for the item carries (typed; Open311 attributes)."""

    class Datatype(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        BOOL = "bool", _("Yes/no")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="fields")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120)
    datatype = models.CharField(_("type"), max_length=8, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    # For choice fields: [{"key": "...", "name": "..."}, ...]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("extra field")
        verbose_name_plural = _("extra fields")
        ordering = ["item", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="servicefield_unique_code")
        ]

    def __str__(self):
        return self.label


class Channel(models.TextChoices):
    ONLINE = "online", pgettext_lazy("intake channel", "Online")
    COUNTER = "counter", pgettext_lazy("intake channel", "At the counter")
    OPEN311 = "open311", pgettext_lazy("intake channel", "Open311")


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("request status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("request status", "Accepted")
    IN_PROGRESS = "in_progress", pgettext_lazy("request status", "In progress")
    RESOLVED = "resolved", pgettext_lazy("request status", "Resolved")
    REJECTED = "rejected", pgettext_lazy("request status", "Rejected")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.RESOLVED, Status.REJECTED)


def _token() -> str:
    return secrets.token_urlsafe(18)


class ServiceRequest(models.Model):
    """One request for a service item, by one person, handled by one unit of one center."""

    Status = Status
    Channel = Channel

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    token = models.CharField(max_length=32, unique=True, default=_token, editable=False)
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("service"), on_delete=models.PROTECT, related_name="requests"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("center"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    unit = models.CharField(_("responsible unit"), max_length=80)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    description = models.TextField(_("description"), blank=True)
    values = models.JSONField(_("details"), default=dict, blank=True)
    lat = models.DecimalField(
        _("latitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lng = models.DecimalField(
        _("longitude (WGS-84)"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The village or community the person chose as the place (with or instead of a point).
    location_region = models.ForeignKey(
        Region,
        verbose_name=_("village or community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True, db_index=True)
    due_estimated = models.BooleanField(_("due date estimated"), default=False)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    resolution = models.TextField(_("result"), blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["center", "unit", "status"]),
            models.Index(fields=["status", "due_date"]),
        ]

    def __str__(self):
        return self.number

    @property
    def amap_url(self) -> str:
        """The place in Amap (for the staff on a phone), or "" without a point."""
        if self.lat is None or self.lng is None:
            return ""
        return geo.amap_marker_url(self.lat, self.lng, self.address or self.number)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class RequestEvent(models.Model):
    """One step of a request's history: who, when, what and a note. Append-only: the
    services only ever create these, and the model refuses to change or delete one."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("request event", "Submitted")
        ACCEPTED = "accepted", pgettext_lazy("request event", "Accepted")
        STARTED = "started", pgettext_lazy("request event", "Work started")
        RESOLVED = "resolved", pgettext_lazy("request event", "Resolved")
        REJECTED = "rejected", pgettext_lazy("request event", "Rejected")
        TRANSFERRED = "transferred", pgettext_lazy("request event", "Transferred")
        RATED = "rated", pgettext_lazy("request event", "Rated")
        OVERDUE = "overdue", pgettext_lazy("request event", "Overdue: street admin told")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    status = models.CharField(_("status after"), max_length=12, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request} · {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("The history of a request cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The history of a request cannot be deleted.")


def attachment_storage():
    return AttachmentStorage()  # core.attachments: var/attachments, never served directly


def _attachment_path(instance, filename):
    return f"{instance.request.submitted_at:%Y/%m}/{instance.public_id}.{instance.extension}"


class Attachment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=attachment_storage, upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=5)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class Rating(models.Model):
    """好差评: one rating per request, five levels, by the person served."""

    request = models.OneToOneField(ServiceRequest, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"))
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_one_to_five"
            )
        ]

    def __str__(self):
        return f"{self.request} · {self.score}"

    @property
    def is_poor(self) -> bool:
        return self.score <= 2


class FollowUp(models.Model):
    """A task for the center, opened by a poor rating: call the person back, put it right."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("follow-up", "Open")
        DONE = "done", pgettext_lazy("follow-up", "Done")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.OneToOneField(
        ServiceRequest, on_delete=models.CASCADE, related_name="follow_up"
    )
    center = models.ForeignKey(ServiceCenter, on_delete=models.CASCADE, related_name="follow_ups")
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"{self.request} · {self.get_status_display()}"


class NumberCounter(models.Model):
    """The last number handed out on a day (YH-20261129-0001); one row per day."""

    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.day}: {self.last}"
