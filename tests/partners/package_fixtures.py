"""Service packages for the tests: a street's package for elders (60+) with an item, the
activities of a kind and a space; people who fit it and people who do not."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from dangqun.partners import packages
from tests import factories


@dataclass
class Scene:
    tree: object
    staff: object
    other_staff: object
    item: object
    other_item: object
    space: object
    activity: object
    package: object
    elder: object
    rider: object
    stranger: object


def born_aged(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=30)


def scene() -> Scene:
    tree = factories.district_tree()
    staff = factories.staff("street_admin", tree.xianlin)
    other_staff = factories.staff("street_admin", tree.cangqian)
    item = factories.service_item(
        tree.xianlin_center,
        code="elder-health-check",
        name="老年人体检预约",
        name_en="Health check",
    )
    other_item = factories.service_item(tree.xianlin_center, code="party-transfer")
    space = factories.SpaceFactory(
        center=tree.xianlin_center, name="老年食堂", name_en="Elder canteen", is_bookable=True
    )
    activity = factories.activity(tree.xianlin_center, kind="convenience", title="义诊进社区")
    package = packages.package_create(
        actor=staff,
        region=tree.xianlin,
        name="银龄服务包",
        name_en="Elder package",
        target_groups=["elder"],
        min_age=60,
        entries=[
            {"kind": "item", "reference": item.code},
            {"kind": "activity_kind", "reference": "convenience"},
            {"kind": "space", "reference": str(space.pk)},
        ],
    )
    elder = factories.PersonFactory(
        name="王奶奶", birth_date=born_aged(70), home_region=tree.minfeng
    )
    factories.tag(elder, "elder")
    rider = factories.PersonFactory(name="李骑手", birth_date=born_aged(30))
    factories.tag(rider, "new_employment")
    stranger = factories.PersonFactory(name="张三", birth_date=born_aged(70))
    return Scene(
        tree, staff, other_staff, item, other_item, space, activity, package, elder, rider, stranger
    )
