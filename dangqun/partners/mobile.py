"""Writes about mobile party members (流动党员): the member's own report-in (报到) and
reading of notices; staff's temporary organisations, status changes, notices, custom
service projects and the log of what members took part in; an audited full look at a
member's name and mobile. Every write is audited.

What a report-in collects, and why (PIPL: the least data for the purpose): the name (if
the account has none), the home branch and one contact there (so that the district's
organisation can confirm the membership and hand it back when the member leaves), the
current employer and the work place in the district (to place the member in a temporary
organisation near their work), the arrival date (the relation begins then). No ID number,
no address of residence."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangqun.core import audit
from dangqun.core.errors import NotFound, PermissionDenied, ValidationFailed
from dangqun.core.text import clean_text
from dangqun.people import access
from dangqun.people import services as people_services
from dangqun.people.models import Person, PersonTag

from .models import (
    MobileMember,
    Notice,
    NoticeDelivery,
    Participation,
    ReportIn,
    ServiceProject,
    TemporaryOrganisation,
)
from .services.common import typed_day

_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


def _day(value, *, field: str, required: bool = True):
    """A date that has happened: the partners' one date rule, and never in the future."""
    value = typed_day(value, field=field, required=required)
    if value is not None and value > timezone.localdate():
        raise ValidationFailed(_("This date cannot be in the future."), field=field)
    return value


def _phone(value, *, field: str) -> str:
    phone = clean_text(value, field=field, max_length=20)
    if phone and not _PHONE.match(phone):
        raise ValidationFailed(_("Enter a phone number of digits only."), field=field)
    return phone


def _check_center(center, region, *, field: str = "center") -> None:
    if center is not None and not center.region.path.startswith(region.path):
        raise ValidationFailed(_("The center must lie inside the region."), field=field)


def _require_staff(actor, obj) -> None:
    access.require(actor, access.MANAGERS, obj=obj)


# --- the member's own -----------------------------------------------------------------------


@transaction.atomic
def mobile_report_in(
    *,
    actor,
    person,
    home_branch: str,
    arrived_on,
    region=None,
    organisation: TemporaryOrganisation | None = None,
    center=None,
    home_contact_name: str = "",
    home_contact_phone: str = "",
    employer: str = "",
    work_place: str = "",
    channel: str = ReportIn.Channel.ONLINE,
    name: str | None = None,
) -> ReportIn:
    """A mobile party member reports in (报到), online themselves or at a counter with
    staff: the register keeps what they said last, each report-in what they said then. A
    member who had returned or transferred away is in the district again. Reporting in
    declares the "mobile party member" group on the person (people's own service), which
    staff verify as they verify other groups; the register needs the member's name (asked
    when the account has none), and a person without a home region gets the street they
    work in, so that its staff can verify the group on the person's page."""
    if channel not in ReportIn.Channel.values:
        raise ValidationFailed(_("Choose from the list."), field="channel")
    if channel == ReportIn.Channel.ONLINE and getattr(actor, "pk", None) != person.pk:
        raise PermissionDenied(_("Only the member reports in online."))
    fields = {
        "home_branch": clean_text(
            home_branch,
            field="home_branch",
            max_length=120,
            required=True,
            message=_("A mobile member without a home branch cannot report in: name it."),
        ),
        "home_contact_name": clean_text(
            home_contact_name, field="home_contact_name", max_length=50
        ),
        "home_contact_phone": _phone(home_contact_phone, field="home_contact_phone"),
        "employer": clean_text(employer, field="employer", max_length=120),
        "work_place": clean_text(work_place, field="work_place", max_length=200),
    }
    arrived = _day(arrived_on, field="arrived_on")
    if organisation is not None:
        if region is not None and not organisation.region.path.startswith(region.path):
            raise ValidationFailed(
                _("The organisation is not in the region chosen."), field="organisation"
            )
        region = region if region is not None else organisation.region
    if region is None:
        raise ValidationFailed(
            _("Choose the street you work in, or a temporary organisation."), field="region"
        )
    _check_center(center, region)
    if channel == ReportIn.Channel.COUNTER:
        access.require(actor, access.MANAGERS, obj=region)
    name = person.name if name is None else name
    if name != person.name or person.home_region_id is None:
        people_services.person_update_profile(
            actor=actor,
            person=person,
            name=name,
            birth_date=person.birth_date,
            home_region=person.home_region or region,
        )
    # One report-in of a person at a time: the person's row is the lock (a member's row may
    # not exist yet).
    Person.objects.select_for_update().filter(pk=person.pk).first()
    member = MobileMember.objects.select_for_update().filter(person=person).first()
    created = member is None
    if created:
        member = MobileMember(person=person)
    for name, value in fields.items():
        setattr(member, name, value)
    member.region = region
    member.center = center
    member.organisation = organisation
    member.arrived_on = arrived
    if member.status != MobileMember.Status.ACTIVE:
        member.status = MobileMember.Status.ACTIVE
    member.status_on = None
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:  # reported in from another device at this very moment
        raise ValidationFailed(_("Please try again."), field="home_branch") from None
    details = {
        **fields,
        "arrived_on": arrived.isoformat(),
        "region": region.pk,
        "center": getattr(center, "pk", None),
        "organisation": getattr(organisation, "pk", None),
    }
    report = ReportIn.objects.create(
        member=member,
        reported_at=timezone.now(),
        channel=channel,
        details=details,
        recorded_by=actor if channel == ReportIn.Channel.COUNTER else None,
    )
    people_services.person_tag_declare(
        actor=actor, person=person, tag=PersonTag.Tag.MOBILE_PARTY_MEMBER
    )
    audit.record(
        actor,
        "mobile_member.report_in",
        member,
        {"channel": channel, "first": created, "region": region.pk},
    )
    return report


