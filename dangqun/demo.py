"""The demo district: Yuhang District as the source article describes it (Zhejiang Daily,
2023-08-18), plus generated residents and staff, every one marked is_demo.

Facts (names, spaces, areas, brands, opening month) come from the article. What the
article does not say is marked as a demo assumption: coordinates are approximate
street locations, opening hours are ordinary office hours, people are invented."""

import random
import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dangqun.people.identity import id_check_digit
from dangqun.people.models import Person, PersonTag, StaffRole
from dangqun.places.models import Region, ServiceCenter, Space, SpaceKind
from dangqun.places.services import region_create

ASSUMED = (
    "（演示数据：位置为近似值，开放时间为假设。Demo data: approximate location, assumed hours.）"
)
OFFICE_WEEK = ["08:30-17:30"] * 5 + ["09:00-17:00", "09:00-17:00"]

REGIONS = {
    ("闲林街道", "Xianlin Street"): [("民丰村", "Minfeng Village")],
    ("仓前街道", "Cangqian Street"): [],
    ("仁和街道", "Renhe Street"): [
        ("云会村", "Yunhui Village"),
        ("普宁村", "Puning Village"),
        ("渔公桥村", "Yugongqiao Village"),
    ],
}

CENTERS = [
    {
        "slug": "xianlin",
        "street": "闲林街道",
        "is_integrated": True,
        "name": "闲林街道党群服务中心",
        "name_en": "Xianlin Street Party-Mass Service Center",
        "address": "杭州市余杭区闲林街道，毗邻闲林老街",
        "lat": "30.262400",
        "lng": "119.972300",
        "area_m2": 5000,
        "opened_on": date(2023, 2, 1),
        "brand": "党建聚力·红暖未来",
        "description": "集便民、政治、文化、活动功能为一体的集成式党群服务中心，"
        "党员服务、学习教育、便民服务、特色活动、志愿帮扶“一站式”受理。",
        "spaces": [
            ("暖流之家", "Warm-Current Home", "warm_current_home", False),
            ("妇儿驿站", "Women-and-Children Station", "women_children_station", False),
            ("“聚贤里”直播间", "Juxianli Livestream Studio", "livestream_studio", True),
            ("创客空间", "Maker Space", "maker_space", True),
            ("老年食堂", "Elderly Canteen", "elderly_canteen", False),
            ("居养中心", "Home-Care Center", "home_care", False),
            ("林下小芽托育中心", "Linxia Xiaoya Childcare Center", "childcare", False),
            ("草根文化展厅", "Grassroots Culture Exhibition Hall", "exhibition_hall", True),
        ],
    },
    {
        "slug": "cangqian-new-employment",
        "street": "仓前街道",
        "is_integrated": False,
        "name": "余杭区新就业群体党群服务中心",
        "name_en": "Yuhang New-Employment Groups Party-Mass Service Center",
        "address": "杭州市余杭区仓前街道",
        "lat": "30.293500",
        "lng": "119.989800",
        "area_m2": None,
        "opened_on": None,
        "brand": "幸福满仓 一骑向前",
        "description": "浙江首个区县级新就业群体党群服务中心，服务外卖骑手、快递员、"
        "网约车和货运司机：红堡垒、成长营、服务站、解压坊。",
        "spaces": [
            ("24小时智能充换电间", "24-Hour Smart Charging Room", "charging_room", False),
        ],
    },
    {
        "slug": "renhe",
        "street": "仁和街道",
        "is_integrated": False,
        "name": "仁和街道党群服务中心",
        "name_en": "Renhe Street Party-Mass Service Center",
        "address": "杭州市余杭区仁和街道",
        "lat": "30.433600",
        "lng": "120.105200",
        "area_m2": None,
        "opened_on": None,
        "brand": "",
        "description": "打造移动学堂，让全年龄段群众在家门口享受教学实践资源；"
        "深挖18个村的美丽乡村资源，打造特色研学课程。",
        "spaces": [
            ("成人课堂", "Adult Classroom", "activity_room", True),
        ],
    },
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅海燕志文斌玉兰晓东春"
PLATFORMS = ["美团", "饿了么", "顺丰", "中通", "滴滴出行", "货拉拉"]

STAFF = [
    ("19900000001", "区级管理员（演示）", StaffRole.Role.DISTRICT_ADMIN, None, None),
    ("19900000002", "闲林街道管理员（演示）", StaffRole.Role.STREET_ADMIN, "闲林街道", None),
    ("19900000003", "仓前街道管理员（演示）", StaffRole.Role.STREET_ADMIN, "仓前街道", None),
    ("19900000004", "仁和街道管理员（演示）", StaffRole.Role.STREET_ADMIN, "仁和街道", None),
    ("19900000005", "闲林中心工作人员（演示）", StaffRole.Role.CENTER_STAFF, "闲林街道", "xianlin"),
    (
        "19900000006",
        "仓前中心工作人员（演示）",
        StaffRole.Role.CENTER_STAFF,
        "仓前街道",
        "cangqian-new-employment",
    ),
    ("19900000007", "仁和中心工作人员（演示）", StaffRole.Role.CENTER_STAFF, "仁和街道", "renhe"),
]
DEMO_STAFF_MOBILE = STAFF[0][0]


def demo_password() -> str:
    """The demo staff password: generated once into var/, never in the repository."""
    path = settings.VAR_DIR / "demo-staff-password"
    if not path.exists():
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def _region(name, name_en, level, parent):
    found = Region.objects.filter(parent=parent, name=name).first()
    return found or region_create(
        actor=None, name=name, name_en=name_en, level=level, parent=parent
    )


def _regions() -> dict[str, Region]:
    district = _region("余杭区", "Yuhang District", Region.Level.DISTRICT, None)
    by_name = {district.name: district}
    for (street, street_en), villages in REGIONS.items():
        street_region = _region(street, street_en, Region.Level.STREET, district)
        by_name[street] = street_region
        for village, village_en in villages:
            by_name[village] = _region(village, village_en, Region.Level.VILLAGE, street_region)
    return by_name


def _centers(regions: dict[str, Region]) -> None:
    kinds = {k.code: k for k in SpaceKind.objects.all()}
    for spec in CENTERS:
        center, _ = ServiceCenter.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "name_en": spec["name_en"],
                "region": regions[spec["street"]],
                "is_integrated": spec["is_integrated"],
                "address": spec["address"],
                "latitude": spec["lat"],
                "longitude": spec["lng"],
                "area_m2": spec["area_m2"],
                "opened_on": spec["opened_on"],
                "brand": spec["brand"],
                "description": spec["description"] + ASSUMED,
                "opening_hours": OFFICE_WEEK,
            },
        )
        for name, name_en, kind, bookable in spec["spaces"]:
            Space.objects.get_or_create(
                center=center,
                name=name,
                defaults={
                    "name_en": name_en,
                    "kind": kinds[kind],
                    "is_bookable": bookable,
                    "opening_hours": ["24h"] * 7 if kind == "charging_room" else None,
                },
            )


