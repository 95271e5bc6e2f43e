"""Writes about people: profiles, group tags, staff roles, and audited looks at full
personal data."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.core import audit, crypto
from dangqun.core.errors import PermissionDenied, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.places.models import Region, ServiceCenter

from . import access, identity
from .models import VERIFIABLE_TAGS, Person, PersonTag, StaffRole


@transaction.atomic
def person_get_or_create(*, mobile: str, consent: bool = False) -> tuple[Person, bool]:
    """The account of a mobile number; a new one needs the privacy notice accepted."""
    mobile = identity.normalize_mobile(mobile)
    person = Person.objects.filter(mobile=mobile).first()
    if person is not None:
        return person, False
    if not consent:
        raise ValidationFailed(
            _("To create an account, please read and accept the privacy notice."),
            field="consent",
            code="consent_required",
        )
    person = Person.objects.create_user(mobile, privacy_consent_at=timezone.now())
    audit.record(person, "person.register", person, {"channel": "sms"})
    return person, True


def _clean_birth_date(value, resident_id: str) -> date | None:
    born = value or None
    if isinstance(born, str):
        try:
            born = date.fromisoformat(born)
        except ValueError:
            raise ValidationFailed(_("Enter a date like 1960-05-01."), field="birth_date") from None
    from_id = identity.birth_date_from_id(resident_id) if resident_id else None
    if born and from_id and born != from_id:
        raise ValidationFailed(
            _("The birth date does not match the resident ID number."), field="birth_date"
        )
    born = born or from_id
    if born and not date(1900, 1, 1) <= born <= timezone.localdate():
        raise ValidationFailed(_("Enter a real birth date."), field="birth_date")
    return born


@transaction.atomic
def person_update_profile(
    *,
    actor,
    person: Person,
    name: str,
    birth_date=None,
    home_region: Region | None = None,
    resident_id: str | None = None,
) -> Person:
    """Update a profile. resident_id None keeps the stored number; "" removes it."""
    name = clean_text(
        name, field="name", max_length=50, required=True, message=_("Please enter your name.")
    )
    number = identity.normalize_resident_id(resident_id) if resident_id else ""
    if resident_id is not None and number:
        taken = Person.objects.filter(resident_id_index=crypto.blind_index(number)).exclude(
            pk=person.pk
        )
        if taken.exists():
            raise ValidationFailed(
                _("This resident ID number belongs to another account."), field="resident_id"
            )
    person.birth_date = _clean_birth_date(birth_date, number)
    person.name = name
    person.home_region = home_region
    if resident_id is not None:
        person.set_resident_id(number)
    person.save()
    audit.record(
        actor, "person.update_profile", person, {"resident_id_changed": resident_id is not None}
    )
    return person


@transaction.atomic
def person_tags_set(*, actor, person: Person, tags: dict[str, dict]) -> list[PersonTag]:
    """Replace a person's group tags with `tags` ({tag: {detail: value}})."""
    unknown = set(tags) - set(PersonTag.Tag.values)
    if unknown:
        raise ValidationFailed(_("Unknown group."), field="tags")
    details = {}
    for tag, extra in tags.items():
        details[tag] = _clean_tag_details(tag, extra or {})
    person.tags.exclude(tag__in=list(tags)).delete()
    held = {t.tag: t for t in person.tags.all()}
    for tag, fields in details.items():
        existing = held.get(tag)
        if existing is None:
            PersonTag.objects.create(person=person, tag=tag, **fields)
        elif any(getattr(existing, name) != value for name, value in fields.items()):
            # Changed details are the person's word again: a verification lapses with them.
            PersonTag.objects.filter(pk=existing.pk).update(
                **fields, verified_at=None, verified_by=None
            )
    audit.record(actor, "person.tags_set", person, {"tags": sorted(tags)})
    return list(person.tags.all())


@transaction.atomic
def person_tag_declare(*, actor, person: Person, tag: str) -> PersonTag:
    """The person says they belong to a group (as a volunteer joining a team does); the
    tag is theirs to declare and, where it can be, staff's to verify. Nothing changes
    when they hold it already."""
    if tag not in PersonTag.Tag.values:
        raise ValidationFailed(_("Unknown group."), field="tag")
    held, created = PersonTag.objects.get_or_create(person=person, tag=tag)
    if created:
        audit.record(actor, "person.tag_declare", person, {"tag": tag})
    return held


def _verifiable_tag(person: Person, tag: str) -> PersonTag:
    if tag not in VERIFIABLE_TAGS:
        raise ValidationFailed(
            _("Only party membership, new-employment work and volunteering can be verified."),
            field="tag",
            code="tag_not_verifiable",
        )
    held = PersonTag.objects.select_for_update().filter(person=person, tag=tag).first()
    if held is None:
        raise ValidationFailed(
            _("This person has not declared this group."), field="tag", code="tag_not_held"
        )
    return held


@transaction.atomic
def person_tag_verify(*, actor, person: Person, tag: str) -> PersonTag:
    """Staff of the person's region confirm a group the person declared (party member,
    mobile party member, new-employment worker): who and when are kept and audited."""
    access.require(actor, access.MANAGERS, obj=person)
    held = _verifiable_tag(person, tag)
    if held.verified_at is not None:
        raise ValidationFailed(_("This group is verified already."), field="tag", code="verified")
    held.verified_at = timezone.now()
    held.verified_by = actor
    held.save(update_fields=["verified_at", "verified_by"])
    audit.record(actor, "person.tag_verify", person, {"tag": tag})
    return held


