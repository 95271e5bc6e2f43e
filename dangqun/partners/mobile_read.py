"""Reads about mobile party members: the member's own record, and the staff's register
(scoped by people/access.py: missing and forbidden both 404) with its figures.

"Took part in an activity" counts the participations staff recorded and the activities a
member attended (checked in at). Activities sits above this app and registers here, from
its apps.ready(), a function `attended(*, person_ids, start, end) -> set[person id]`."""

from collections.abc import Callable, Iterable
from datetime import date

from django.db.models import Count, Q, QuerySet

from dangqun.core.errors import NotFound
from dangqun.people import access
from dangqun.people.identity import mask_name
from dangqun.places.models import Region, ServiceCenter

from . import selectors
from .models import (
    MobileMember,
    Notice,
    NoticeDelivery,
    Participation,
    ReportIn,
    ServiceProject,
    TemporaryOrganisation,
)

Attended = Callable[..., Iterable[int]]
_ATTENDANCE: dict[str, Attended] = {}


def register_attendance(name: str, source: Attended) -> None:
    """`source(*, person_ids, start, end)` -> the ids of those persons who attended an
    activity between the local dates start and end (inclusive)."""
    _ATTENDANCE[name] = source


def attended(person_ids: Iterable[int], start: date, end: date) -> set[int]:
    ids = list(person_ids)
    found: set[int] = set()
    if not ids:
        return found
    for source in _ATTENDANCE.values():
        found.update(source(person_ids=ids, start=start, end=end))
    return found


def _uuid_lookup(value) -> dict:
    return {"public_id": value}


# --- the member's own -----------------------------------------------------------------------


def my_record(person) -> MobileMember | None:
    if not getattr(person, "is_authenticated", False):
        return None
    return (
        MobileMember.objects.select_related("region", "center", "organisation")
        .filter(person=person)
        .first()
    )


def my_report_ins(member: MobileMember | None) -> QuerySet:
    if member is None:
        return ReportIn.objects.none()
    return member.report_ins.all()


def my_notices(member: MobileMember | None) -> QuerySet:
    if member is None:
        return NoticeDelivery.objects.none()
    return member.notice_deliveries.select_related("notice", "notice__organisation")


def my_unread_count(member: MobileMember | None) -> int:
    return my_notices(member).filter(read_at__isnull=True).count()


def my_participations(member: MobileMember | None) -> QuerySet:
    if member is None:
        return Participation.objects.none()
    return member.participations.select_related("project")


def my_projects(member: MobileMember | None) -> QuerySet:
    if member is None:
        return ServiceProject.objects.none()
    return member.projects.select_related("region", "center")


def organisations_to_choose() -> QuerySet:
    """The district's temporary organisations a member may choose at report-in."""
    return TemporaryOrganisation.objects.select_related("region", "center")