def _fake_resident_id(rng: random.Random, born: date) -> str:
    first17 = f"330110{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def _residents(regions: dict[str, Region], count: int) -> int:
    rng = random.Random(2023)  # the same demo district every time
    homes = [r for r in regions.values() if r.level != Region.Level.DISTRICT]
    created = 0
    for i in range(count):
        mobile = f"1991{i:07d}"
        if Person.objects.filter(mobile=mobile).exists():
            continue
        born = date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 65))
        person = Person.objects.create_user(
            mobile,
            name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
            birth_date=born,
            home_region=rng.choice(homes),
            is_demo=True,
        )
        if rng.random() < 0.2:
            person.set_resident_id(_fake_resident_id(rng, born))
            person.save()
        _tags(rng, person, born)
        created += 1
    return created


def _tags(rng: random.Random, person: Person, born: date) -> None:
    tags = []
    if rng.random() < 0.2:
        tags.append(
            PersonTag(
                tag=PersonTag.Tag.PARTY_MEMBER, home_branch=f"{person.home_region.name}党支部"
            )
        )
    if rng.random() < 0.04:
        tags.append(PersonTag(tag=PersonTag.Tag.MOBILE_PARTY_MEMBER, home_branch="外地党支部"))
    in_cangqian = person.home_region.name == "仓前街道"
    if born.year > 1975 and rng.random() < (0.6 if in_cangqian else 0.1):
        tags.append(
            PersonTag(
                tag=PersonTag.Tag.NEW_EMPLOYMENT,
                trade=rng.choice(PersonTag.Trade.values),
                platform=rng.choice(PLATFORMS),
            )
        )
    if born.year <= date.today().year - 60:
        tags.append(PersonTag(tag=PersonTag.Tag.ELDER))
    if rng.random() < 0.15:
        tags.append(PersonTag(tag=PersonTag.Tag.GUARDIAN))
    if rng.random() < 0.1:
        tags.append(PersonTag(tag=PersonTag.Tag.VOLUNTEER))
    for tag in tags:
        tag.person = person
    PersonTag.objects.bulk_create(tags)


