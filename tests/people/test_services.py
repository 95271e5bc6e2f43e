"""people.services: profiles, group tags, staff roles and audited looks at full numbers."""

from datetime import date

import pytest

from dangqun.core import crypto
from dangqun.core.errors import PermissionDenied, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.people import services
from dangqun.people.models import Person, PersonTag, StaffRole
from tests import factories

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
NUMBER = factories.resident_id("33011019580304123")


def actions(person) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(person.pk), object_type="people.person")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- accounts ----------------------------------------------------------------------


def test_a_new_account_needs_consent():
    with pytest.raises(ValidationFailed) as caught:
        services.person_get_or_create(mobile="13812341234")
    assert caught.value.field == "consent"
    assert not Person.objects.exists()
    person, created = services.person_get_or_create(mobile="+86 138 1234 1234", consent=True)
    assert created and person.mobile == "13812341234"
    assert person.privacy_consent_at is not None
    assert actions(person) == ["person.register"]
    again, created = services.person_get_or_create(mobile="13812341234")
    assert again == person and not created


# --- profile -----------------------------------------------------------------------


def test_profile_update_stores_the_id_encrypted(person, district):
    services.person_update_profile(
        actor=person,
        person=person,
        name="  王小明 ",
        home_region=district.minfeng,
        resident_id=NUMBER.lower(),
    )
    person.refresh_from_db()
    assert person.name == "王小明"
    assert person.home_region == district.minfeng
    assert person.resident_id() == NUMBER
    assert NUMBER not in person.resident_id_encrypted
    assert person.resident_id_index == crypto.blind_index(NUMBER)
    assert person.resident_id_masked == "330110********" + NUMBER[-4:]
    assert person.birth_date == date(1958, 3, 4)  # read from the number
    entry = AuditEntry.objects.get(action="person.update_profile")
    assert entry.data == {"resident_id_changed": True}
    assert NUMBER not in str(entry.data)


def test_resident_id_none_keeps_it_and_empty_removes_it(person):
    services.person_update_profile(actor=person, person=person, name="甲", resident_id=NUMBER)
    services.person_update_profile(actor=person, person=person, name="乙", resident_id=None)
    person.refresh_from_db()
    assert person.resident_id() == NUMBER
    services.person_update_profile(actor=person, person=person, name="丙", resident_id="")
    person.refresh_from_db()
    assert person.resident_id() == ""
    assert person.resident_id_index == "" and person.resident_id_masked == ""


def test_the_same_resident_id_cannot_belong_to_two_accounts(person):
    other = factories.PersonFactory()
    services.person_update_profile(actor=other, person=other, name="甲", resident_id=NUMBER)
    with pytest.raises(ValidationFailed) as caught:
        services.person_update_profile(actor=person, person=person, name="乙", resident_id=NUMBER)
    assert caught.value.field == "resident_id"
    # Saving one's own number again is fine.
    services.person_update_profile(actor=other, person=other, name="甲", resident_id=NUMBER)


@pytest.mark.parametrize(
    ("birth_date", "field"),
    [
        (date(1958, 3, 5), "birth_date"),  # contradicts the number
        ("1958-13-01", "birth_date"),
        (date(1899, 12, 31), "birth_date"),
        (date(2999, 1, 1), "birth_date"),
    ],
)
def test_bad_birth_dates_are_refused(person, birth_date, field):
    resident_id = NUMBER if birth_date == date(1958, 3, 5) else None
    with pytest.raises(ValidationFailed) as caught:
        services.person_update_profile(
            actor=person, person=person, name="甲", birth_date=birth_date, resident_id=resident_id
        )
    assert caught.value.field == field


def test_a_name_is_required_and_bounded(person):
    for name in ("", "   ", "名" * 51):
        with pytest.raises(ValidationFailed) as caught:
            services.person_update_profile(actor=person, person=person, name=name)
        assert caught.value.field == "name"


def test_profile_save_is_all_or_nothing(person):
    before = person.name
    with pytest.raises(ValidationFailed) as caught:
        services.person_profile_save(
            actor=person,
            person=person,
            name="新名字",
            resident_id=NUMBER,
            tags={"new_employment": {"trade": ""}},
        )
    assert caught.value.field == "trade"
    person.refresh_from_db()
    assert person.name == before
    assert person.resident_id_encrypted == ""
    assert not person.tags.exists()
    assert not AuditEntry.objects.filter(action="person.update_profile").exists()


def test_profile_save_with_tags(person):
    services.person_profile_save(
        actor=person,
        person=person,
        name="新名字",
        tags={"new_employment": {"trade": "courier", "platform": " 顺丰 "}},
    )
    person.refresh_from_db()
    assert person.name == "新名字"
    tag = person.tags.get()
    assert (tag.tag, tag.trade, tag.platform) == ("new_employment", "courier", "顺丰")


