"""API of mobile party members. /api/v1/mobile-members/ is the member's own: report in, my
record and report-ins, the organisations to choose from, my notices (mark read), what I
took part in. /api/v1/staff/mobile-members/ is the staff's, scoped like the pages (outside
one's regions is the same 404 as missing): the register (masked), a member, status
changes, what a member took part in, organisations, notices, projects and their log, and
the figures of a year. Endpoints parse, authorise, call the services in mobile.py and the
reads in mobile_read.py, and render."""

from typing import Annotated
from uuid import UUID

from django.utils import timezone
from ninja import Field, Router, Status

from dangqun.accounts.auth import AUTH
from dangqun.core.errors import NotFound
from dangqun.core.schemas import Id, Limit, Offset
from dangqun.people import selectors as people
from dangqun.people.decorators import staff_endpoint

from . import mobile, mobile_read
from .mobile_schemas import (
    MobileCounterReportInIn,
    MobileFiguresOut,
    MobileMemberRowOut,
    MobileMyRecordOut,
    MobileNoticeIn,
    MobileNoticeOut,
    MobileNoticeSentOut,
    MobileOrganisationIn,
    MobileOrganisationOut,
    MobileParticipationOut,
    MobileProjectIn,
    MobileProjectLogIn,
    MobileProjectMemberIn,
    MobileProjectOut,
    MobileReportInIn,
    MobileReportInOut,
    MobileRevealIn,
    MobileRevealOut,
    MobileStatusIn,
    MobileTookPartIn,
)
from .mobile_schemas import Status as MemberStatus

router = Router(tags=["mobile party members"], auth=AUTH)
staff_router = Router(tags=["mobile party members (staff)"], auth=AUTH)

Year = Annotated[int, Field(ge=1900, le=2100)]


def _mine(request):
    member = mobile_read.my_record(request.user)
    if member is None:
        raise NotFound()
    return member


# --- the member's own -----------------------------------------------------------------------


@router.post(
    "/report-in",
    response={201: MobileMyRecordOut},
    summary="Report in (报到): the home branch, a contact there, employer, work place, "
    "arrival date (not in the future), a region or a temporary organisation",
)
def report_in(request, payload: MobileReportInIn):
    region = mobile_read.region_by_id(payload.region) if payload.region else None
    organisation = (
        mobile_read.organisation_by_id(payload.organisation) if payload.organisation else None
    )
    center = mobile_read.center_by_id(payload.center) if payload.center else None
    data = payload.dict(exclude={"region", "organisation", "center"})
    done = mobile.mobile_report_in(
        actor=request.user,
        person=request.user,
        region=region,
        organisation=organisation,
        center=center,
        **data,
    )
    return Status(201, mobile_read.my_record(done.member.person))


@router.get("/me", response=MobileMyRecordOut, summary="My record (404 before the first report-in)")
def my_record(request):
    return _mine(request)


@router.get(
    "/me/report-ins", response=list[MobileReportInOut], summary="My report-ins, newest first"
)
def my_report_ins(request):
    return list(mobile_read.my_report_ins(_mine(request))[:100])


@router.get(
    "/organisations",
    response=list[MobileOrganisationOut],
    summary="The district's temporary organisations to choose at report-in",
)
def organisations(request):
    return list(mobile_read.organisations_to_choose())


@router.get(
    "/me/notices", response=list[MobileNoticeOut], summary="Notices sent to me, newest first"
)
def my_notices(request, limit: Limit = 50, offset: Offset = 0):
    return list(mobile_read.my_notices(_mine(request))[offset : offset + limit])


@router.post(
    "/me/notices/{delivery_id}/read", response=MobileNoticeOut, summary="Mark a notice read"
)
def notice_read(request, delivery_id: Id):
    return mobile.mobile_notice_read(person=request.user, delivery_id=delivery_id)


@router.get(
    "/me/took-part",
    response=list[MobileParticipationOut],
    summary="The projects and activities staff recorded I took part in",
)
def my_participations(request):
    return list(mobile_read.my_participations(_mine(request))[:200])


# --- staff ----------------------------------------------------------------------------------


