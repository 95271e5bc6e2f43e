import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangqun.core import crypto
from dangqun.places.models import Region, ServiceCenter

from . import identity


class PersonManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, mobile, password=None, **extra):
        person = self.model(mobile=identity.normalize_mobile(mobile), **extra)
        if password:
            person.set_password(password)
        else:
            person.set_unusable_password()
        person.save(using=self._db)
        return person

    def create_superuser(self, mobile, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(mobile, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """Anyone the centers serve, and the staff who serve them: one account per mobile."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mobile = models.CharField(_("mobile number"), max_length=11, unique=True)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50, blank=True)
    # Resident ID numbers are stored encrypted; the index finds duplicates without decrypting.
    resident_id_encrypted = models.TextField(blank=True, editable=False)
    resident_id_index = models.CharField(max_length=64, blank=True, editable=False)
    resident_id_masked = models.CharField(
        _("resident ID number"), max_length=18, blank=True, editable=False
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "mobile"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident_id_index"],
                condition=~Q(resident_id_index=""),
                name="person_unique_resident_id",
            )
        ]

    def __str__(self):
        return self.name or self.masked_mobile

    @property
    def masked_mobile(self) -> str:
        return identity.mask_mobile(self.mobile)

    def resident_id(self) -> str:
        """The full number. Callers show it only where a task needs it, and audit it."""
        return crypto.decrypt(self.resident_id_encrypted) if self.resident_id_encrypted else ""

    def set_resident_id(self, number: str) -> None:
        if not number:
            self.resident_id_encrypted = self.resident_id_index = self.resident_id_masked = ""
            return
        self.resident_id_encrypted = crypto.encrypt(number)
        self.resident_id_index = crypto.blind_index(number)
        self.resident_id_masked = identity.mask_resident_id(number)

    def age_on(self, day) -> int | None:
        if not self.birth_date:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class PersonTag(models.Model):
    """A group a person belongs to; some tags carry details (home branch, trade, platform)."""

    class Tag(models.TextChoices):
        PARTY_MEMBER = "party_member", _("Party member")
        MOBILE_PARTY_MEMBER = "mobile_party_member", _("Mobile party member")
        NEW_EMPLOYMENT = "new_employment", _("New-employment worker")
        ELDER = "elder", _("Elder")
        GUARDIAN = "guardian", _("Guardian of children")
        VOLUNTEER = "volunteer", _("Volunteer")

    class Trade(models.TextChoices):
        DELIVERY = "delivery", _("Food delivery rider")
        COURIER = "courier", _("Courier")
        RIDE_HAILING = "ride_hailing", _("Ride-hailing driver")
        FREIGHT = "freight", _("Freight driver")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(_("group"), max_length=32, choices=Tag.choices)
    home_branch = models.CharField(_("home party branch"), max_length=120, blank=True)
    trade = models.CharField(_("trade"), max_length=16, choices=Trade.choices, blank=True)
    platform = models.CharField(_("platform"), max_length=60, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    # A tag the person declared themselves until staff of their region check it (for the
    # groups in VERIFIABLE, which activities may require verified).
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        Person,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("group tag")
        verbose_name_plural = _("group tags")
        ordering = ["person", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["person", "tag"], name="persontag_unique_tag")
        ]

    def __str__(self):
        return self.get_tag_display()

    @property
    def is_verifiable(self) -> bool:
        return self.tag in VERIFIABLE_TAGS

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


# The groups that gate eligibility and that staff can check against a record (the party
# branch's roll, the platform's registration); the others are the person's own word.
VERIFIABLE_TAGS = frozenset(
    {
        PersonTag.Tag.PARTY_MEMBER,
        PersonTag.Tag.MOBILE_PARTY_MEMBER,
        PersonTag.Tag.NEW_EMPLOYMENT,
        PersonTag.Tag.VOLUNTEER,  # a team may take only volunteers whom staff know
    }
)


class StaffRole(models.Model):
    """A staff role granted for a region; what a person may see follows from these."""

    class Role(models.TextChoices):
        DISTRICT_ADMIN = "district_admin", _("District admin")
        STREET_ADMIN = "street_admin", _("Street admin")
        CENTER_STAFF = "center_staff", _("Center staff")
        PARTNER_STAFF = "partner_staff", _("Partner staff")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="staff_roles"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("center"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="staff_roles",
    )
    partner_name = models.CharField(_("partner"), max_length=120, blank=True)
    granted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["region__path", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role", "region"], name="staffrole_unique_grant"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} · {self.region}"