def test_profile_save_without_tags_leaves_them(person):
    factories.tag(person, "elder")
    services.person_profile_save(actor=person, person=person, name="新名字", tags=None)
    assert list(person.tags.values_list("tag", flat=True)) == ["elder"]


# --- tags --------------------------------------------------------------------------


def test_tags_are_set_and_replaced(person):
    services.person_tags_set(
        actor=person,
        person=person,
        tags={
            "party_member": {"home_branch": "民丰村党支部", "trade": "courier"},
            "elder": {"home_branch": "不该保存"},
        },
    )
    tags = {t.tag: t for t in person.tags.all()}
    assert set(tags) == {"party_member", "elder"}
    assert tags["party_member"].home_branch == "民丰村党支部"
    assert tags["party_member"].trade == ""  # a detail only riders have
    assert tags["elder"].home_branch == ""
    first_added = tags["party_member"].added_at

    services.person_tags_set(
        actor=person,
        person=person,
        tags={"party_member": {"home_branch": "闲林街道党工委"}, "volunteer": {}},
    )
    tags = {t.tag: t for t in person.tags.all()}
    assert set(tags) == {"party_member", "volunteer"}
    assert tags["party_member"].home_branch == "闲林街道党工委"
    assert tags["party_member"].added_at == first_added  # kept, not re-created
    assert PersonTag.objects.filter(person=person).count() == 2

    services.person_tags_set(actor=person, person=person, tags={})
    assert not person.tags.exists()
    assert actions(person).count("person.tags_set") == 3


def test_an_unknown_tag_changes_nothing(person):
    factories.tag(person, "elder")
    with pytest.raises(ValidationFailed) as caught:
        services.person_tags_set(actor=person, person=person, tags={"elder": {}, "boss": {}})
    assert caught.value.field == "tags"
    assert list(person.tags.values_list("tag", flat=True)) == ["elder"]


@pytest.mark.parametrize("trade", ["", "astronaut", None])
def test_a_rider_needs_a_known_trade(person, trade):
    with pytest.raises(ValidationFailed) as caught:
        services.person_tags_set(
            actor=person, person=person, tags={"new_employment": {"trade": trade}}
        )
    assert caught.value.field == "trade"
    assert not person.tags.exists()


def test_tags_of_one_person_leave_others_alone(person):
    other = factories.PersonFactory()
    factories.tag(other, "elder")
    services.person_tags_set(actor=person, person=person, tags={"volunteer": {}})
    assert list(other.tags.values_list("tag", flat=True)) == ["elder"]


# --- staff roles -------------------------------------------------------------------


def test_district_admin_grants_any_role_in_the_district(district):
    admin = factories.staff(Role.DISTRICT_ADMIN, district.district)
    for role, region in [
        (Role.DISTRICT_ADMIN, district.district),
        (Role.STREET_ADMIN, district.cangqian),
        (Role.PARTNER_STAFF, district.yunhui),
    ]:
        member = factories.PersonFactory()
        grant = services.staff_role_grant(actor=admin, person=member, role=role, region=region)
        assert (grant.role, grant.region, grant.granted_by) == (role, region, admin)
        assert actions(member) == ["staff_role.grant"]


def test_street_admin_grants_only_lower_roles_in_own_street(district):
    admin = factories.staff(Role.STREET_ADMIN, district.xianlin)
    member = factories.PersonFactory()
    services.staff_role_grant(
        actor=admin,
        person=member,
        role=Role.CENTER_STAFF,
        region=district.xianlin,
        center=district.xianlin_center,
    )
    services.staff_role_grant(
        actor=admin, person=member, role=Role.PARTNER_STAFF, region=district.minfeng
    )
    for role, region in [
        (Role.DISTRICT_ADMIN, district.xianlin),
        (Role.STREET_ADMIN, district.xianlin),
        (Role.PARTNER_STAFF, district.cangqian),
        (Role.PARTNER_STAFF, district.yunhui),
        (Role.PARTNER_STAFF, district.district),
    ]:
        with pytest.raises(PermissionDenied) as caught:
            services.staff_role_grant(actor=admin, person=member, role=role, region=region)
        assert caught.value.field == "role"
    assert StaffRole.objects.filter(person=member).count() == 2


@pytest.mark.parametrize("role", [Role.CENTER_STAFF, Role.PARTNER_STAFF])
def test_staff_below_admins_grant_nothing(district, role):
    worker = factories.staff(role, district.xianlin, district.xianlin_center)
    with pytest.raises(PermissionDenied):
        services.staff_role_grant(
            actor=worker,
            person=factories.PersonFactory(),
            role=Role.PARTNER_STAFF,
            region=district.xianlin,
        )


def test_a_resident_grants_nothing(district, person):
    with pytest.raises(PermissionDenied):
        services.staff_role_grant(
            actor=person, person=person, role=Role.DISTRICT_ADMIN, region=district.district
        )
    assert not StaffRole.objects.filter(person=person).exists()


