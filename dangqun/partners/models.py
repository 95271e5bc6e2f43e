"""Partners (共建单位) co-building with centers, their agreements and what they pledge, what
they delivered in money or goods (with evidence), the sub-brands (子品牌) they give at a
center, and the district's and streets' brands (品牌) those sub-brands stand under.

Activities, intake items and volunteer teams point here; what a partner delivered through
them (sessions, person-times, requests, hours) is read back through the sources those apps
register (sources.py), since this app sits below them."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dangqun.core.attachments import AttachmentStorage
from dangqun.core.templatetags.dq import loc
from dangqun.places.models import Region, ServiceCenter


class Partner(models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University or school")
        ENTERPRISE = "enterprise", _("Enterprise")
        SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
        CLINIC = "clinic", _("Clinic or hospital")
        PUBLIC_INSTITUTION = "public_institution", _("Public institution")
        PARTY_BRANCH = "party_branch", _("Party branch")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Co-building")
        ENDED = "ended", _("Ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The region whose staff run the partnership (a street, or the district); the centers
    # it co-builds with lie within it.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    centers = models.ManyToManyField(
        ServiceCenter, verbose_name=_("co-building centers"), related_name="partners", blank=True
    )
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=60, blank=True)
    contact_mobile = models.CharField(_("contact mobile"), max_length=11, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    # Made by the migration from an activity's free-text partner: staff check and merge.
    from_old_data = models.BooleanField(_("from old data"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]

    def __str__(self):
        return loc(self)


class Agreement(models.Model):
    """A co-building agreement and what the partner pledges over its term."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    pledged_hours = models.DecimalField(
        _("volunteer hours pledged"), max_digits=8, decimal_places=1, default=0
    )
    pledged_sessions = models.PositiveIntegerField(_("sessions pledged per year"), default=0)
    pledged_money = models.DecimalField(
        _("money or goods pledged (¥)"), max_digits=12, decimal_places=2, default=0
    )
    text = models.TextField(_("what the partner pledges"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-building agreement")
        verbose_name_plural = _("co-building agreements")
        ordering = ["partner", "-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="agreement_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(pledged_hours__gte=0) & Q(pledged_money__gte=0),
                name="agreement_pledges_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.partner} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class Receipt(models.Model):
    """Money or goods a partner gave, entered by staff with evidence."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        GOODS = "goods", _("Goods")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="receipts")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="receipts"
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("value (¥)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("what was received"), max_length=200)
    evidence = models.FileField(
        _("evidence"), storage=AttachmentStorage(), upload_to="partners/receipts/"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["partner", "-received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive")
        ]

    def __str__(self):
        return f"{self.partner} ¥{self.amount}"


class Brand(models.Model):
    """The district's brand (党建聚力·红暖未来) or a street's: the sub-brands, centers,
    activities and service items under it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["region__path", "name", "id"]

    def __str__(self):
        return loc(self)


class SubBrand(models.Model):
    """A service sub-brand a partner gives at a center (a university's 学长帮帮团)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Given")
        ENDED = "ended", _("Ended")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="sub_brands"
    )
    center = models.ForeignKey(
        ServiceCenter, verbose_name=_("center"), on_delete=models.PROTECT, related_name="sub_brands"
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name=_("brand"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sub_brands",
    )
    description = models.CharField(_("short description"), max_length=300, blank=True)
    logo = models.ImageField(_("logo"), upload_to="sub_brands/", blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sub-brand")
        verbose_name_plural = _("sub-brands")
        ordering = ["name", "id"]

    def __str__(self):
        return loc(self)


# --- service packages (服务包) ------------------------------------------------------------
# A named bundle of service items, activities (by kind) and spaces aimed at target groups.
# Partners sits below activities, intake and bookings, so a package's contents are entries
# naming the thing by its code (an item's code, an activity kind, a space's id); each of
# those apps registers how to check, describe and count them (package_sources.py).


class ServicePackage(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Offered")
        ARCHIVED = "archived", _("Archived")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    # The region whose staff run the package (a street, or the district).
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # The target groups: people holding any of these group tags (PersonTag.Tag values),
    # within the age band and living in the home region when those are given.
    target_groups = models.JSONField(_("target groups"), default=list)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("for residents of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service package")
        verbose_name_plural = _("service packages")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=F("min_age")),
                name="service_package_age_band_order",
            )
        ]

    def __str__(self):
        return loc(self)

    def group_labels(self) -> list[str]:
        from dangqun.people.models import PersonTag

        names = dict(PersonTag.Tag.choices)
        return [str(names.get(tag, tag)) for tag in self.target_groups]


class PackageEntry(models.Model):
    """One thing in a package: a service item (its code), the activities of a kind, or a
    space (its id)."""

    class Kind(models.TextChoices):
        ITEM = "item", _("Service item")
        ACTIVITY_KIND = "activity_kind", _("Activities of a kind")
        SPACE = "space", _("Space")

    package = models.ForeignKey(ServicePackage, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("package entry")
        verbose_name_plural = _("package entries")
        ordering = ["package", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "kind", "reference"], name="package_entry_once"
            )
        ]

    def __str__(self):
        return f"{self.package} · {self.kind}:{self.reference}"


# =========================================================================================
# Mobile party members (流动党员), issue 16 point 5: the members of other places' party
# branches who work in the district, the temporary organisations (流动党员党支部 / 党小组)
# they join here, their report-ins (报到), the notices staff send them, the custom service
# projects they serve in and what they took part in. Services: mobile.py; reads:
# mobile_read.py. Scoped (people/access.py) by the region of the organisation or work place.
# =========================================================================================


class TemporaryOrganisation(models.Model):
    """A temporary party organisation of the district for mobile members."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("Mobile party members' branch")
        GROUP = "group", _("Party group")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("temporary party organisation")
        verbose_name_plural = _("temporary party organisations")
        ordering = ["region__path", "name", "id"]

    def __str__(self):
        return self.name


class MobileMember(models.Model):
    """One person who reported in as a mobile party member: what they said at the last
    report-in, and their status here. One row per person."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In the district")
        RETURNED = "returned", _("Returned home")
        TRANSFERRED = "transferred", _("Transferred away")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mobile_member"
    )
    home_branch = models.CharField(_("home party branch"), max_length=120)
    home_contact_name = models.CharField(_("home branch contact"), max_length=50, blank=True)
    home_contact_phone = models.CharField(_("home branch contact phone"), max_length=20, blank=True)
    employer = models.CharField(_("current employer"), max_length=120, blank=True)
    work_place = models.CharField(_("work place in the district"), max_length=200, blank=True)
    # The street (or the district) the member works in: whose staff keep the record.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("nearest center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        TemporaryOrganisation,
        verbose_name=_("temporary organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    arrived_on = models.DateField(_("arrived on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    status_on = models.DateField(_("status since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mobile party member")
        verbose_name_plural = _("mobile party members")
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(home_branch=""), name="mobilemember_has_home_branch"
            ),
        ]

    def __str__(self):
        return str(self.person)


class ReportIn(models.Model):
    """A report-in (报到): when, how, and the information given then."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        COUNTER = "counter", _("At the counter")

    member = models.ForeignKey(MobileMember, on_delete=models.CASCADE, related_name="report_ins")
    reported_at = models.DateTimeField(_("reported at"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    details = models.JSONField(_("information given"), default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("report-in")
        verbose_name_plural = _("report-ins")
        ordering = ["-reported_at", "-id"]

    def __str__(self):
        return f"{self.member} {self.reported_at:%Y-%m-%d}"


class Notice(models.Model):
    """A notice staff send to the members of a temporary organisation or a region."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    organisation = models.ForeignKey(
        TemporaryOrganisation,
        verbose_name=_("temporary organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    # The region sent to (an organisation's region when sent to an organisation).
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("notice to mobile members")
        verbose_name_plural = _("notices to mobile members")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return self.title


class NoticeDelivery(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    member = models.ForeignKey(
        MobileMember, on_delete=models.CASCADE, related_name="notice_deliveries"
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice delivery")
        verbose_name_plural = _("notice deliveries")
        ordering = ["-notice__sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "member"], name="noticedelivery_once")
        ]

    def __str__(self):
        return f"{self.notice} → {self.member}"


class ServiceProject(models.Model):
    """A custom service project (定制服务项目) mobile members serve in."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        MobileMember, verbose_name=_("members"), related_name="projects", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-created_at", "id"]

    def __str__(self):
        return self.name


class Participation(models.Model):
    """What a member did: in a service project, or at an activity (by its title), as staff
    recorded it."""

    member = models.ForeignKey(
        MobileMember, on_delete=models.CASCADE, related_name="participations"
    )
    project = models.ForeignKey(
        ServiceProject,
        verbose_name=_("service project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="log",
    )
    activity_title = models.CharField(_("activity"), max_length=120, blank=True)
    on = models.DateField(_("date"))
    note = models.CharField(_("what they did"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False) | ~Q(activity_title=""),
                name="participation_names_what",
            )
        ]

    def __str__(self):
        return f"{self.member} {self.on:%Y-%m-%d}"
