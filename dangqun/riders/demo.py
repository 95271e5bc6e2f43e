"""Demo stations and riders around Cangqian, Xianlin and Renhe (deterministic, is_demo).
Station positions are invented around each street's center; amenities and hours too."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from dangqun.core import hours
from dangqun.people.models import Person, PersonTag
from dangqun.places.models import Region, ServiceCenter

from . import cells
from .models import DemandSet, RiderProfile, Station

SEED = 20231108
# (street, center slug, how many stations, spread in km)
AREAS = [
    ("仓前街道", "cangqian-new-employment", 16, 3.0),
    ("闲林街道", "xianlin", 10, 2.5),
    ("仁和街道", "renhe", 10, 3.5),
]
PLACES = [
    "社区",
    "商业街",
    "菜场",
    "物流园",
    "写字楼",
    "地铁口",
    "公园",
    "加油站",
    "超市",
    "快递网点",
]
KIND_NAMES = {
    Station.Kind.WARM_BEE: "暖蜂驿站",
    Station.Kind.PARTNER_SHOP: "爱心商家",
    Station.Kind.UNION_STATION: "工会户外劳动者服务站",
}
OPERATORS = ["街道党工委", "社区党委", "区总工会", "爱心商户", "快递企业党支部"]
BASIC = ["rest", "water", "toilet", "phone_charging"]
EXTRA = ["microwave", "wifi", "first_aid", "air_conditioning", "umbrella", "repair_tools", "books"]
ALL_DAY = [hours.ALL_DAY] * 7
DAYTIME = ["07:00-22:00"] * 7
RIDER_ZONES = [  # (lat, lng, spread km, riders): where demo riders say they usually work
    (30.2935, 119.9898, 2.5, 60),  # Cangqian, Future Sci-Tech City
    (30.2624, 119.9723, 2.0, 25),  # Xianlin
    (30.4336, 120.1052, 3.0, 25),  # Renhe
    (30.3640, 120.0300, 1.5, 30),  # Liangzhu side, between the streets: no station yet
    (30.3950, 120.0750, 1.2, 15),  # on the way to Renhe: no station yet
    (30.3150, 119.9300, 1.0, 10),  # west of Cangqian: no station yet
]


def _offset(rng: random.Random, lat: float, lng: float, km: float) -> tuple[float, float]:
    import math

    distance = km * math.sqrt(rng.random()) * 1000
    bearing = rng.random() * 2 * math.pi
    d_lat = distance * math.cos(bearing) / 111_000
    d_lng = distance * math.sin(bearing) / (111_000 * math.cos(math.radians(lat)))
    return round(lat + d_lat, 6), round(lng + d_lng, 6)


@transaction.atomic
def load_demo() -> dict:
    if Station.objects.filter(is_demo=True).exists():
        return {"stations_created": 0, "riders_created": 0}
    rng = random.Random(SEED)
    created = 0
    for street, slug, count, spread in AREAS:
        region = Region.objects.filter(name=street).first()
        center = ServiceCenter.objects.filter(slug=slug).first()
        if region is None or center is None:
            continue
        lat0, lng0 = float(center.latitude), float(center.longitude)
        center_amenities = BASIC + ["microwave", "first_aid", "legal_aid", "wifi"]
        if slug == "cangqian-new-employment":
            center_amenities += ["battery_charging", "battery_swap", "parking"]
        Station.objects.create(
            name=f"{center.name}骑手之家",
            kind=Station.Kind.CENTER,
            region=region,
            center=center,
            operator=center.name,
            address=center.address,
            amenities=_order(center_amenities),
            opening_hours=ALL_DAY if slug == "cangqian-new-employment" else center.opening_hours,
            capacity=30,
            latitude=lat0,
            longitude=lng0,
            is_demo=True,
            description="演示数据：位置为近似值。",
        )
        created += 1
        for number in range(1, count + 1):
            kind = rng.choice(list(KIND_NAMES))
            lat, lng = _offset(rng, lat0, lng0, spread)
            extra = rng.sample(EXTRA, rng.randint(1, 3))
            if rng.random() < 0.25:
                extra.append("battery_charging")
            Station.objects.create(
                name=f"{KIND_NAMES[kind]}·{street[:2]}{rng.choice(PLACES)}{number}号",
                kind=kind,
                region=region,
                operator=rng.choice(OPERATORS),
                amenities=_order(BASIC[: rng.randint(2, 4)] + extra),
                opening_hours=ALL_DAY if rng.random() < 0.5 else DAYTIME,
                capacity=rng.choice([4, 6, 8, 10, 12]),
                latitude=lat,
                longitude=lng,
                is_demo=True,
                description="演示数据：位置与设施为假设。",
            )
            created += 1
    riders = _riders(rng)
    _demand(rng)
    return {"stations_created": created, "riders_created": riders}


def _order(codes) -> list[str]:
    from . import amenities

    return amenities.normalize(codes)


def _riders(rng: random.Random) -> int:
    """Demo residents tagged new-employment get a work area, with consent, in one of the
    zones (drawn in proportion to the zones' sizes); no one else is created."""
    people = list(
        Person.objects.filter(is_demo=True, tags__tag=PersonTag.Tag.NEW_EMPLOYMENT).order_by("id")
    )
    zones = [zone for zone in RIDER_ZONES for _ in range(zone[3])]
    consent_at = timezone.now() - timedelta(days=30)
    for person in people:
        lat0, lng0, spread, _n = rng.choice(zones)
        lat, lng = _offset(rng, lat0, lng0, spread)
        RiderProfile.objects.update_or_create(
            person=person,
            defaults={
                "work_cell": cells.work_area_cell(lat, lng),
                "location_consent_at": consent_at,
                "is_demo": True,
            },
        )
    return len(people)


DEMAND_NAME = "演示：骑手取餐点单量（假设数据）"


def _demand(rng: random.Random) -> None:
    """An imported demand set for the coverage analysis: invented pick-up counts around the
    zones where riders work (as a platform's export by place would give)."""
    district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("path").first()
    if district is None:
        return
    points = []
    for lat0, lng0, spread, riders in RIDER_ZONES:
        for _ in range(riders):
            lat, lng = _offset(rng, lat0, lng0, spread)
            points.append({"lat": lat, "lng": lng, "count": float(rng.randint(5, 60))})
    DemandSet.objects.create(
        name=DEMAND_NAME,
        region=district,
        points=points,
        total=sum(p["count"] for p in points),
    )
