"""dangqun.people.access: the one module that decides which rows a member of staff sees."""

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser

from dangqun.core.errors import NotFound
from dangqun.core.models import AuditEntry
from dangqun.people import access
from dangqun.people.models import Person, StaffRole
from dangqun.places.models import Region, ServiceCenter, Space
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(district):
    """The district tree, a center in each village, a space in each center and a resident
    in each region."""
    district.minfeng_center = factories.CenterFactory(region=district.minfeng, slug="minfeng")
    district.yunhui_center = factories.CenterFactory(region=district.yunhui, slug="yunhui")
    district.spaces = {
        center.slug: factories.SpaceFactory(center=center) for center in ServiceCenter.objects.all()
    }
    district.residents = {
        region.name: factories.PersonFactory(home_region=region) for region in Region.objects.all()
    }
    return district


def fresh(person):
    """The person as a new request would load them, without cached roles."""
    return Person.objects.get(pk=person.pk)


def names(queryset):
    return {str(obj) for obj in queryset}


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def resident_regions(queryset):
    return set(queryset.values_list("home_region__name", flat=True))


# scope(), model by model


def test_street_admin_sees_regions_of_the_street_and_below(world):
    admin = factories.staff("street_admin", world.xianlin)
    assert names(access.scope(admin, Region.objects.all())) == {"闲林街道", "民丰村"}
    assert names(access.visible_regions(admin)) == {"闲林街道", "民丰村"}


def test_street_admin_sees_centers_of_the_street_and_its_villages(world):
    admin = factories.staff("street_admin", world.xianlin)
    assert slugs(access.scope(admin, ServiceCenter.objects.all())) == {"xianlin", "minfeng"}


def test_street_admin_sees_spaces_of_those_centers(world):
    admin = factories.staff("street_admin", world.xianlin)
    visible = access.scope(admin, Space.objects.all())
    assert set(visible) == {world.spaces["xianlin"], world.spaces["minfeng"]}


def test_street_admin_sees_residents_of_the_street_and_its_villages(world):
    admin = factories.staff("street_admin", world.cangqian)
    assert resident_regions(access.scope(admin, Person.objects.all())) == {"仓前街道", "云会村"}


def test_staff_roles_are_seen_only_by_admins(world):
    street = factories.staff("street_admin", world.xianlin)
    worker = factories.staff("center_staff", world.minfeng, center=world.minfeng_center)
    factories.staff("partner_staff", world.yunhui)

    visible = access.scope(street, StaffRole.objects.all())
    assert {(r.role, r.region.name) for r in visible} == {
        ("street_admin", "闲林街道"),
        ("center_staff", "民丰村"),
    }
    assert not access.scope(worker, StaffRole.objects.all()).exists()


def test_district_admin_sees_everything_in_the_district(world):
    admin = factories.staff("district_admin", world.district)
    assert access.scope(admin, Region.objects.all()).count() == Region.objects.count()
    assert access.scope(admin, ServiceCenter.objects.all()).count() == 4
    assert access.scope(admin, Space.objects.all()).count() == 4
    assert resident_regions(access.scope(admin, Person.objects.all())) == {
        "余杭区",
        "闲林街道",
        "仓前街道",
        "民丰村",
        "云会村",
    }


def test_people_without_a_home_region_are_in_no_ones_scope(world):
    admin = factories.staff("district_admin", world.district)
    homeless = factories.PersonFactory()
    assert homeless not in access.scope(admin, Person.objects.all())


def test_center_staff_of_a_village_sees_only_that_village(world):
    worker = factories.staff("center_staff", world.minfeng, center=world.minfeng_center)
    assert names(access.scope(worker, Region.objects.all())) == {"民丰村"}
    assert slugs(access.scope(worker, ServiceCenter.objects.all())) == {"minfeng"}
    assert set(access.scope(worker, Space.objects.all())) == {world.spaces["minfeng"]}
    assert resident_regions(access.scope(worker, Person.objects.all())) == {"民丰村"}


def test_partner_staff_sees_places_but_no_people(world):
    partner = factories.staff("partner_staff", world.xianlin)
    assert slugs(access.scope(partner, ServiceCenter.objects.all())) == {"xianlin", "minfeng"}
    assert not access.scope(partner, Person.objects.all()).exists()
    assert not access.scope(partner, StaffRole.objects.all()).exists()


def test_a_person_without_roles_sees_nothing(world):
    resident = world.residents["民丰村"]
    for model in (Region, ServiceCenter, Space, Person, StaffRole):
        assert not access.scope(resident, model.objects.all()).exists(), model


