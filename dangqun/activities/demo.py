"""Demo activities: a few published ones of the source article's programmes, run by the
demo centers' staff."""

from datetime import datetime, time, timedelta

from django.utils import timezone

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
    return {"activities_created": len(DEMO_ACTIVITIES) + 1}


def _past_training() -> None:
    """Three evenings last month at the riders' center; riders signed up and came to some.
    Published while its sessions were ahead (as staff would have), then its dates and
    attendance written back to when they happened."""
    center = ServiceCenter.objects.get(slug="cangqian-new-employment")
    staff = StaffRole.objects.filter(center=center).first().person
    riders = list(
        Person.objects.filter(is_demo=True, tags__tag=PersonTag.Tag.NEW_EMPLOYMENT).order_by("id")
    )[:12]
    ahead = timezone.localdate() + timedelta(days=60)
    activity = drafting.activity_create(
        actor=staff,
        center=center,
        data={
            "title": PAST_TRAINING,
            "kind": "training",
            "capacity": 30,
            "registration_opens": timezone.now(),
            "registration_closes": timezone.make_aware(datetime.combine(ahead, time(12))),
            "venue": "address",
            "address": center.address,
            "description": "演示数据（Demo data）：电商讲师授课，共三讲。",
        },
    )
    starts = [
        timezone.make_aware(datetime.combine(ahead + timedelta(days=7 * n), time(19)))
        for n in range(3)
    ]
    services.activity_set_sessions(
        actor=staff, activity=activity, sessions=[(s, s + timedelta(hours=2)) for s in starts]
    )
    services.activity_publish(actor=staff, activity=activity)
    registrations = [services.registration_create(actor=r, activity=activity) for r in riders]
    back = timedelta(days=60 + 35)
    for session in activity.sessions.order_by("start"):
        ActivitySession.objects.filter(pk=session.pk).update(
            start=session.start - back, end=session.end - back
        )
    Activity.objects.filter(pk=activity.pk).update(
        registration_opens=activity.registration_opens - back - timedelta(days=7),
        registration_closes=activity.registration_closes - back,
    )
    sessions = list(activity.sessions.order_by("start"))
    for n, registration in enumerate(registrations):
        came = sessions if n % 3 else sessions[: n % 4]  # most came to all, some to fewer
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
