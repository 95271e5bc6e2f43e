"""Demo mobile party members (流动党员): a branch of Xianlin street and a riders' party
group at Cangqian, ten invented members (demo persons, marked is_demo, mobiles 1993…)
who reported in over this year through the same service as the page, a notice to the
branch, and a custom service project with its log. Loaded after the partners' demo; does
nothing when loaded already."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dangqun.people.models import Person, StaffRole
from dangqun.places.models import Region, ServiceCenter

from . import mobile
from .models import MobileMember, ReportIn, TemporaryOrganisation

XIANLIN_BRANCH = "闲林街道流动党员党支部"
RIDERS_GROUP = "仓前街道外卖骑手流动党员党小组"

# name, home branch, contact at home, employer, work place, in the riders' group
MEMBERS = [
    (
        "章建华",
        "安徽省阜阳市颍州区某村党支部",
        ("李书记", "0558-2100001"),
        "某物流公司",
        "闲林街道闲林东路",
        False,
    ),
    (
        "冯秀英",
        "江西省上饶市某社区党支部",
        ("王书记", "0793-2100002"),
        "某电商企业",
        "闲林街道联荣路",
        False,
    ),
    (
        "程志刚",
        "河南省信阳市某村党支部",
        ("赵书记", "0376-2100003"),
        "某建筑公司",
        "闲林街道工地",
        False,
    ),
    ("袁海燕", "湖北省黄冈市某社区党支部", ("周书记", "0713-2100004"), "某医院", "闲林街道", False),
    (
        "潘晓东",
        "四川省南充市某村党支部",
        ("吴书记", "0817-2100005"),
        "某科技公司",
        "闲林街道",
        False,
    ),
    ("蒋伟", "贵州省遵义市某村党支部", ("郑书记", "0851-2100006"), "美团", "仓前街道", True),
    ("蔡明", "甘肃省天水市某村党支部", ("孙书记", "0938-2100007"), "饿了么", "仓前街道", True),
    ("余强", "安徽省六安市某村党支部", ("马书记", "0564-2100008"), "美团", "仓前街道", True),
    ("杜军", "江苏省徐州市某社区党支部", ("朱书记", "0516-2100009"), "饿了么", "仓前街道", True),
    ("叶磊", "山东省临沂市某村党支部", ("胡书记", "0539-2100010"), "顺丰", "仓前街道", True),
]


def _staff_of(region: Region) -> Person | None:
    grant = (
        StaffRole.objects.filter(
            region=region, role__in=[StaffRole.Role.STREET_ADMIN, StaffRole.Role.DISTRICT_ADMIN]
        )
        .select_related("person")
        .first()
    )
    if grant is None:
        grant = StaffRole.objects.filter(role=StaffRole.Role.DISTRICT_ADMIN).first()
    return grant.person if grant else None


@transaction.atomic
def load_demo() -> dict:
    if TemporaryOrganisation.objects.exists() or MobileMember.objects.exists():
        return {"mobile_members_created": 0}
    xianlin_center = ServiceCenter.objects.get(slug="xianlin")
    cangqian_center = ServiceCenter.objects.get(slug="cangqian-new-employment")
    xianlin_admin = _staff_of(xianlin_center.region)
    cangqian_admin = _staff_of(cangqian_center.region)
    branch = mobile.organisation_create(
        actor=xianlin_admin,
        name=XIANLIN_BRANCH,
        kind=TemporaryOrganisation.Kind.BRANCH,
        region=xianlin_center.region,
        center=xianlin_center,
    )
    riders = mobile.organisation_create(
        actor=cangqian_admin,
        name=RIDERS_GROUP,
        kind=TemporaryOrganisation.Kind.GROUP,
        region=cangqian_center.region,
        center=cangqian_center,
    )
    today = timezone.localdate()
    first = date(today.year, 1, 1)
    span = max((today - first).days, 0)
    members = []
    for i, (name, home, contact, employer, place, is_rider) in enumerate(MEMBERS):
        mobile_number = f"1993{i:07d}"
        person = Person.objects.filter(mobile=mobile_number).first()
        if person is None:
            person = Person.objects.create_user(mobile_number, name=name, is_demo=True)
        org = riders if is_rider else branch
        report = mobile.mobile_report_in(
            actor=person,
            person=person,
            home_branch=home,
            home_contact_name=contact[0],
            home_contact_phone=contact[1],
            employer=employer,
            work_place=place,
            organisation=org,
            center=org.center,
            arrived_on=first - timedelta(days=30 * (i + 1)),
        )
        # Spread over this year: the demo's report-ins did not all happen today.
        day = first + timedelta(days=span * i // len(MEMBERS))
        ReportIn.objects.filter(pk=report.pk).update(
            reported_at=timezone.make_aware(datetime.combine(day, time(10)))
        )
        members.append(report.member)
    mobile.notice_send(
        actor=xianlin_admin,
        title="七月主题党日活动通知",
        body="演示数据（Demo data）：本月主题党日在闲林街道党群服务中心举行，请流动党员按时参加。",
        organisation=branch,
    )
    project = mobile.project_create(
        actor=cangqian_admin,
        name="骑手流动党员“红色代跑”",
        region=cangqian_center.region,
        center=cangqian_center,
        description="演示数据（Demo data）：骑手党员在送餐途中为独居老人代买代送、报告隐患。",
    )
    for member in members[5:8]:
        mobile.project_member_add(actor=cangqian_admin, project=project, member=member)
    for n, member in enumerate(members[5:8]):
        mobile.participation_record(
            actor=cangqian_admin,
            member=member,
            project=project,
            on=max(first, today - timedelta(days=7 * (n + 1))),
            note="为独居老人代买药品",
        )
    mobile.participation_record(
        actor=xianlin_admin,
        member=members[0],
        activity_title="主题党日：学习新时代党的建设",
        on=max(first, today - timedelta(days=3)),
    )
    return {"mobile_members_created": len(members), "temporary_organisations_created": 2}
