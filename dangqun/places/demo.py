"""The demo district's places: Yuhang District and its streets and villages, and the three
centers with their spaces as the source article describes them (Zhejiang Daily,
2023-08-18). What the article does not say is marked as a demo assumption: coordinates are
approximate street locations, opening hours are ordinary office hours."""

from datetime import date

from .models import Region, ServiceCenter, Space, SpaceKind
from .services import region_create

ASSUMED = (
    "（演示数据：位置为近似值，开放时间和电话为假设。"
    "Demo data: approximate location, assumed hours and phone number.）"
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
        "phone": "0571-86210001",
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
        "phone": "0571-88730002",
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
        "phone": "0571-86310003",
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


def _region(name, name_en, level, parent):
    found = Region.objects.filter(parent=parent, name=name).first()
    return found or region_create(
        actor=None, name=name, name_en=name_en, level=level, parent=parent
    )


def regions() -> dict[str, Region]:
    """The district's regions by name, made if missing (in the same order every time)."""
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
                "phone": spec["phone"],
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


def load_demo() -> dict:
    """The regions, centers and spaces (nothing is made twice)."""
    _centers(regions())
    return {}


def is_empty() -> bool:
    return not Region.objects.exists()


def figures() -> dict:
    return {
        "regions": Region.objects.count(),
        "centers": ServiceCenter.objects.count(),
        "spaces": Space.objects.count(),
    }