def test_roles_of_two_streets_add_up(world):
    person = factories.staff("street_admin", world.xianlin)
    StaffRole.objects.create(person=person, role="center_staff", region=world.yunhui)
    person = fresh(person)
    assert slugs(access.scope(person, ServiceCenter.objects.all())) == {
        "xianlin",
        "minfeng",
        "yunhui",
    }


def test_roles_argument_narrows_the_roles_that_count(world):
    person = factories.staff("partner_staff", world.cangqian)
    StaffRole.objects.create(person=person, role="center_staff", region=world.minfeng)
    person = fresh(person)
    managed = access.scope(person, ServiceCenter.objects.all(), roles=access.MANAGERS)
    assert slugs(managed) == {"minfeng"}
    assert slugs(access.scope(person, ServiceCenter.objects.all())) == {
        "minfeng",
        "cangqian",
        "yunhui",
    }


def test_a_region_whose_id_starts_alike_is_not_inside(world):
    # The path "/1/2/" must not take in "/1/27/".
    pk = int(f"{world.xianlin.pk}7")
    lookalike = Region.objects.create(
        pk=pk,
        name="仿冒街道",
        level=Region.Level.STREET,
        parent=world.district,
        path=f"{world.district.path}{pk}/",
    )
    factories.CenterFactory(region=lookalike, slug="lookalike")
    admin = factories.staff("street_admin", world.xianlin)
    assert "lookalike" not in slugs(access.scope(admin, ServiceCenter.objects.all()))
    assert not access.covers(admin, lookalike)


def test_superuser_sees_everything(world):
    root = Person.objects.create_superuser("13700000000", "a-long-password")
    factories.PersonFactory()  # without a home region
    for model in (Region, ServiceCenter, Space, Person, StaffRole):
        assert access.scope(root, model.objects.all()).count() == model.objects.count(), model
    assert access.covers(root, None)
    assert access.is_staff(root)
    assert access.has_role(root, access.ADMINS)


def test_scope_refuses_a_model_nobody_registered(world):
    admin = factories.staff("district_admin", world.district)
    with pytest.raises(KeyError):
        access.scope(admin, AuditEntry.objects.all())


# get_or_404()


def test_get_or_404_returns_a_row_in_scope(world):
    admin = factories.staff("street_admin", world.xianlin)
    resident = world.residents["民丰村"]
    found = access.get_or_404(admin, Person.objects.all(), public_id=resident.public_id)
    assert found == resident


def test_get_or_404_out_of_scope_and_missing_raise_the_same(world):
    admin = factories.staff("street_admin", world.xianlin)
    outside = world.residents["云会村"]
    errors = []
    for public_id in (outside.public_id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFound) as caught:
            access.get_or_404(admin, Person.objects.all(), public_id=public_id)
        errors.append(caught.value.as_dict())
    assert errors[0] == errors[1] == errors[2]
    assert errors[0]["code"] == "not_found"

    with pytest.raises(NotFound):
        access.get_or_404(admin, ServiceCenter.objects.all(), slug="cangqian")
    with pytest.raises(NotFound):
        access.get_or_404(admin, Space.objects.all(), pk="abc")


def test_get_or_404_with_roles_needs_one_of_those_roles(world):
    partner = factories.staff("partner_staff", world.xianlin)
    assert access.get_or_404(partner, ServiceCenter.objects.all(), slug="xianlin")
    with pytest.raises(NotFound):
        access.get_or_404(
            partner, ServiceCenter.objects.all(), roles=access.MANAGERS, slug="xianlin"
        )


# covers(), is_staff(), has_role()


def test_covers(world):
    admin = factories.staff("street_admin", world.xianlin)
    assert access.covers(admin, world.xianlin)
    assert access.covers(admin, world.minfeng)
    assert not access.covers(admin, world.district)
    assert not access.covers(admin, world.cangqian)
    assert not access.covers(admin, world.yunhui)
    assert not access.covers(admin, None)
    assert not access.covers(admin, world.minfeng, roles=access.ADMINS - {"street_admin"})


def test_covers_for_a_person_without_roles(world):
    assert not access.covers(world.residents["民丰村"], world.minfeng)


def test_is_staff_and_has_role(world):
    partner = factories.staff("partner_staff", world.xianlin)
    worker = factories.staff("center_staff", world.minfeng, center=world.minfeng_center)
    resident = world.residents["民丰村"]
    assert access.is_staff(partner) and access.is_staff(worker)
    assert not access.is_staff(resident)
    assert not access.has_role(partner, access.MANAGERS)
    assert access.has_role(worker, access.MANAGERS)
    assert not access.has_role(worker, access.ADMINS)


def test_anonymous_user_sees_nothing(world):
    anonymous = AnonymousUser()
    assert access.roles_of(anonymous) == []
    assert not access.is_staff(anonymous)
    assert not access.scope(anonymous, ServiceCenter.objects.all()).exists()