@transaction.atomic
def mobile_notice_read(*, person, delivery_id) -> NoticeDelivery:
    """The member read a notice sent to them (nothing changes the second time)."""
    delivery = (
        NoticeDelivery.objects.select_for_update()
        .filter(pk=delivery_id, member__person=person)
        .first()
    )
    if delivery is None:
        raise NotFound()
    if delivery.read_at is None:
        delivery.read_at = timezone.now()
        delivery.save(update_fields=["read_at"])
        audit.record(person, "mobile_notice.read", delivery.notice, {"delivery": delivery.pk})
    return delivery


# --- staff ----------------------------------------------------------------------------------


@transaction.atomic
def mobile_status_change(*, actor, member: MobileMember, status: str, on=None) -> MobileMember:
    """Staff record that a member returned home or transferred away (with the date), or is
    in the district again."""
    _require_staff(actor, member)
    if status not in MobileMember.Status.values:
        raise ValidationFailed(_("Choose from the list."), field="status")
    if status == member.status:
        raise ValidationFailed(_("The member has this status already."), field="status")
    day = _day(on, field="on", required=status != MobileMember.Status.ACTIVE)
    if day is not None and day < member.arrived_on:
        raise ValidationFailed(_("This date is before the member arrived."), field="on")
    before = member.status
    member.status = status
    member.status_on = day
    member.save(update_fields=["status", "status_on", "updated_at"])
    audit.record(
        actor,
        "mobile_member.status",
        member,
        {"from": before, "to": status, "on": day.isoformat() if day else None},
    )
    return member


@transaction.atomic
def mobile_member_reveal(*, actor, member: MobileMember, reason: str) -> dict:
    """The full name and mobile of a member, for a task that needs them; every look is in
    the audit log with its reason."""
    _require_staff(actor, member)
    reason = clean_text(
        reason,
        field="reason",
        max_length=200,
        required=True,
        message=_("Say why you need the full name and number."),
    )
    audit.record(actor, "mobile_member.reveal", member, {"reason": reason})
    return {"name": member.person.name, "mobile": member.person.mobile}


@transaction.atomic
def organisation_create(
    *, actor, name: str, kind: str, region, center=None
) -> TemporaryOrganisation:
    """A temporary party organisation (流动党员党支部 or 党小组) of a region."""
    if region is None:
        raise ValidationFailed(_("Choose the region."), field="region")
    _require_staff(actor, region)
    if kind not in TemporaryOrganisation.Kind.values:
        raise ValidationFailed(_("Choose from the list."), field="kind")
    _check_center(center, region)
    organisation = TemporaryOrganisation.objects.create(
        name=clean_text(name, field="name", max_length=120, required=True),
        kind=kind,
        region=region,
        center=center,
        created_by=actor,
    )
    audit.record(actor, "mobile_organisation.create", organisation, {"name": organisation.name})
    return organisation