def _staff(regions: dict[str, Region]) -> None:
    password = demo_password()
    for mobile, name, role, region_name, center_slug in STAFF:
        person = Person.objects.filter(mobile=mobile).first()
        if person is None:
            person = Person.objects.create_user(mobile, password, name=name, is_demo=True)
        region = regions[region_name or "余杭区"]
        center = ServiceCenter.objects.get(slug=center_slug) if center_slug else None
        StaffRole.objects.get_or_create(
            person=person, role=role, region=region, defaults={"center": center}
        )


DEMO_BOOKINGS = [  # (space name, days from today, start hour, hours, purpose)
    ("创客空间", 1, 9, 2, "青年创客交流会"),
    ("创客空间", 2, 14, 2, "党员学习小组"),
    ("“聚贤里”直播间", 3, 10, 2, "农产品直播销售"),
    ("草根文化展厅", 4, 9, 8, "传统艺术临习展布展"),
    ("成人课堂", 2, 9, 2, "婴儿抚触操培训"),
]


def _bookings() -> int:
    """A few bookings in the coming days, entered by the center staff for residents, so the
    calendars have something to show. Only on a database without bookings."""
    from dangqun.bookings.models import Booking
    from dangqun.bookings.services import booking_create

    if Booking.objects.exists():
        return 0
    today = timezone.localdate()
    residents = list(Person.objects.filter(is_demo=True, staff_roles__isnull=True)[:10])
    for n, (space_name, days, hour, length, purpose) in enumerate(DEMO_BOOKINGS):
        space = Space.objects.select_related("center").get(name=space_name)
        staff = StaffRole.objects.filter(center=space.center).first().person
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        booking_create(
            actor=staff,
            booker=residents[n % len(residents)],
            space=space,
            start=start,
            end=start + timedelta(hours=length),
            purpose=purpose,
            headcount=10,
        )
    return len(DEMO_BOOKINGS)


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


def _activities() -> int:
    """A few published activities of the article's programmes, on a database without any."""
    from dangqun.activities import drafting
    from dangqun.activities import services as activity_services
    from dangqun.activities.models import Activity

    if Activity.objects.exists():
        return 0
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
        activity_services.activity_set_sessions(
            actor=staff, activity=activity, sessions=[(start, start + timedelta(hours=length))]
        )
        activity_services.activity_publish(actor=staff, activity=activity)
    return len(DEMO_ACTIVITIES)


@transaction.atomic
def load(*, residents: int = 300) -> dict:
    regions = _regions()
    _centers(regions)
    created = _residents(regions, residents)
    _staff(regions)
    bookings = _bookings()
    activities = _activities()
    from dangqun.charging.demo import load_demo as load_charging
    from dangqun.intake.demo import load_demo as load_intake
    from dangqun.riders.demo import load_demo as load_riders

    intake = load_intake()
    riders = load_riders()
    charging = load_charging()
    return {
        "bookings_created": bookings,
        "activities_created": activities,
        **intake,
        **riders,
        **charging,
        "regions": Region.objects.count(),
        "centers": ServiceCenter.objects.count(),
        "spaces": Space.objects.count(),
        "residents_created": created,
        "people": Person.objects.count(),
    }


def is_empty() -> bool:
    return not Region.objects.exists()
