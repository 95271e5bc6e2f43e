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