def test_a_superuser_grants_anything(district):
    root = Person.objects.create_superuser("13900000000", "a-long-root-password")
    grant = services.staff_role_grant(
        actor=root,
        person=factories.PersonFactory(),
        role=Role.DISTRICT_ADMIN,
        region=district.district,
    )
    assert grant.granted_by == root


def test_center_staff_needs_a_center_inside_the_region(district):
    admin = factories.staff(Role.DISTRICT_ADMIN, district.district)
    member = factories.PersonFactory()
    with pytest.raises(ValidationFailed) as caught:
        services.staff_role_grant(
            actor=admin, person=member, role=Role.CENTER_STAFF, region=district.xianlin
        )
    assert caught.value.field == "center"
    with pytest.raises(ValidationFailed) as caught:
        services.staff_role_grant(
            actor=admin,
            person=member,
            role=Role.CENTER_STAFF,
            region=district.xianlin,
            center=district.cangqian_center,
        )
    assert caught.value.field == "center"
    assert not StaffRole.objects.filter(person=member).exists()


def test_an_unknown_role_and_a_duplicate_grant_are_refused(district):
    admin = factories.staff(Role.DISTRICT_ADMIN, district.district)
    member = factories.PersonFactory()
    with pytest.raises(ValidationFailed):
        services.staff_role_grant(actor=admin, person=member, role="king", region=district.xianlin)
    services.staff_role_grant(
        actor=admin, person=member, role=Role.STREET_ADMIN, region=district.xianlin
    )
    with pytest.raises(ValidationFailed) as caught:
        services.staff_role_grant(
            actor=admin, person=member, role=Role.STREET_ADMIN, region=district.xianlin
        )
    assert caught.value.field == "role"
    assert StaffRole.objects.filter(person=member).count() == 1


def test_revoking_follows_the_same_rules(district):
    street_admin = factories.staff(Role.STREET_ADMIN, district.xianlin)
    district_admin = factories.staff(Role.DISTRICT_ADMIN, district.district)
    worker = factories.staff(Role.CENTER_STAFF, district.xianlin, district.xianlin_center)
    peer = factories.staff(Role.STREET_ADMIN, district.xianlin)
    with pytest.raises(PermissionDenied):
        services.staff_role_revoke(actor=street_admin, grant=peer.staff_roles.get())
    services.staff_role_revoke(actor=street_admin, grant=worker.staff_roles.get())
    services.staff_role_revoke(actor=district_admin, grant=peer.staff_roles.get())
    assert not StaffRole.objects.filter(person__in=[worker, peer]).exists()
    assert actions(worker) == ["staff_role.revoke"]
    assert actions(peer) == ["staff_role.revoke"]
    assert AuditEntry.objects.get(action="staff_role.revoke", object_id=str(peer.pk)).actor == (
        district_admin
    )


# --- looks at full numbers ---------------------------------------------------------


def test_revealing_the_id_is_audited_with_the_reason(district):
    admin = factories.staff(Role.STREET_ADMIN, district.xianlin)
    resident = factories.PersonFactory(home_region=district.minfeng)
    resident.set_resident_id(NUMBER)
    resident.save()
    shown = services.person_reveal_resident_id(
        actor=admin, person=resident, reason="  办理养老补贴  "
    )
    assert shown == NUMBER
    entry = AuditEntry.objects.get(action="person.reveal_resident_id")
    assert entry.actor == admin
    assert entry.object_id == str(resident.pk)
    assert entry.data == {"reason": "办理养老补贴"}
    assert NUMBER not in str(entry.data)


def test_a_reason_over_200_characters_is_refused_not_cut(district, person):
    with pytest.raises(ValidationFailed) as caught:
        services.person_reveal_mobile(actor=person, person=person, reason="因" * 201)
    assert caught.value.field == "reason"
    assert not AuditEntry.objects.filter(action="person.reveal_mobile").exists()
    services.person_reveal_mobile(actor=person, person=person, reason="因" * 200)
    assert len(AuditEntry.objects.get(action="person.reveal_mobile").data["reason"]) == 200


def test_group_details_too_long_are_refused_not_cut(person):
    with pytest.raises(ValidationFailed) as caught:
        services.person_tags_set(
            actor=person,
            person=person,
            tags={PersonTag.Tag.PARTY_MEMBER: {"home_branch": "支" * 121}},
        )
    assert caught.value.field == "home_branch"
    assert not person.tags.exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_no_reason_no_look(person, reason):
    person.set_resident_id(NUMBER)
    person.save()
    for reveal in (services.person_reveal_resident_id, services.person_reveal_mobile):
        with pytest.raises(ValidationFailed) as caught:
            reveal(actor=person, person=person, reason=reason)
        assert caught.value.field == "reason"
    assert not AuditEntry.objects.filter(action__startswith="person.reveal").exists()


def test_revealing_the_mobile_is_audited(person):
    assert services.person_reveal_mobile(actor=person, person=person, reason="回访") == (
        person.mobile
    )
    assert actions(person) == ["person.reveal_mobile"]
