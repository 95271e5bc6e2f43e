"""Demo partners: the article's three partners of the Xianlin center (浙江外国语学院,
蚂蚁金服公益组织, 闲富门诊) with their service sub-brands, this year's agreements and what
they pledged, a gift received with its evidence; the district's brand 党建聚力·红暖未来 and
the Cangqian street's 幸福满仓 一骑向前. Loaded after places and people, before the apps
whose demo activities, items and teams name these partners."""

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangqun.people.models import Person, StaffRole
from dangqun.places.models import Region, ServiceCenter

from . import services
from .models import Brand, Partner, Receipt

DISTRICT_BRAND = ("党建聚力·红暖未来", "Party building gathers strength · a red and warm future")
STREET_BRAND = ("幸福满仓 一骑向前", "Happiness fills Cangqian · riding forward together")

# name, English name, kind, contact, (sessions a year, volunteer hours, money ¥), pledge text,
# sub-brands (name, English name, description).
PARTNERS = [
    (
        "浙江外国语学院",
        "Zhejiang International Studies University",
        Partner.Kind.UNIVERSITY,
        ("陈老师", "13957100001"),
        (12, Decimal("300"), Decimal("0")),
        "每月一场“夏天织帽子”手工活动；学生志愿者全年服务不少于300小时。",
        [
            ("夏天织帽子", "Knitting hats in summer", "大学生志愿者陪老人一起织帽子、聊家常。"),
            ("学长帮帮团", "Senior students' helping hands", "大学生为辖区孩子辅导功课。"),
        ],
    ),
    (
        "蚂蚁金服公益组织",
        "Ant Financial charity organisation",
        Partner.Kind.SOCIAL_ORGANISATION,
        ("刘女士", "13957100002"),
        (24, Decimal("0"), Decimal("50000")),
        "每月两次便民服务长廊（理发、修伞、手机课）；全年公益资金5万元。",
        [
            (
                "永不落幕的便民服务长廊",
                "The convenience corridor that never closes",
                "理发、修伞、磨刀、手机使用指导，每月两次。",
            )
        ],
    ),
    (
        "闲富门诊",
        "Xianfu Clinic",
        Partner.Kind.CLINIC,
        ("周医生", "13957100003"),
        (12, Decimal("0"), Decimal("0")),
        "每月一次夜间义诊，量血压、测血糖、健康咨询。",
        [
            (
                "永不熄灭的那一盏灯",
                "The lamp that never goes out",
                "夜间义诊，为晚归的居民亮一盏灯。",
            )
        ],
    ),
]


def _evidence_png() -> SimpleUploadedFile:
    """A small receipt image made on the spot (no file in the repository)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), "white")
    ImageDraw.Draw(image).rectangle((10, 10, 310, 190), outline="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("receipt.png", buffer.getvalue(), content_type="image/png")


def _admin() -> Person:
    role = StaffRole.objects.filter(role=StaffRole.Role.DISTRICT_ADMIN).order_by("-person__is_demo")
    return role.select_related("person").first().person


def _partner(admin, center: ServiceCenter, spec, brand: Brand, year: int) -> Partner:
    """What staff would enter on the partner's pages, through the same services."""
    name, name_en, kind, (contact, mobile), pledge, text, sub_brands = spec
    partner = services.partner_create(
        actor=admin,
        data={
            "name": name,
            "name_en": name_en,
            "kind": kind,
            "region": center.region,
            "centers": [center],
            "contact_name": contact,
            "contact_mobile": mobile,
            "description": "演示数据（Demo data）：" + text,
        },
    )
    sessions, hours, money = pledge
    agreement = services.agreement_create(
        actor=admin,
        partner=partner,
        data={
            "start": date(year, 1, 1),
            "end": date(year, 12, 31),
            "pledged_sessions": sessions,
            "pledged_hours": hours,
            "pledged_money": money,
            "text": text,
        },
    )
    for sub_name, sub_en, description in sub_brands:
        services.sub_brand_create(
            actor=admin,
            partner=partner,
            data={
                "name": sub_name,
                "name_en": sub_en,
                "center": center,
                "brand": brand,
                "description": description,
            },
        )
    if money:
        services.receipt_create(
            actor=admin,
            partner=partner,
            agreement=agreement,
            kind=Receipt.Kind.MONEY,
            received_on=min(date(year, 3, 15), timezone.localdate()),
            amount=money * Decimal("0.4"),
            description="上半年公益资金（演示）",
            evidence=_evidence_png(),
        )
    return partner


def _brand(admin, region: Region, names: tuple[str, str], description: str) -> Brand:
    data = {"name": names[0], "name_en": names[1], "region": region, "description": description}
    return services.brand_create(actor=admin, data=data)


def load_demo() -> dict:
    """The partners and brands, on a database without any."""
    if Partner.objects.exists():
        return {"partners_created": 0}
    admin = _admin()
    district = Region.objects.get(level=Region.Level.DISTRICT, parent=None)
    brand = _brand(
        admin,
        district,
        DISTRICT_BRAND,
        "演示数据（Demo data）：余杭区级党建品牌，牵引各镇街打造党群服务项目。",
    )
    _brand(
        admin,
        ServiceCenter.objects.get(slug="cangqian-new-employment").region,
        STREET_BRAND,
        "演示数据（Demo data）：仓前街道新就业群体党建品牌，十分钟暖蜂服务圈。",
    )
    xianlin = ServiceCenter.objects.get(slug="xianlin")
    year = timezone.localdate().year
    for spec in PARTNERS:
        _partner(admin, xianlin, spec, brand, year)
    return {"partners_created": len(PARTNERS), "brands_created": 2}
