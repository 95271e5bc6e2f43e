"""The demo catalogue of one-stop intake for the three demo centers, and a few requests
in every state, so the queue, the progress page and the figures have something to show.
Deterministic; loaded only on a database without service items."""

from django.db import transaction

from dangqun.partners import selectors as partners
from dangqun.people.models import Person, StaffRole
from dangqun.places.models import Region, ServiceCenter

from . import catalogue
from .models import ServiceField, ServiceItem

PARTY = "party_member_service"
STUDY = "study"
CONVENIENCE = "convenience"
FEATURED = "featured"
VOLUNTEER = "volunteer"

YES_NO = "bool"


def _choice(*names):
    return [{"key": f"c{n}", "name": name} for n, name in enumerate(names, 1)]


# (owner: "district" or a center's slug, code, name, name_en, kind, unit, staff group,
#  materials, online, counter, working days, location required, fields)
CATALOGUE = [
    (
        "district",
        "party-membership-transfer",
        "党员组织关系转接",
        "Transfer of party membership",
        PARTY,
        "党员服务窗口",
        "组织委员",
        "党员证明材料或介绍信；本人身份证",
        True,
        True,
        5,
        False,
        [
            ("branch_from", "原所在党支部", "text", True, []),
            ("branch_to", "转入党支部", "text", True, []),
            ("direction", "转接方向", "choice", True, _choice("转入", "转出")),
            ("in_province", "省内转接", YES_NO, False, []),
        ],
    ),
    (
        "district",
        "party-member-certificate",
        "党员身份证明开具",
        "Certificate of party membership",
        PARTY,
        "党员服务窗口",
        "组织委员",
        "本人身份证",
        True,
        True,
        3,
        False,
        [("purpose", "证明用途", "text", True, []), ("copies", "份数", "number", False, [])],
    ),
    (
        "district",
        "legal-consultation",
        "法律咨询",
        "Legal consultation",
        VOLUNTEER,
        "法律服务窗口",
        "共建律师",
        "相关合同、票据等材料（如有）",
        True,
        True,
        5,
        False,
        [
            (
                "topic",
                "咨询事项",
                "choice",
                True,
                _choice("劳动纠纷", "婚姻家庭", "邻里纠纷", "其他"),
            ),
            ("preferred_date", "希望面谈日期", "date", False, []),
        ],
    ),
    (
        "xianlin",
        "elderly-canteen-meals",
        "老年食堂助餐登记",
        "Meal registration, elderly canteen",
        CONVENIENCE,
        "老年食堂",
        "助老服务队",
        "老年人本人身份证",
        True,
        True,
        3,
        False,
        [
            ("age", "年龄", "number", True, []),
            ("meals", "用餐时段", "choice", True, _choice("午餐", "晚餐", "午餐和晚餐")),
            ("delivery", "需要送餐上门", YES_NO, False, []),
        ],
    ),
    (
        "xianlin",
        "childcare-enrolment",
        "林下小芽托育报名",
        "Childcare enrolment (Linxia Xiaoya)",
        CONVENIENCE,
        "林下小芽托育中心",
        "托育老师",
        "孩子户口本、疫苗接种证",
        True,
        True,
        7,
        False,
        [
            ("child_birth", "孩子出生日期", "date", True, []),
            ("session", "托育时段", "choice", True, _choice("全日托", "半日托", "临时托")),
        ],
    ),
    (
        "xianlin",
        "volunteer-help",
        "志愿者上门帮扶",
        "Help from a volunteer",
        VOLUNTEER,
        "志愿服务站",
        "暖流之家志愿服务队",
        "",
        True,
        True,
        5,
        True,
        [("help", "需要的帮助", "text", True, [])],
    ),
    (
        "xianlin",
        "free-clinic-night",
        "夜间义诊预约",
        "Evening free clinic appointment",
        CONVENIENCE,
        "闲富门诊",
        "",
        "医保卡；近期的检查单（如有）",
        True,
        True,
        3,
        False,
        [("concern", "想咨询的健康问题", "text", False, [])],
    ),
    (
        "cangqian-new-employment",
        "rider-assistance",
        "小哥困难帮扶",
        "Assistance for riders",
        VOLUNTEER,
        "小哥服务站",
        "小哥志愿服务队",
        "工作证明（平台截图即可）",
        True,
        True,
        5,
        False,
        [
            ("platform", "所在平台", "text", False, []),
            (
                "trade",
                "职业",
                "choice",
                True,
                _choice("外卖骑手", "快递员", "网约车司机", "货车司机"),
            ),
        ],
    ),
    (
        "cangqian-new-employment",
        "charging-room-fault",
        "充换电间故障报修",
        "Charging room fault",
        CONVENIENCE,
        "充换电间运维",
        "运维值班",
        "",
        True,
        False,
        2,
        True,
        [("cabinet", "柜号", "text", False, [])],
    ),
    (
        "renhe",
        "mobile-classroom-course",
        "移动学堂课程预约",
        "Mobile classroom course",
        STUDY,
        "移动学堂",
        "讲师团",
        "",
        True,
        True,
        10,
        False,
        [
            ("course", "课程", "choice", True, _choice("婴儿抚触操", "防诈骗讲座", "智能手机使用")),
            ("people", "预计人数", "number", True, []),
        ],
    ),
    (
        "renhe",
        "study-tour-group",
        "研学线路团体预约",
        "Study-tour group booking",
        FEATURED,
        "研学服务窗口",
        "研学讲解员",
        "学校或单位介绍信",
        True,
        True,
        5,
        False,
        [("date", "希望日期", "date", True, []), ("people", "人数", "number", True, [])],
    ),
]


