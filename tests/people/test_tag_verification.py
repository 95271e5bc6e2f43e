"""Verified group tags (issue 13, point 14): staff of the person's region mark a declared
party membership or new-employment work verified (who and when, audited), in the service,
on the person's page and over the staff API; changed details make it the person's word
again."""

import pytest

from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.people import services
from dangqun.people.models import PersonTag, StaffRole
from tests import factories
from tests.clients import Api, page_client

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
PARTY = PersonTag.Tag.PARTY_MEMBER


@pytest.fixture
def member(district):
    person = factories.PersonFactory(name="王党员", home_region=district.minfeng)
    factories.tag(person, PARTY, home_branch="民丰村党支部")
    factories.tag(person, PersonTag.Tag.ELDER)
    return person


@pytest.fixture
def xianlin_staff(district):
    return factories.staff(
        Role.CENTER_STAFF, district.xianlin, center=district.xianlin_center, name="闲林员工"
    )


@pytest.fixture
def cangqian_staff(district):
    return factories.staff(
        Role.CENTER_STAFF, district.cangqian, center=district.cangqian_center, name="仓前员工"
    )


def audit_actions(person) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="people.person", object_id=str(person.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- the service -----------------------------------------------------------------------


def test_staff_of_the_region_verify_a_declared_group(member, xianlin_staff):
    tag = services.person_tag_verify(actor=xianlin_staff, person=member, tag=PARTY)
    tag.refresh_from_db()
    assert tag.is_verified and tag.verified_by == xianlin_staff
    entry = AuditEntry.objects.get(action="person.tag_verify")
    assert (entry.actor_id, entry.object_id, entry.data) == (
        xianlin_staff.pk,
        str(member.pk),
        {"tag": PARTY},
    )


def test_staff_of_another_region_cannot_verify(member, cangqian_staff):
    with pytest.raises(NotFound):
        services.person_tag_verify(actor=cangqian_staff, person=member, tag=PARTY)
    assert not member.tags.get(tag=PARTY).is_verified


def test_partner_staff_cannot_verify(member, district):
    partner = factories.staff(Role.PARTNER_STAFF, district.xianlin)
    with pytest.raises(NotFound):
        services.person_tag_verify(actor=partner, person=member, tag=PARTY)


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        (PersonTag.Tag.ELDER, "tag_not_verifiable"),
        (PersonTag.Tag.NEW_EMPLOYMENT, "tag_not_held"),
        ("astronaut", "tag_not_verifiable"),
    ],
)
def test_only_a_held_verifiable_group_can_be_verified(member, xianlin_staff, tag, code):
    with pytest.raises(ValidationFailed) as refused:
        services.person_tag_verify(actor=xianlin_staff, person=member, tag=tag)
    assert (refused.value.code, refused.value.field) == (code, "tag")
    assert "person.tag_verify" not in audit_actions(member)


def test_verifying_twice_is_refused_and_taking_back_is_audited(member, xianlin_staff):
    services.person_tag_verify(actor=xianlin_staff, person=member, tag=PARTY)
    with pytest.raises(ValidationFailed):
        services.person_tag_verify(actor=xianlin_staff, person=member, tag=PARTY)
    services.person_tag_unverify(actor=xianlin_staff, person=member, tag=PARTY)
    tag = member.tags.get(tag=PARTY)
    assert (tag.verified_at, tag.verified_by) == (None, None)
    assert audit_actions(member)[-2:] == ["person.tag_verify", "person.tag_unverify"]


def test_saving_the_profile_unchanged_keeps_the_verification(member, xianlin_staff):
    services.person_tag_verify(actor=xianlin_staff, person=member, tag=PARTY)
    services.person_tags_set(
        actor=member,
        person=member,
        tags={PARTY: {"home_branch": "民丰村党支部"}, PersonTag.Tag.ELDER: {}},
    )
    assert member.tags.get(tag=PARTY).is_verified


def test_changed_details_make_the_group_the_persons_word_again(member, xianlin_staff):
    services.person_tag_verify(actor=xianlin_staff, person=member, tag=PARTY)
    services.person_tags_set(actor=member, person=member, tags={PARTY: {"home_branch": "别的支部"}})
    tag = member.tags.get(tag=PARTY)
    assert tag.home_branch == "别的支部" and not tag.is_verified


