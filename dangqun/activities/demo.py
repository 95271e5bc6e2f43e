"""Demo activities: a few published ones of the source article's programmes, run by the
demo centers' staff."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from dangqun.people.models import StaffRole
from dangqun.places.models import ServiceCenter

from . import drafting, services
from .models import Activity

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
    return {"activities_created": len(DEMO_ACTIVITIES)}
