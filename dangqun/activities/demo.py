"""Demo activities: a few published ones of the source article's programmes, run by the
demo centers' staff."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from dangqun.partners import selectors as partners
from dangqun.people.models import Person, PersonTag, StaffRole
from dangqun.places.models import ServiceCenter

from . import drafting, services
from .models import Activity, ActivitySession, CheckIn

# A training of the riders that is over, with its attendance: volunteers' demo issues its
# training certificates (the rule "at least 2 of 3 sessions").
PAST_TRAINING = "电商技能培训：直播带货入门"

# (center slug, title, kind, space name or None for an outside address, days ahead, hour,
#  hours, capacity, group tags, walk-ins). Titles are the article's programmes.
DEMO_ACTIVITIES = [
    ("renhe", "移动学堂：婴儿抚触操培训", "class", "成人课堂", 5, 14, 2, 20, [], False),
    (
        "cangqian-new-employment",
        "交警安全骑行培训",
        "training",
        None,
        4,
        19,
        1,
        40,
        ["new_employment"],
        True,
    ),
    (
        "xianlin",
        "流动党员专场直播带岗",
        "livestream",
        "“聚贤里”直播间",
        6,
        15,
        2,
        10,
        ["mobile_party_member", "party_member"],
        False,
    ),
]


def load_demo() -> dict:
    """A few published activities of the article's programmes, on a database without any."""
    if Activity.objects.exists():
        return {"activities_created": 0}
    now = timezone.now()
    for (
        slug,
        title,
        kind,
        space_name,
        days,
        hour,
        length,
        capacity,
        tags,
        walk_ins,
    ) in DEMO_ACTIVITIES:
        center = ServiceCenter.objects.get(slug=slug)
        staff = StaffRole.objects.filter(center=center).first().person
        space = center.spaces.filter(name=space_name).first() if space_name else None
        start = timezone.make_aware(
            datetime.combine(timezone.localdate() + timedelta(days=days), time(hour))
        )
        activity = drafting.activity_create(
            actor=staff,
            center=center,
            data={
                "title": title,
                "kind": kind,
                "capacity": capacity,
                "eligible_tags": tags,
                "walk_ins": walk_ins,
                "registration_opens": now,
                "registration_closes": start - timedelta(hours=2),
                "venue": "space" if space else "address",
                "space": space,
                "address": "" if space else center.address,
                "description": "演示数据（Demo data）。",
            },
        )
        services.activity_set_sessions(
            actor=staff, activity=activity, sessions=[(start, start + timedelta(hours=length))]
        )
        services.activity_publish(actor=staff, activity=activity)
    _past_training()
    made = _partner_activities()
    return {"activities_created": len(DEMO_ACTIVITIES) + 1 + made}


def _past_training() -> None:
    """Three evenings last month at the riders' center; riders signed up and came to some."""
    riders = list(
        Person.objects.filter(is_demo=True, tags__tag=PersonTag.Tag.NEW_EMPLOYMENT).order_by("id")
    )[:12]
    _held(
        ServiceCenter.objects.get(slug="cangqian-new-employment"),
        riders,
        {
            "title": PAST_TRAINING,
            "kind": "training",
            "capacity": 30,
            "description": "演示数据（Demo data）：电商讲师授课，共三讲。",
        },
        sessions=3,
        days_back=35,
    )


def _held(center, people, data: dict, *, sessions: int, days_back: int, hour: int = 19):
    """An activity that is over, with its attendance: published while its weekly sessions
    were ahead (as staff would have), then its dates and check-ins written back to when they
    happened, `days_back` days ago for the first."""
    staff = StaffRole.objects.filter(center=center).first().person
    ahead = timezone.localdate() + timedelta(days=60)
    activity = drafting.activity_create(
        actor=staff,
        center=center,
        data={
            "registration_opens": timezone.now(),
            "registration_closes": timezone.make_aware(datetime.combine(ahead, time(12))),
            "venue": "address",
            "address": center.address,
            **data,
        },
    )
    starts = [
        timezone.make_aware(datetime.combine(ahead + timedelta(days=7 * n), time(hour)))
        for n in range(sessions)
    ]
    services.activity_set_sessions(
        actor=staff, activity=activity, sessions=[(s, s + timedelta(hours=2)) for s in starts]
    )
    services.activity_publish(actor=staff, activity=activity)
    registrations = [services.registration_create(actor=p, activity=activity) for p in people]
    back = timedelta(days=60 + days_back)
    for session in activity.sessions.order_by("start"):
        ActivitySession.objects.filter(pk=session.pk).update(
            start=session.start - back, end=session.end - back
        )
    Activity.objects.filter(pk=activity.pk).update(
        registration_opens=activity.registration_opens - back - timedelta(days=7),
        registration_closes=activity.registration_closes - back,
    )
    held = list(activity.sessions.order_by("start"))
    for n, registration in enumerate(registrations):
        came = held if n % 3 else held[: n % 4]  # most came to all, some to fewer
        for session in came:
            entry, _created = services.check_in(
                actor=staff,
                session=session,
                registration=registration,
                method=CheckIn.Method.SHORT_CODE,
                check_window=False,
            )
            CheckIn.objects.filter(pk=entry.pk).update(
                checked_in_at=session.start - timedelta(minutes=5)
            )
    activity.refresh_from_db()
    services.activity_finish(actor=staff, activity=activity)
    return activity


# The Xianlin partners' sub-brands (partners' demo): one activity of each held last month
# with its attendance, and one ahead. (sub-brand, title, kind, hour).
PARTNER_ACTIVITIES = [
    ("夏天织帽子", "夏天织帽子：和大学生一起织帽子", "featured", 14),
    ("学长帮帮团", "学长帮帮团：暑期作业辅导", "study", 9),
    ("永不落幕的便民服务长廊", "便民服务长廊：理发、修伞、手机课", "convenience", 16),
    ("永不熄灭的那一盏灯", "那一盏灯：夜间义诊", "convenience", 19),
]


def _partner_activities() -> int:
    center = ServiceCenter.objects.get(slug="xianlin")
    staff = StaffRole.objects.filter(center=center).first().person
    residents = list(
        Person.objects.filter(is_demo=True, staff_roles=None)
        .exclude(tags__tag=PersonTag.Tag.NEW_EMPLOYMENT)
        .order_by("id")[:10]
    )
    made = 0
    for name, title, kind, hour in PARTNER_ACTIVITIES:
        sub_brand = partners.sub_brands_all_active().filter(name=name, center=center).first()
        if sub_brand is None:
            continue
        data = {"title": title, "kind": kind, "capacity": 30, "sub_brand": sub_brand}
        data["description"] = "演示数据（Demo data）。" + sub_brand.description
        _held(center, residents, data, sessions=2, days_back=30, hour=hour)
        start = timezone.make_aware(
            datetime.combine(timezone.localdate() + timedelta(days=8 + made), time(hour))
        )
        upcoming = drafting.activity_create(
            actor=staff,
            center=center,
            data={
                **data,
                "registration_opens": timezone.now(),
                "registration_closes": start - timedelta(hours=2),
                "venue": "address",
                "address": center.address,
            },
        )
        services.activity_set_sessions(
            actor=staff, activity=upcoming, sessions=[(start, start + timedelta(hours=2))]
        )
        services.activity_publish(actor=staff, activity=upcoming)
        made += 2
    return made