@transaction.atomic
def person_tag_unverify(*, actor, person: Person, tag: str) -> PersonTag:
    """Take a verification back (it was a mistake, or the person left the group)."""
    access.require(actor, access.MANAGERS, obj=person)
    held = _verifiable_tag(person, tag)
    if held.verified_at is None:
        raise ValidationFailed(_("This group is not verified."), field="tag", code="not_verified")
    held.verified_at = None
    held.verified_by = None
    held.save(update_fields=["verified_at", "verified_by"])
    audit.record(actor, "person.tag_unverify", person, {"tag": tag})
    return held


@transaction.atomic
def person_profile_save(
    *,
    actor,
    person: Person,
    name: str,
    birth_date=None,
    home_region: Region | None = None,
    resident_id: str | None = None,
    tags: dict[str, dict] | None = None,
) -> Person:
    """Profile and group tags together: either all of it is saved or none."""
    person_update_profile(
        actor=actor,
        person=person,
        name=name,
        birth_date=birth_date,
        home_region=home_region,
        resident_id=resident_id,
    )
    if tags is not None:
        person_tags_set(actor=actor, person=person, tags=tags)
    return person


def _clean_tag_details(tag: str, extra: dict) -> dict:
    fields = {"home_branch": "", "trade": "", "platform": ""}
    if tag in (PersonTag.Tag.PARTY_MEMBER, PersonTag.Tag.MOBILE_PARTY_MEMBER):
        fields["home_branch"] = clean_text(
            extra.get("home_branch"), field="home_branch", max_length=120
        )
    if tag == PersonTag.Tag.NEW_EMPLOYMENT:
        trade = extra.get("trade") or ""
        if trade not in PersonTag.Trade.values:
            raise ValidationFailed(_("Choose your trade."), field="trade")
        fields["trade"] = trade
        fields["platform"] = clean_text(extra.get("platform"), field="platform", max_length=60)
    return fields


def person_view(*, actor, person: Person, channel: str = "") -> None:
    """A member of staff opened the person's record: the look is in the audit log."""
    audit.record(actor, "person.view", person, {"channel": channel} if channel else {})


def _reveal_reason(reason: str) -> str:
    """Why staff look at a full number, as the audit log keeps it; a look needs one."""
    return clean_text(
        reason,
        field="reason",
        max_length=200,
        required=True,
        message=_("Say why you need the full number."),
    )


@transaction.atomic
def person_reveal_resident_id(*, actor, person: Person, reason: str) -> str:
    """The full number, for a task that needs it; every look is in the audit log."""
    reason = _reveal_reason(reason)
    audit.record(actor, "person.reveal_resident_id", person, {"reason": reason})
    return person.resident_id()


@transaction.atomic
def person_reveal_mobile(*, actor, person: Person, reason: str) -> str:
    reason = _reveal_reason(reason)
    audit.record(actor, "person.reveal_mobile", person, {"reason": reason})
    return person.mobile


# Which roles an admin may grant: a district admin any, a street admin the roles below it.
_GRANTABLE = {
    StaffRole.Role.DISTRICT_ADMIN: set(StaffRole.Role.values),
    StaffRole.Role.STREET_ADMIN: {StaffRole.Role.CENTER_STAFF, StaffRole.Role.PARTNER_STAFF},
}


def _may_grant(actor, role: str, region: Region) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    return any(
        role in _GRANTABLE.get(r.role, set()) and region.path.startswith(r.region.path)
        for r in access.roles_of(actor)
    )


@transaction.atomic
def staff_role_grant(
    *,
    actor,
    person: Person,
    role: str,
    region: Region,
    center: ServiceCenter | None = None,
    partner_name: str = "",
) -> StaffRole:
    if role not in StaffRole.Role.values:
        raise ValidationFailed(_("Choose a role from the list."), field="role")
    if not _may_grant(actor, role, region):
        raise PermissionDenied(_("You may not grant this role in this region."), field="role")
    if center is not None and not center.region.path.startswith(region.path):
        raise ValidationFailed(_("The center must lie inside the region."), field="center")
    if role == StaffRole.Role.CENTER_STAFF and center is None:
        raise ValidationFailed(_("Choose the center this person works at."), field="center")
    grant, created = StaffRole.objects.get_or_create(
        person=person,
        role=role,
        region=region,
        defaults={
            "center": center,
            "partner_name": clean_text(partner_name, field="partner_name", max_length=120),
            "granted_by": actor,
        },
    )
    if not created:
        raise ValidationFailed(_("This person has this role here already."), field="role")
    audit.record(actor, "staff_role.grant", person, {"role": role, "region": region.pk})
    return grant


@transaction.atomic
def staff_role_revoke(*, actor, grant: StaffRole) -> None:
    if not _may_grant(actor, grant.role, grant.region):
        raise PermissionDenied(_("You may not revoke this role."))
    audit.record(
        actor, "staff_role.revoke", grant.person, {"role": grant.role, "region": grant.region_id}
    )
    grant.delete()