@transaction.atomic
def notice_send(
    *, actor, title: str, body: str, organisation: TemporaryOrganisation | None = None, region=None
) -> Notice:
    """A notice to the members in the district of a temporary organisation, or of a region
    (those whose work place lies in it); each sees it on their page."""
    if (organisation is None) == (region is None):
        raise ValidationFailed(
            _("Send to a temporary organisation or to a region, one of them."),
            field="organisation",
        )
    target = organisation or region
    _require_staff(actor, target)
    title = clean_text(title, field="title", max_length=120, required=True)
    body = clean_text(body, field="body", max_length=4000, required=True, multiline=True)
    members = MobileMember.objects.filter(status=MobileMember.Status.ACTIVE)
    if organisation is not None:
        members = members.filter(organisation=organisation)
    else:
        members = members.filter(region__path__startswith=region.path)
    member_ids = list(members.values_list("pk", flat=True))
    if not member_ids:
        raise ValidationFailed(
            _("No mobile member in the district is there to receive it."),
            field="organisation" if organisation is not None else "region",
        )
    notice = Notice.objects.create(
        title=title,
        body=body,
        organisation=organisation,
        region=organisation.region if organisation is not None else region,
        sent_by=actor,
        sent_at=timezone.now(),
    )
    NoticeDelivery.objects.bulk_create(
        NoticeDelivery(notice=notice, member_id=m) for m in member_ids
    )
    audit.record(actor, "mobile_notice.send", notice, {"recipients": len(member_ids)})
    return notice


@transaction.atomic
def project_create(
    *, actor, name: str, region, center=None, description: str = ""
) -> ServiceProject:
    """A custom service project (定制服务项目) of a region or a center."""
    if region is None and center is not None:
        region = center.region
    if region is None:
        raise ValidationFailed(_("Choose the region."), field="region")
    _require_staff(actor, region)
    _check_center(center, region)
    project = ServiceProject.objects.create(
        name=clean_text(name, field="name", max_length=120, required=True),
        region=region,
        center=center,
        description=clean_text(description, field="description", max_length=2000, multiline=True),
        created_by=actor,
    )
    audit.record(actor, "mobile_project.create", project, {"name": project.name})
    return project


@transaction.atomic
def project_member_add(*, actor, project: ServiceProject, member: MobileMember) -> ServiceProject:
    """A member serves in the project: one who works within its region and is here."""
    _require_staff(actor, project)
    _require_staff(actor, member)
    if not member.region.path.startswith(project.region.path):
        raise ValidationFailed(_("This member works outside the project's region."), field="member")
    if member.status != MobileMember.Status.ACTIVE:
        raise ValidationFailed(_("This member is no longer in the district."), field="member")
    if project.members.filter(pk=member.pk).exists():
        raise ValidationFailed(_("This member is in the project already."), field="member")
    try:
        with transaction.atomic():
            project.members.add(member)
    except IntegrityError:  # added by someone else at this very moment
        raise ValidationFailed(
            _("This member is in the project already."), field="member"
        ) from None
    audit.record(actor, "mobile_project.member_add", project, {"member": member.pk})
    return project


@transaction.atomic
def participation_record(
    *,
    actor,
    member: MobileMember,
    on,
    project: ServiceProject | None = None,
    activity_title: str = "",
    note: str = "",
) -> Participation:
    """What a member did: in a service project they serve in, or at an activity (named by
    its title), on a day that has happened."""
    _require_staff(actor, member)
    title = clean_text(activity_title, field="activity_title", max_length=120)
    if project is not None:
        _require_staff(actor, project)
        if not project.members.filter(pk=member.pk).exists():
            raise ValidationFailed(_("This member is not in the project."), field="member")
    elif not title:
        raise ValidationFailed(
            _("Name the activity the member took part in."), field="activity_title"
        )
    day = _day(on, field="on")
    entry = Participation.objects.create(
        member=member,
        project=project,
        activity_title=title,
        on=day,
        note=clean_text(note, field="note", max_length=300),
        recorded_by=actor,
    )
    audit.record(
        actor,
        "mobile_member.participation",
        member,
        {"participation": entry.pk, "project": getattr(project, "pk", None)},
    )
    return entry
