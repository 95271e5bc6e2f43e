"""The demo district's people: generated residents with their group tags, and the demo
staff with their roles; every one marked is_demo and invented. The staff password is
generated once into var/, never kept in the repository."""

import random
import secrets
from datetime import date, timedelta

from django.conf import settings

from dangqun.places import demo as places_demo
from dangqun.places import selectors as places
from dangqun.places.models import Region

from .identity import id_check_digit
from .models import Person, PersonTag, StaffRole

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
        center = places.center_by_slug(center_slug) if center_slug else None
        StaffRole.objects.get_or_create(
            person=person, role=role, region=region, defaults={"center": center}
        )


def load_demo(*, residents: int) -> dict:
    """Residents (as many as asked, on a first load) and the demo staff, in the regions of
    the places' demo."""
    regions = places_demo.regions()
    created = _residents(regions, residents)
    _staff(regions)
    return {"residents_created": created}


def figures() -> dict:
    return {"people": Person.objects.count()}
