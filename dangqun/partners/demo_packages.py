"""The demo's two service packages (issue 16): one for elders (60 and over) run by the
district, one for new-employment workers (riders, couriers, drivers) run by Cangqian
Street, each with real items, activity kinds and spaces of the other apps' demos. Loaded
after the intake, activities and bookings demos; a package already there is left alone,
and a thing a demo did not make is left out."""

from dangqun.people.models import Person, StaffRole
from dangqun.places.models import Region, Space

from . import packages
from .models import ServicePackage
from .package_sources import source

# (region name, name, name_en, description, groups, min age, entries: (kind, reference);
#  a space is named by (center slug, space name))
PACKAGES = [
    (
        "余杭区",
        "银龄关爱服务包",
        "Silver-age care package",
        "为60岁及以上老年人打包：老年食堂助餐、志愿者上门帮扶、法律咨询，"
        "便民服务和特色活动，以及老年食堂、居养中心。",
        ["elder"],
        60,
        [
            ("item", "elderly-canteen-meals"),
            ("item", "volunteer-help"),
            ("item", "legal-consultation"),
            ("activity_kind", "convenience"),
            ("activity_kind", "featured"),
            ("space", ("xianlin", "老年食堂")),
            ("space", ("xianlin", "居养中心")),
        ],
    ),
    (
        "仓前街道",
        "新就业群体暖心服务包",
        "New-employment workers' package",
        "外卖骑手、快递员、网约车和货运司机的服务包：小哥困难帮扶、充换电间报修，"
        "安全骑行培训等活动，24小时智能充换电间。",
        ["new_employment"],
        None,
        [
            ("item", "rider-assistance"),
            ("item", "charging-room-fault"),
            ("activity_kind", "training"),
            ("activity_kind", "volunteer"),
            ("space", ("cangqian-new-employment", "24小时智能充换电间")),
        ],
    ),
]


def _admin():
    role = (
        StaffRole.objects.filter(role=StaffRole.Role.DISTRICT_ADMIN)
        .select_related("person")
        .order_by("-person__is_demo", "id")
        .first()
    )
    return role.person if role else Person.objects.filter(is_superuser=True).first()


def _reference(kind, reference, region):
    if kind == "space":
        slug, name = reference
        space = Space.objects.filter(center__slug=slug, name=name).first()
        reference = str(space.pk) if space else ""
    found = source(kind)
    return found.check(reference, region) if found and reference else None


def load_demo() -> dict:
    admin = _admin()
    created = 0
    for region_name, name, name_en, description, groups, min_age, entries in PACKAGES:
        region = Region.objects.filter(name=region_name).order_by("path").first()
        if region is None or admin is None:
            continue
        if ServicePackage.objects.filter(region=region, name=name).exists():
            continue
        kept = [
            (kind, ref) for kind, r in entries if (ref := _reference(kind, r, region)) is not None
        ]
        packages.package_create(
            actor=admin,
            region=region,
            name=name,
            name_en=name_en,
            description=description,
            target_groups=groups,
            min_age=min_age,
            entries=kept,
        )
        created += 1
    return {"service_packages_created": created}