# --- the person's page ---------------------------------------------------------------


def test_the_person_page_shows_a_declared_group_and_verifies_it(member, xianlin_staff):
    client = page_client(xianlin_staff)
    url = f"/staff/people/{member.public_id}/"
    page = client.get(url).content.decode()
    assert '<span class="badge declared">self-declared</span>' in page
    assert f'action="{url}groups/party_member/verify/"' in page
    assert "groups/elder/verify/" not in page  # an elder is what the person says

    response = client.post(f"{url}groups/party_member/verify/")
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url).content.decode()
    assert "The group is verified." in page
    assert '<span class="badge verified">verified</span>' in page
    assert "by 闲林员工 on" in page
    assert "Take back" in page


def test_the_verify_button_is_post_only_and_404_outside_the_region(member, cangqian_staff):
    url = f"/staff/people/{member.public_id}/groups/party_member/verify/"
    assert page_client(cangqian_staff).post(url).status_code == 404
    assert page_client(cangqian_staff).get(url).status_code in (404, 405)
    assert not member.tags.get(tag=PARTY).is_verified


def test_a_refused_verification_says_why_on_the_page(member, xianlin_staff):
    client = page_client(xianlin_staff)
    client.post(f"/staff/people/{member.public_id}/groups/party_member/verify/")
    response = client.post(
        f"/staff/people/{member.public_id}/groups/party_member/verify/", follow=True
    )
    assert "This group is verified already." in response.content.decode()


def test_the_page_in_chinese(member, xianlin_staff):
    client = page_client(xianlin_staff, language="zh-hans")
    page = client.get(f"/staff/people/{member.public_id}/").content.decode()
    assert "本人自报" in page and "身份核实" in page


# --- the staff API ---------------------------------------------------------------------


def staff_api(person) -> Api:
    return Api(person, base="/staff")


def test_the_api_verifies_and_takes_back(member, xianlin_staff):
    api = staff_api(xianlin_staff)
    path = f"/persons/{member.public_id}/groups/party_member/verify"
    response = api.post(path)
    assert response.status_code == 200
    body = response.json()
    assert (body["tag"], body["verifiable"], body["verified"]) == (PARTY, True, True)
    assert body["verified_at"]

    person = api.get(f"/persons/{member.public_id}").json()
    groups = {g["tag"]: g for g in person["groups"]}
    assert groups[PARTY]["verified"] is True
    assert groups["elder"] == {
        "tag": "elder",
        "verifiable": False,
        "verified": False,
        "verified_at": None,
    }

    response = api.delete(path)
    assert response.status_code == 200 and response.json()["verified"] is False


@pytest.mark.parametrize(
    ("tag", "status", "code"),
    [("elder", 400, "tag_not_verifiable"), ("new_employment", 400, "tag_not_held")],
)
def test_the_api_refuses_what_cannot_be_verified(member, xianlin_staff, tag, status, code):
    response = staff_api(xianlin_staff).post(f"/persons/{member.public_id}/groups/{tag}/verify")
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["field"] == "tag"


def test_the_api_is_404_outside_the_region_and_for_anyone_unknown(member, cangqian_staff):
    api = staff_api(cangqian_staff)
    assert api.post(f"/persons/{member.public_id}/groups/party_member/verify").status_code == 404
    unknown = "00000000-0000-0000-0000-000000000000"
    assert api.post(f"/persons/{unknown}/groups/party_member/verify").status_code == 404
    assert not member.tags.get(tag=PARTY).is_verified


def test_the_api_needs_sign_in(member):
    response = Api().post(f"/staff/persons/{member.public_id}/groups/party_member/verify")
    assert response.status_code == 401


def test_the_counter_shows_a_declared_group_as_such(member, xianlin_staff):
    client = page_client(xianlin_staff)
    page = client.get(f"/staff/intake/counter/{member.public_id}/").content.decode()
    assert '<span class="badge declared">Party member · self-declared</span>' in page
    assert '<span class="badge">Elder</span>' in page  # not a group staff verify
    services.person_tag_verify(actor=xianlin_staff, person=member, tag=PARTY)
    page = client.get(f"/staff/intake/counter/{member.public_id}/").content.decode()
    assert '<span class="badge verified">Party member · verified</span>' in page