def _catalogue() -> int:
    district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("id").first()
    created = 0
    for order, row in enumerate(CATALOGUE):
        (owner, code, name, name_en, kind, unit, group, materials, online, counter, days,
         location, fields) = row  # fmt: skip
        center = None if owner == "district" else ServiceCenter.objects.filter(slug=owner).first()
        if owner != "district" and center is None:
            continue
        region = district if center is None else None
        item = ServiceItem.objects.create(
            code=code,
            name=name,
            name_en=name_en,
            kind=kind,
            center=center,
            region=region,
            owner_region=center.region if center else region,
            unit=unit,
            staff_group=group,
            materials=materials,
            online=online,
            counter=counter,
            time_limit_days=days,
            location_required=location,
            order=order,
        )
        ServiceField.objects.bulk_create(
            ServiceField(
                item=item,
                code=fcode,
                label=label,
                datatype=datatype,
                required=required,
                choices=choices,
                order=n,
            )
            for n, (fcode, label, datatype, required, choices) in enumerate(fields)
        )
        created += 1
    _partner_items()
    return created


def _partner_items() -> None:
    """What staff would choose in the item's form, by the same rule."""
    for code, name in PARTNER_ITEMS.items():
        item = ServiceItem.objects.filter(code=code).first()
        sub_brand = partners.sub_brands_all_active().filter(name=name).first()
        if item is None or sub_brand is None:
            continue
        centers = catalogue.item_centers(item.center, item.region)
        item.partner, item.sub_brand = partners.partnership_for(centers, sub_brand=sub_brand)
        item.save(update_fields=["partner", "sub_brand"])


DEMO_REQUESTS = [  # (item code, center slug, values, steps, rating)
    ("elderly-canteen-meals", "xianlin", {"age": "78", "meals": "c1"}, ["accept"], None),
    (
        "party-membership-transfer",
        "xianlin",
        {"branch_from": "民丰村党支部", "branch_to": "闲林社区党支部", "direction": "c1"},
        ["accept", "start", "resolve"],
        5,
    ),
    ("legal-consultation", "xianlin", {"topic": "c1"}, ["accept", "resolve"], 2),
    ("childcare-enrolment", "xianlin", {"child_birth": "2025-03-01", "session": "c2"}, [], None),
    ("rider-assistance", "cangqian-new-employment", {"trade": "c1"}, ["accept", "start"], None),
    ("party-member-certificate", "renhe", {"purpose": "入职政审"}, ["reject"], None),
    ("mobile-classroom-course", "renhe", {"course": "c1", "people": "20"}, ["accept"], None),
    ("free-clinic-night", "xianlin", {"concern": "血压偏高"}, ["accept", "resolve"], 5),
]

# Items provided with a partner's sub-brand (partners' demo): item code -> sub-brand name.
PARTNER_ITEMS = {"free-clinic-night": "永不熄灭的那一盏灯"}


def _requests() -> int:
    from . import services

    residents = list(Person.objects.filter(is_demo=True, staff_roles__isnull=True)[:10])
    if not residents:
        return 0
    for n, (code, slug, values, steps, rating) in enumerate(DEMO_REQUESTS):
        center = ServiceCenter.objects.select_related("region").get(slug=slug)
        staff = StaffRole.objects.filter(center=center).first().person
        person = residents[n % len(residents)]
        request = services.request_submit(
            actor=person,
            person=person,
            item=ServiceItem.objects.get(code=code),
            channel="online",
            values=values,
            description="（演示数据）",
            center=center,
        )
        for step in steps:
            if step == "reject":
                services.request_reject(
                    actor=staff, request=request, reason="请携带本人身份证到窗口办理（演示）"
                )
            else:
                services.STEPS[step](actor=staff, request=request)
        if rating:
            services.rating_give(actor=person, request=request, score=rating, comment="（演示）")
    return len(DEMO_REQUESTS)


@transaction.atomic
def load_demo() -> dict:
    if ServiceItem.objects.exists():
        return {"service_items_created": 0, "service_requests_created": 0}
    items = _catalogue()
    return {"service_items_created": items, "service_requests_created": _requests()}