def organisation_by_id(pk) -> TemporaryOrganisation:
    try:
        return TemporaryOrganisation.objects.select_related("region").get(pk=pk)
    except (TemporaryOrganisation.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(field="organisation") from None


def regions_to_choose() -> QuerySet:
    """The streets and towns of the district (and the district) to say where one works."""
    return Region.objects.order_by("path")


def region_by_id(pk) -> Region:
    try:
        return Region.objects.get(pk=pk)
    except (Region.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(field="region") from None


def centers_to_choose() -> QuerySet:
    return ServiceCenter.objects.select_related("region").order_by("region__path", "name")


def center_by_id(pk) -> ServiceCenter:
    try:
        return ServiceCenter.objects.select_related("region").get(pk=pk)
    except (ServiceCenter.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(field="center") from None


# --- staff ----------------------------------------------------------------------------------


def masked(member: MobileMember) -> dict:
    """How staff see a member in lists: the name and mobile masked."""
    return {"name": mask_name(member.person.name), "mobile": member.person.masked_mobile}


def register_for_staff(
    user, *, status: str = "", organisation: TemporaryOrganisation | None = None, region=None
) -> QuerySet:
    access.require(user, access.MANAGERS)
    rows = access.scope(
        user,
        MobileMember.objects.select_related("person", "region", "center", "organisation"),
    )
    if status:
        rows = rows.filter(status=status)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    if region is not None:
        rows = rows.filter(region__path__startswith=region.path)
    return rows.order_by("-created_at", "-id")


def member_for_staff(user, public_id) -> MobileMember:
    access.require(user, access.MANAGERS)
    return access.get_or_404(
        user,
        MobileMember.objects.select_related("person", "region", "center", "organisation"),
        public_id=public_id,
    )


def tag_verified(member: MobileMember) -> bool:
    """Whether staff verified the person's "mobile party member" group."""
    return member.person.tags.filter(tag="mobile_party_member", verified_at__isnull=False).exists()


def organisations_for_staff(user) -> QuerySet:
    access.require(user, access.MANAGERS)
    return access.scope(
        user, TemporaryOrganisation.objects.select_related("region", "center")
    ).annotate(member_count=Count("members", filter=Q(members__status=MobileMember.Status.ACTIVE)))


def organisation_for_staff(user, public_id) -> TemporaryOrganisation:
    access.require(user, access.MANAGERS)
    return access.get_or_404(
        user, TemporaryOrganisation.objects.select_related("region"), public_id=public_id
    )


def organisation_for_staff_by_pk(user, pk) -> TemporaryOrganisation:
    access.require(user, access.MANAGERS)
    return access.get_or_404(user, TemporaryOrganisation.objects.select_related("region"), pk=pk)


def notices_for_staff(user) -> QuerySet:
    access.require(user, access.MANAGERS)
    return access.scope(
        user, Notice.objects.select_related("organisation", "region", "sent_by")
    ).annotate(
        recipients=Count("deliveries"),
        read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
    )


def projects_for_staff(user) -> QuerySet:
    access.require(user, access.MANAGERS)
    return access.scope(user, ServiceProject.objects.select_related("region", "center")).annotate(
        member_count=Count("members", distinct=True)
    )


def project_for_staff(user, public_id) -> ServiceProject:
    access.require(user, access.MANAGERS)
    return access.get_or_404(
        user, ServiceProject.objects.select_related("region", "center"), public_id=public_id
    )


def project_log(project: ServiceProject) -> QuerySet:
    return project.log.select_related("member__person", "recorded_by")


def participations_of(member: MobileMember) -> QuerySet:
    return member.participations.select_related("project")


def regions_for_staff(user) -> QuerySet:
    return access.visible_regions(user).order_by("path")


def staff_region_by_id(user, pk) -> Region:
    return selectors.region_for_staff(user, pk)


def staff_center_by_id(user, pk) -> ServiceCenter:
    return access.get_or_404(
        user, ServiceCenter.objects.select_related("region"), roles=access.MANAGERS, pk=pk
    )


def figures(user, *, year: int, region=None) -> dict:
    """For the members in the staff's scope (or within `region`): how many are registered
    (in the district now, and all), how many reported in during `year`, and how many took
    part in at least one activity or project that year (recorded by staff, or checked in
    at an activity)."""
    members = register_for_staff(user, region=region)
    start, end = date(year, 1, 1), date(year, 12, 31)
    reported = (
        ReportIn.objects.filter(member__in=members, reported_at__year=year)
        .values("member")
        .distinct()
        .count()
    )
    took_part = set(
        Participation.objects.filter(member__in=members, on__range=(start, end)).values_list(
            "member_id", flat=True
        )
    )
    by_person = dict(members.values_list("person_id", "pk"))
    took_part.update(by_person[p] for p in attended(by_person, start, end) if p in by_person)
    return {
        "year": year,
        "registered": members.count(),
        "in_district": members.filter(status=MobileMember.Status.ACTIVE).count(),
        "reported_in": reported,
        "took_part": len(took_part),
    }