@staff_router.get("/members", response=list[MobileMemberRowOut], summary="The register (masked)")
@staff_endpoint()
def register(
    request,
    status: MemberStatus | None = None,
    organisation: UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    chosen = (
        mobile_read.organisation_for_staff(request.user, organisation) if organisation else None
    )
    rows = mobile_read.register_for_staff(request.user, status=status or "", organisation=chosen)
    return list(rows[offset : offset + limit])


@staff_router.get("/members/{public_id}", response=MobileMemberRowOut, summary="A member (masked)")
@staff_endpoint()
def member(request, public_id: UUID):
    return mobile_read.member_for_staff(request.user, public_id)


@staff_router.post(
    "/members/{public_id}/status",
    response=MobileMemberRowOut,
    summary="Returned home or transferred away (with the date), or in the district again",
)
@staff_endpoint()
def member_status(request, public_id: UUID, payload: MobileStatusIn):
    found = mobile_read.member_for_staff(request.user, public_id)
    return mobile.mobile_status_change(
        actor=request.user, member=found, status=payload.status, on=payload.on
    )


@staff_router.post(
    "/members/{public_id}/reveal",
    response=MobileRevealOut,
    summary="The full name and mobile, for a task that needs them (the reason is audited)",
)
@staff_endpoint()
def member_reveal(request, public_id: UUID, payload: MobileRevealIn):
    found = mobile_read.member_for_staff(request.user, public_id)
    return mobile.mobile_member_reveal(actor=request.user, member=found, reason=payload.reason)


@staff_router.post(
    "/counter",
    response={201: MobileMemberRowOut},
    summary="Report a signed-up member in at the counter",
)
@staff_endpoint()
def counter_report_in(request, payload: MobileCounterReportInIn):
    user = request.user
    person = people.signed_up_person(payload.mobile, field="mobile")
    region = mobile_read.staff_region_by_id(user, payload.region) if payload.region else None
    organisation = (
        mobile_read.organisation_for_staff_by_pk(user, payload.organisation)
        if payload.organisation
        else None
    )
    center = mobile_read.staff_center_by_id(user, payload.center) if payload.center else None
    data = payload.dict(exclude={"region", "organisation", "center", "mobile"})
    done = mobile.mobile_report_in(
        actor=user,
        person=person,
        region=region,
        organisation=organisation,
        center=center,
        channel="counter",
        **data,
    )
    return Status(201, mobile_read.member_for_staff(user, done.member.public_id))


@staff_router.post(
    "/members/{public_id}/took-part",
    response={201: MobileParticipationOut},
    summary="Record that the member took part in an activity",
)
@staff_endpoint()
def member_took_part(request, public_id: UUID, payload: MobileTookPartIn):
    found = mobile_read.member_for_staff(request.user, public_id)
    entry = mobile.participation_record(actor=request.user, member=found, **payload.dict())
    return Status(201, entry)


@staff_router.get("/organisations", response=list[MobileOrganisationOut], summary="Organisations")
@staff_endpoint()
def staff_organisations(request):
    return list(mobile_read.organisations_for_staff(request.user))


@staff_router.post(
    "/organisations",
    response={201: MobileOrganisationOut},
    summary="Set up a temporary organisation",
)
@staff_endpoint()
def organisation_create(request, payload: MobileOrganisationIn):
    user = request.user
    region = mobile_read.staff_region_by_id(user, payload.region)
    center = mobile_read.staff_center_by_id(user, payload.center) if payload.center else None
    made = mobile.organisation_create(
        actor=user, name=payload.name, kind=payload.kind, region=region, center=center
    )
    return Status(201, made)


def _sent(user, notice):
    return mobile_read.notices_for_staff(user).get(pk=notice.pk)


@staff_router.get("/notices", response=list[MobileNoticeSentOut], summary="Notices sent")
@staff_endpoint()
def notices(request, limit: Limit = 50, offset: Offset = 0):
    return list(mobile_read.notices_for_staff(request.user)[offset : offset + limit])


@staff_router.post(
    "/notices",
    response={201: MobileNoticeSentOut},
    summary="Send a notice to an organisation's members or a region's",
)
@staff_endpoint()
def notice_send(request, payload: MobileNoticeIn):
    user = request.user
    organisation = (
        mobile_read.organisation_for_staff(user, payload.organisation)
        if payload.organisation
        else None
    )
    region = mobile_read.staff_region_by_id(user, payload.region) if payload.region else None
    sent = mobile.notice_send(
        actor=user,
        title=payload.title,
        body=payload.body,
        organisation=organisation,
        region=region,
    )
    return Status(201, _sent(user, sent))


@staff_router.get("/projects", response=list[MobileProjectOut], summary="Custom service projects")
@staff_endpoint()
def projects(request):
    return list(mobile_read.projects_for_staff(request.user)[:200])


@staff_router.post(
    "/projects", response={201: MobileProjectOut}, summary="Set up a service project"
)
@staff_endpoint()
def project_create(request, payload: MobileProjectIn):
    user = request.user
    region = mobile_read.staff_region_by_id(user, payload.region)
    center = mobile_read.staff_center_by_id(user, payload.center) if payload.center else None
    made = mobile.project_create(
        actor=user,
        name=payload.name,
        region=region,
        center=center,
        description=payload.description,
    )
    return Status(201, made)


@staff_router.get("/projects/{public_id}", response=MobileProjectOut, summary="A service project")
@staff_endpoint()
def project(request, public_id: UUID):
    return mobile_read.project_for_staff(request.user, public_id)


@staff_router.get(
    "/projects/{public_id}/log", response=list[MobileParticipationOut], summary="A project's log"
)
@staff_endpoint()
def project_log(request, public_id: UUID):
    return list(mobile_read.project_log(mobile_read.project_for_staff(request.user, public_id)))


@staff_router.post(
    "/projects/{public_id}/members", response=MobileProjectOut, summary="Add a member to a project"
)
@staff_endpoint()
def project_member_add(request, public_id: UUID, payload: MobileProjectMemberIn):
    user = request.user
    found = mobile_read.project_for_staff(user, public_id)
    added = mobile_read.member_for_staff(user, payload.member)
    return mobile.project_member_add(actor=user, project=found, member=added)


@staff_router.post(
    "/projects/{public_id}/log",
    response={201: MobileParticipationOut},
    summary="Log what a project's member did",
)
@staff_endpoint()
def project_log_add(request, public_id: UUID, payload: MobileProjectLogIn):
    user = request.user
    found = mobile_read.project_for_staff(user, public_id)
    who = mobile_read.member_for_staff(user, payload.member)
    entry = mobile.participation_record(
        actor=user, member=who, project=found, on=payload.on, note=payload.note
    )
    return Status(201, entry)


@staff_router.get(
    "/figures",
    response=MobileFiguresOut,
    summary="Registered, reported in during the year, took part in at least one activity",
)
@staff_endpoint()
def figures(request, year: Year | None = None):
    return mobile_read.figures(request.user, year=year or timezone.localdate().year)
