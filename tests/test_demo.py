"""The demo district holds the article's facts and marks every generated person."""

import pytest

from dangqun import demo
from dangqun.people.models import Person, StaffRole
from dangqun.places.models import Region, ServiceCenter


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return demo.load(residents=40)


def test_the_article_centers_and_spaces(loaded):
    xianlin = ServiceCenter.objects.get(slug="xianlin")
    assert xianlin.is_integrated and xianlin.area_m2 == 5000
    assert xianlin.opened_on.year == 2023 and xianlin.opened_on.month == 2
    assert sorted(xianlin.spaces.values_list("name", flat=True)) == sorted(
        [
            "暖流之家",
            "妇儿驿站",
            "“聚贤里”直播间",
            "创客空间",
            "老年食堂",
            "居养中心",
            "林下小芽托育中心",
            "草根文化展厅",
        ]
    )
    charging = ServiceCenter.objects.get(slug="cangqian-new-employment").spaces.get()
    assert charging.kind.code == "charging_room" and charging.effective_hours == ["24h"] * 7
    assert ServiceCenter.objects.get(slug="renhe").region.name == "仁和街道"


def test_the_tree_of_regions(loaded):
    district = Region.objects.get(level="district")
    streets = set(Region.objects.filter(parent=district).values_list("name", flat=True))
    assert streets == {"闲林街道", "仓前街道", "仁和街道"}
    renhe_villages = Region.objects.filter(parent__name="仁和街道").values_list("name", flat=True)
    assert set(renhe_villages) == {"云会村", "普宁村", "渔公桥村"}
    assert all(r.path.startswith(district.path) for r in Region.objects.all())


def test_every_demo_person_is_marked_and_ids_are_valid(loaded):
    from dangqun.partners.demo_mobile import MEMBERS
    from dangqun.people.identity import normalize_resident_id

    assert Person.objects.count() == 40 + 7 + len(MEMBERS)
    assert not Person.objects.filter(is_demo=False).exists()
    with_ids = Person.objects.exclude(resident_id_encrypted="")
    assert with_ids.exists()
    for person in with_ids:
        assert normalize_resident_id(person.resident_id()) == person.resident_id()


def test_demo_staff_can_use_the_generated_password(loaded, settings):
    admin = Person.objects.get(mobile=demo.DEMO_STAFF_MOBILE)
    assert admin.check_password(demo.demo_password())
    assert (settings.VAR_DIR / "demo-staff-password").stat().st_mode & 0o077 == 0
    assert StaffRole.objects.get(person=admin).role == StaffRole.Role.DISTRICT_ADMIN
    assert StaffRole.objects.filter(role=StaffRole.Role.STREET_ADMIN).count() == 3
