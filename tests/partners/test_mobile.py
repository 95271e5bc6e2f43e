"""Mobile party members' services and reads: the report-in's rules and refusals, the
group tag it declares, status changes, notices, service projects and their log, scoping,
masking, audit, and the figures against a direct count."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from dangqun.core.errors import NotFound, PermissionDenied, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.partners import mobile, mobile_read
from dangqun.partners.models import (
    MobileMember,
    NoticeDelivery,
    Participation,
    ReportIn,
)
from dangqun.people.models import PersonTag
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = date.today


@pytest.fixture
def world(district):
    street_admin = factories.staff("street_admin", district.xianlin)
    other_admin = factories.staff("street_admin", district.cangqian)
    district_admin = factories.staff("district_admin", district.district)
    org = mobile.organisation_create(
        actor=street_admin, name="闲林街道流动党员党支部", kind="branch", region=district.xianlin
    )
    return district, street_admin, other_admin, district_admin, org


def report(person, org=None, region=None, **overrides):
    fields = {
        "home_branch": "安徽省阜阳市某村党支部",
        "home_contact_name": "李书记",
        "home_contact_phone": "0558-1234567",
        "employer": "某快递公司",
        "work_place": "闲林街道某路",
        "arrived_on": timezone.localdate() - timedelta(days=30),
    }
    fields.update(overrides)
    return mobile.mobile_report_in(
        actor=person, person=person, organisation=org, region=region, **fields
    )


def test_report_in_registers_the_member_and_declares_the_tag(world):
    district, admin, *_rest, org = world
    person = factories.PersonFactory()
    done = report(person, org)
    member = done.member
    assert member.region == district.xianlin
    assert member.organisation == org
    assert member.status == "active"
    assert done.channel == "online"
    assert done.details["home_branch"] == "安徽省阜阳市某村党支部"
    held = PersonTag.objects.get(person=person, tag="mobile_party_member")
    assert held.verified_at is None
    assert AuditEntry.objects.filter(action="mobile_member.report_in").count() == 1
    # A second report-in updates the one row and keeps both report-ins.
    report(person, org, employer="另一家公司")
    assert MobileMember.objects.filter(person=person).count() == 1
    assert ReportIn.objects.filter(member=member).count() == 2
    member.refresh_from_db()
    assert member.employer == "另一家公司"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"home_branch": ""}, "home_branch"),
        ({"home_branch": "  \u200b "}, "home_branch"),
        ({"home_branch": "x\ud800"}, "home_branch"),
        ({"employer": "a\x00b"}, "employer"),
        ({"home_contact_phone": "call me"}, "home_contact_phone"),
        ({"arrived_on": date(9999, 1, 1)}, "arrived_on"),
        ({"arrived_on": "9999-12-31"}, "arrived_on"),
        ({"arrived_on": "yesterday"}, "arrived_on"),
        ({"arrived_on": None}, "arrived_on"),
        ({"work_place": "x" * 201}, "work_place"),
    ],
)
def test_report_in_refusals_name_the_field(world, override, field):
    *_rest, org = world
    with pytest.raises(ValidationFailed) as caught:
        report(factories.PersonFactory(), org, **override)
    assert caught.value.field == field
    assert not MobileMember.objects.exists()


def test_a_member_without_a_home_branch_is_refused_in_words(world, english):
    *_rest, org = world
    with pytest.raises(ValidationFailed) as caught:
        report(factories.PersonFactory(), org, home_branch="")
    assert "home branch" in str(caught.value.message)


def test_report_in_needs_a_place_and_a_consistent_one(world):
    district, *_rest, org = world
    with pytest.raises(ValidationFailed) as caught:
        report(factories.PersonFactory())
    assert caught.value.field == "region"
    with pytest.raises(ValidationFailed) as caught:
        report(factories.PersonFactory(), org, region=district.cangqian)
    assert caught.value.field == "organisation"
    with pytest.raises(ValidationFailed) as caught:
        mobile.mobile_report_in(
            actor=(p := factories.PersonFactory()),
            person=p,
            home_branch="某支部",
            arrived_on=TODAY(),
            region=district.xianlin,
            center=district.cangqian_center,
        )
    assert caught.value.field == "center"


def test_only_the_member_reports_in_online_and_staff_at_their_counter(world):
    district, admin, other, *_rest, org = world
    person = factories.PersonFactory()
    with pytest.raises(PermissionDenied):
        mobile.mobile_report_in(
            actor=admin, person=person, home_branch="某支部", arrived_on=TODAY(), organisation=org
        )
    with pytest.raises(NotFound):
        mobile.mobile_report_in(
            actor=other,
            person=person,
            home_branch="某支部",
            arrived_on=TODAY(),
            organisation=org,
            channel="counter",
        )
    done = mobile.mobile_report_in(
        actor=admin,
        person=person,
        home_branch="某支部",
        arrived_on=TODAY(),
        organisation=org,
        channel="counter",
    )
    assert done.recorded_by == admin


def test_status_change_with_a_date_scoped_and_audited(world):
    district, admin, other, *_rest, org = world
    member = report(factories.PersonFactory(), org).member
    with pytest.raises(NotFound):
        mobile.mobile_status_change(actor=other, member=member, status="returned", on=TODAY())
    with pytest.raises(ValidationFailed) as caught:
        mobile.mobile_status_change(actor=admin, member=member, status="returned")
    assert caught.value.field == "on"
    with pytest.raises(ValidationFailed) as caught:
        mobile.mobile_status_change(
            actor=admin, member=member, status="returned", on=date(9999, 1, 1)
        )
    assert caught.value.field == "on"
    with pytest.raises(ValidationFailed) as caught:
        mobile.mobile_status_change(
            actor=admin, member=member, status="returned", on=member.arrived_on - timedelta(1)
        )
    assert caught.value.field == "on"
    with pytest.raises(ValidationFailed) as caught:
        mobile.mobile_status_change(actor=admin, member=member, status="gone", on=TODAY())
    assert caught.value.field == "status"
    mobile.mobile_status_change(actor=admin, member=member, status="transferred", on=TODAY())
    member.refresh_from_db()
    assert (member.status, member.status_on) == ("transferred", TODAY())
    assert AuditEntry.objects.filter(action="mobile_member.status").count() == 1
    # Reporting in again brings the member back.
    report(member.person, org)
    member.refresh_from_db()
    assert member.status == "active"


def test_register_is_scoped_and_masked(world):
    district, admin, other, district_admin, org = world
    person = factories.PersonFactory(name="王小明", mobile="13912345678")
    member = report(person, org).member
    assert list(mobile_read.register_for_staff(admin)) == [member]
    assert list(mobile_read.register_for_staff(other)) == []
    assert list(mobile_read.register_for_staff(district_admin)) == [member]
    with pytest.raises(NotFound):
        mobile_read.member_for_staff(other, member.public_id)
    with pytest.raises(NotFound):
        mobile_read.member_for_staff(person, member.public_id)
    assert mobile_read.masked(member) == {"name": "王**", "mobile": "139****5678"}


def test_the_full_look_needs_a_reason_and_is_audited(world):
    district, admin, other, *_rest, org = world
    member = report(factories.PersonFactory(name="王小明"), org).member
    with pytest.raises(ValidationFailed) as caught:
        mobile.mobile_member_reveal(actor=admin, member=member, reason=" ")
    assert caught.value.field == "reason"
    with pytest.raises(NotFound):
        mobile.mobile_member_reveal(actor=other, member=member, reason="联系")
    shown = mobile.mobile_member_reveal(actor=admin, member=member, reason="联系组织关系")
    assert shown["name"] == "王小明"
    entry = AuditEntry.objects.get(action="mobile_member.reveal")
    assert entry.data == {"reason": "联系组织关系"} and entry.actor_id == admin.pk


def test_organisations_are_created_in_ones_own_region(world):
    district, admin, other, *_rest, org = world
    with pytest.raises(NotFound):
        mobile.organisation_create(actor=other, name="x", kind="group", region=district.xianlin)
    with pytest.raises(ValidationFailed) as caught:
        mobile.organisation_create(actor=admin, name="x", kind="cell", region=district.xianlin)
    assert caught.value.field == "kind"
    with pytest.raises(ValidationFailed) as caught:
        mobile.organisation_create(actor=admin, name=" ", kind="group", region=district.xianlin)
    assert caught.value.field == "name"
    assert [o.pk for o in mobile_read.organisations_for_staff(other)] == []


def test_notices_reach_the_members_who_read_them(world):
    district, admin, other, district_admin, org = world
    a = report(factories.PersonFactory(), org).member
    b = report(factories.PersonFactory(), region=district.minfeng).member
    c = report(factories.PersonFactory(), region=district.cangqian).member
    with pytest.raises(ValidationFailed) as caught:
        mobile.notice_send(actor=admin, title="t", body="b")
    assert caught.value.field == "organisation"
    with pytest.raises(NotFound):
        mobile.notice_send(actor=other, title="t", body="b", organisation=org)
    to_org = mobile.notice_send(actor=admin, title="学习通知", body="周五学习", organisation=org)
    assert {d.member for d in to_org.deliveries.all()} == {a}
    to_street = mobile.notice_send(
        actor=admin, title="街道通知", body="正文", region=district.xianlin
    )
    assert {d.member for d in to_street.deliveries.all()} == {a, b}
    assert mobile_read.my_unread_count(a) == 2
    assert mobile_read.my_unread_count(c) == 0
    delivery = mobile_read.my_notices(a).first()
    with pytest.raises(NotFound):
        mobile.mobile_notice_read(person=b.person, delivery_id=delivery.pk)
    mobile.mobile_notice_read(person=a.person, delivery_id=delivery.pk)
    mobile.mobile_notice_read(person=a.person, delivery_id=delivery.pk)
    assert mobile_read.my_unread_count(a) == 1
    assert AuditEntry.objects.filter(action="mobile_notice.read").count() == 1
    sent = {n.title: (n.recipients, n.read) for n in mobile_read.notices_for_staff(admin)}
    assert sent == {"学习通知": (1, 0), "街道通知": (2, 1)}  # the newest read
    assert list(mobile_read.notices_for_staff(other)) == []
    with pytest.raises(ValidationFailed):
        mobile.notice_send(actor=district_admin, title="t", body=" ", region=district.cangqian)


def test_a_project_logs_what_its_members_did(world):
    district, admin, other, *_rest, org = world
    member = report(factories.PersonFactory(), org).member
    elsewhere = report(factories.PersonFactory(), region=district.cangqian).member
    project = mobile.project_create(
        actor=admin, name="流动党员红色代办", region=district.xianlin, description="帮办"
    )
    with pytest.raises(NotFound):
        mobile.project_member_add(actor=other, project=project, member=member)
    with pytest.raises(NotFound):
        mobile.project_member_add(actor=admin, project=project, member=elsewhere)
    with pytest.raises(ValidationFailed) as caught:
        mobile.participation_record(actor=admin, member=member, project=project, on=TODAY())
    assert caught.value.field == "member"
    mobile.project_member_add(actor=admin, project=project, member=member)
    with pytest.raises(ValidationFailed):
        mobile.project_member_add(actor=admin, project=project, member=member)
    entry = mobile.participation_record(
        actor=admin, member=member, project=project, on=TODAY(), note="代办社保两件"
    )
    assert list(mobile_read.project_log(project)) == [entry]
    assert list(mobile_read.my_projects(member)) == [project]
    with pytest.raises(ValidationFailed) as caught:
        mobile.participation_record(actor=admin, member=member, on=TODAY())
    assert caught.value.field == "activity_title"
    with pytest.raises(ValidationFailed) as caught:
        mobile.participation_record(
            actor=admin, member=member, activity_title="x", on=date(9999, 1, 1)
        )
    assert caught.value.field == "on"
    mobile.participation_record(
        actor=admin, member=member, activity_title="主题党日", on=TODAY(), note=""
    )
    assert mobile_read.my_participations(member).count() == 2
    assert AuditEntry.objects.filter(action="mobile_member.participation").count() == 2


def _check_in(person, center, day):
    from dangqun.activities.models import ActivitySession, CheckIn, Registration

    made = factories.activity(center, days_ahead=1)
    start = timezone.make_aware(datetime.combine(day, time(9)))
    session = ActivitySession.objects.create(
        activity=made, start=start, end=start + timedelta(hours=1)
    )
    registration = Registration.objects.create(
        activity=made, person=person, status="confirmed", short_code=f"{person.pk:06d}"
    )
    CheckIn.objects.create(registration=registration, session=session, method="scan")


def test_figures_equal_a_direct_count(world):
    district, admin, other, district_admin, org = world
    year = timezone.localdate().year
    members = [report(factories.PersonFactory(), org).member for _ in range(5)]
    far = report(factories.PersonFactory(), region=district.cangqian).member
    # One reported in last year only.
    ReportIn.objects.filter(member=members[4]).update(
        reported_at=timezone.make_aware(datetime(year - 1, 6, 1, 12))
    )
    mobile.mobile_status_change(actor=admin, member=members[3], status="returned", on=TODAY())
    mobile.participation_record(actor=admin, member=members[0], activity_title="a", on=TODAY())
    mobile.participation_record(actor=admin, member=members[0], activity_title="b", on=TODAY())
    mobile.participation_record(
        actor=admin, member=members[1], activity_title="c", on=date(year - 1, 12, 31)
    )
    _check_in(members[2].person, district.xianlin_center, date(year, 1, 2))
    _check_in(members[1].person, district.xianlin_center, date(year - 1, 12, 30))
    _check_in(far.person, district.xianlin_center, date(year, 1, 2))
    got = mobile_read.figures(admin, year=year)
    scoped = MobileMember.objects.filter(region__path__startswith=district.xianlin.path)
    took = set(
        Participation.objects.filter(member__in=scoped, on__year=year).values_list(
            "member", flat=True
        )
    ) | {members[2].pk}
    assert got == {
        "year": year,
        "registered": scoped.count(),
        "in_district": scoped.filter(status="active").count(),
        "reported_in": scoped.filter(report_ins__reported_at__year=year).distinct().count(),
        "took_part": len(took),
    }
    assert got["registered"] == 5 and got["reported_in"] == 4 and got["took_part"] == 2
    everything = mobile_read.figures(district_admin, year=year)
    assert everything["registered"] == 6 and everything["took_part"] == 3
    assert mobile_read.attended([], date(year, 1, 1), date(year, 12, 31)) == set()


def test_deliveries_are_one_per_member_and_notice(world):
    *_rest, admin_district, org = world
    member = report(factories.PersonFactory(), org).member
    notice = mobile.notice_send(actor=admin_district, title="t", body="b", organisation=org)
    assert NoticeDelivery.objects.filter(notice=notice, member=member).count() == 1


def test_the_register_needs_a_name_and_gives_a_home_region(world):
    district, admin, *_rest, org = world
    nameless = factories.PersonFactory(name="")
    with pytest.raises(ValidationFailed) as caught:
        report(nameless, org)
    assert caught.value.field == "name"
    assert not MobileMember.objects.exists()
    done = report(nameless, org, name="赵六")
    nameless.refresh_from_db()
    assert nameless.name == "赵六" and nameless.home_region == district.xianlin
    # A home region already given stays; staff of it verify the group on the person's page.
    elsewhere = factories.PersonFactory(home_region=district.cangqian)
    report(elsewhere, org)
    elsewhere.refresh_from_db()
    assert elsewhere.home_region == district.cangqian
    from dangqun.people import services as people_services

    people_services.person_tag_verify(
        actor=admin, person=nameless, tag=PersonTag.Tag.MOBILE_PARTY_MEMBER
    )
    assert mobile_read.tag_verified(done.member)
