"""Factories for tests: real rows through the real services where the service computes
something (a region's path), plain factory_boy elsewhere."""

import re
from dataclasses import dataclass
from decimal import Decimal

import factory

from dangqun.people.identity import id_check_digit
from dangqun.people.models import Person, PersonTag, StaffRole
from dangqun.places.models import Region, ServiceCenter, Space, SpaceKind
from dangqun.places.services import region_create


class OutboxSender:
    """An SMS sender that keeps messages in memory, for tests that read them."""

    outbox: list[tuple[str, str]] = []

    def send(self, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))


def code_in(text: str) -> str:
    return re.search(r"\d{6}", text).group(0)


def region(name, level, parent=None, name_en=""):
    return region_create(actor=None, name=name, level=level, parent=parent, name_en=name_en)


@dataclass
class Tree:
    district: Region
    xianlin: Region
    cangqian: Region
    minfeng: Region
    yunhui: Region
    xianlin_center: ServiceCenter
    cangqian_center: ServiceCenter


def district_tree() -> Tree:
    """A small district: two streets, a village in each, a center in each street."""
    d = region("余杭区", Region.Level.DISTRICT, name_en="Yuhang District")
    x = region("闲林街道", Region.Level.STREET, d, name_en="Xianlin Street")
    c = region("仓前街道", Region.Level.STREET, d, name_en="Cangqian Street")
    m = region("民丰村", Region.Level.VILLAGE, x, name_en="Minfeng Village")
    y = region("云会村", Region.Level.VILLAGE, c, name_en="Yunhui Village")
    xc = CenterFactory(
        region=x, slug="xianlin", name="闲林街道党群服务中心", name_en="Xianlin Center"
    )
    cc = CenterFactory(
        region=c, slug="cangqian", name="新就业群体党群服务中心", name_en="Cangqian Center"
    )
    return Tree(d, x, c, m, y, xc, cc)


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter

    slug = factory.Sequence(lambda n: f"center-{n}")
    name = factory.Sequence(lambda n: f"党群服务中心{n}")
    region = factory.LazyFunction(
        lambda: region(f"区{Region.objects.count()}", Region.Level.DISTRICT)
    )
    address = "杭州市余杭区"
    latitude = Decimal("30.262400")
    longitude = Decimal("119.972300")
    opening_hours = factory.LazyFunction(lambda: ["08:30-17:30"] * 5 + ["", ""])


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    center = factory.SubFactory(CenterFactory)
    # get_or_create: a transactional test empties the tables, migrated rows included.
    kind = factory.LazyFunction(
        lambda: SpaceKind.objects.get_or_create(
            code="maker_space", defaults={"name": "创客空间", "name_en": "Maker space"}
        )[0]
    )
    name = factory.Sequence(lambda n: f"功能区{n}")
    capacity = 20


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    mobile = factory.Sequence(lambda n: f"1380000{n:04d}")
    name = factory.Sequence(lambda n: f"居民{n}")


def staff(role: str, region: Region, center: ServiceCenter | None = None, **kwargs) -> Person:
    person = PersonFactory(**kwargs)
    StaffRole.objects.create(person=person, role=role, region=region, center=center)
    return person


def tag(person: Person, name: str, **details) -> PersonTag:
    return PersonTag.objects.create(person=person, tag=name, **details)


def resident_id(prefix17: str = "33011019800101123") -> str:
    return prefix17 + id_check_digit(prefix17)


def activity(
    center: ServiceCenter | None = None,
    *,
    capacity: int = 10,
    sessions: int = 1,
    days_ahead: int = 3,
    status: str = "published",
    **fields,
):
    """A published activity at an outside address, signing up open now, sessions ahead."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from dangqun.activities.models import Activity, ActivitySession

    center = center or CenterFactory(opening_hours=["24h"] * 7)
    now = timezone.now()
    creator = fields.pop("created_by", None) or PersonFactory()
    made = Activity.objects.create(
        title=fields.pop("title", "婴儿抚触操培训"),
        kind=fields.pop("kind", "class"),
        center=center,
        venue="address",
        address="仁和街道",
        capacity=capacity,
        registration_opens=now - timedelta(days=1),
        registration_closes=now + timedelta(days=days_ahead),
        status=status,
        created_by=creator,
        **fields,
    )
    day = timezone.localdate() + timedelta(days=days_ahead)
    for n in range(sessions):
        start = timezone.make_aware(datetime.combine(day + timedelta(weeks=n), time(9)))
        ActivitySession.objects.create(activity=made, start=start, end=start + timedelta(hours=2))
    return made


def service_item(center: ServiceCenter | None = None, *, region: Region | None = None, **kw):
    """A catalogue item of a center (or of a region), with the extra fields given as dicts
    ({"code", "label", "datatype", "required", "choices"})."""
    from dangqun.intake.models import ServiceField, ServiceItem

    fields = kw.pop("fields", ())
    owner = center.region if center is not None else region
    defaults = {
        "code": f"item-{ServiceItem.objects.count() + 1}-{owner.pk}",
        "name": "党员组织关系转接",
        "kind": "party_member_service",
        "unit": "党员服务窗口",
        "time_limit_days": 5,
    }
    item = ServiceItem.objects.create(
        center=center, region=region, owner_region=owner, **{**defaults, **kw}
    )
    for order, spec in enumerate(fields):
        ServiceField.objects.create(item=item, order=order, **spec)
    return item


def partner(*centers: ServiceCenter, name: str = "浙江外国语学院", **fields):
    """An active partner co-building with `centers` (run by the first center's region)."""
    from dangqun.partners.models import Partner

    region = fields.pop("region", None) or centers[0].region
    made = Partner.objects.create(
        name=name, kind=fields.pop("kind", "university"), region=region, **fields
    )
    made.centers.add(*centers)
    return made


def sub_brand(partner, center: ServiceCenter, *, name: str = "学长帮帮团", **fields):
    """A sub-brand `partner` gives at `center`."""
    from dangqun.partners.models import SubBrand

    return SubBrand.objects.create(name=name, partner=partner, center=center, **fields)
