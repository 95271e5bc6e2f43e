"""Activities for verified members only (issue 13, point 14): the rule (eligibility), the
staff form and API that set it, and the registrants list that shows self-declared groups."""

import pytest
from django.utils import translation

from dangqun.activities import services
from dangqun.activities.models import Activity
from dangqun.people import services as people_services
from dangqun.people.models import PersonTag, StaffRole
from tests import clients, factories
from tests.activities.test_staff_api import payload
from tests.activities.test_staff_pages import (  # noqa: F401 (fixtures used by name)
    NEW,
    center_staff,
    field_error,
    form_data,
    open_centers,
    room,
    text,
    url,
)
from tests.clients import page_client

pytestmark = pytest.mark.django_db

Role = StaffRole.Role
PARTY = PersonTag.Tag.PARTY_MEMBER


@pytest.fixture
def verifier(district):
    return factories.staff(Role.STREET_ADMIN, district.xianlin, name="闲林管理员")


def member(district, *, tag=PARTY):
    person = factories.PersonFactory(home_region=district.minfeng)
    factories.tag(person, tag)
    return person


def verified_only(district, tags=(PARTY,)):
    return factories.activity(
        district.xianlin_center, eligible_tags=list(tags), requires_verified_tag=True, capacity=5
    )


# --- the rule --------------------------------------------------------------------------


def test_a_declared_party_member_is_refused_and_told_to_ask_staff(district):
    with translation.override("en"), pytest.raises(services.NotEligible) as refused:
        services.registration_create(actor=member(district), activity=verified_only(district))
    message = str(refused.value.message)
    assert message.startswith("This activity is for verified members of: Party member.")
    assert "ask them" in message


def test_a_verified_party_member_signs_up(district, verifier):
    person = member(district)
    people_services.person_tag_verify(actor=verifier, person=person, tag=PARTY)
    registration = services.registration_create(actor=person, activity=verified_only(district))
    assert registration.status == "confirmed"


def test_without_the_requirement_a_declared_member_signs_up(district):
    activity = factories.activity(district.xianlin_center, eligible_tags=[PARTY], capacity=5)
    registration = services.registration_create(actor=member(district), activity=activity)
    assert registration.status == "confirmed"


def test_a_group_staff_cannot_verify_counts_as_declared(district):
    activity = verified_only(district, tags=(PARTY, PersonTag.Tag.ELDER))
    elder = member(district, tag=PersonTag.Tag.ELDER)
    assert services.registration_create(actor=elder, activity=activity).status == "confirmed"


def test_someone_outside_the_groups_gets_the_groups_message(district):
    with translation.override("en"), pytest.raises(services.NotEligible) as refused:
        services.registration_create(
            actor=factories.PersonFactory(), activity=verified_only(district)
        )
    assert "Add your group on your profile" in str(refused.value.message)


# --- the staff API ---------------------------------------------------------------------


def staff_api(person):
    return clients.Api(person, base="/staff")


def test_the_api_creates_a_verified_only_activity(district, verifier):
    response = staff_api(verifier).post(
        "/activities", payload(eligible_tags=["party_member"], requires_verified_tag=True)
    )
    assert response.status_code == 201, response.content
    assert response.json()["requires_verified_tag"] is True
    assert Activity.objects.get().requires_verified_tag is True


def test_the_public_api_says_an_activity_is_for_verified_members_only(district):
    activity = verified_only(district)
    body = clients.Api().get(f"/activities/{activity.public_id}").json()
    assert (body["eligible_tags"], body["requires_verified_tag"]) == (["party_member"], True)


def test_the_api_refuses_verified_only_without_a_verifiable_group(district, verifier):
    response = staff_api(verifier).post(
        "/activities", payload(eligible_tags=["elder"], requires_verified_tag=True)
    )
    assert response.status_code == 400
    assert response.json()["field"] == "requires_verified_tag"
    assert not Activity.objects.exists()


# --- the staff form and the registrants list ------------------------------------------------


def test_the_form_sets_verified_members_only(open_centers, room, center_staff):  # noqa: F811
    client = page_client(center_staff)
    assert "Verified members only" in text(client.get(NEW))
    response = client.post(
        NEW, form_data(open_centers.xianlin_center, room, requires_verified_tag="on")
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.requires_verified_tag is True
    page = text(client.get(url(activity)))
    assert "verified members only" in page


def test_the_form_names_the_field_when_no_group_can_be_verified(open_centers, room, center_staff):  # noqa: F811
    response = page_client(center_staff).post(
        NEW,
        form_data(
            open_centers.xianlin_center, room, eligible_tags=["elder"], requires_verified_tag="on"
        ),
    )
    assert "Verified groups only needs party members" in field_error(
        text(response), "requires_verified_tag"
    )
    assert not Activity.objects.exists()


def test_the_registrants_list_shows_declared_and_verified_groups(
    open_centers,  # noqa: F811
    center_staff,  # noqa: F811
):
    activity = factories.activity(open_centers.xianlin_center, eligible_tags=[PARTY], capacity=5)
    declared = factories.PersonFactory(name="自报党员", home_region=open_centers.minfeng)
    factories.tag(declared, PARTY)
    checked = factories.PersonFactory(name="核实党员", home_region=open_centers.minfeng)
    tag = factories.tag(checked, PARTY)
    people_services.person_tag_verify(actor=center_staff, person=checked, tag=PARTY)
    for person in (declared, checked):
        services.registration_create(actor=person, activity=activity)
    page = text(page_client(center_staff).get(url(activity)))
    assert page.count('<span class="badge declared">Party member · self-declared</span>') == 1
    assert page.count('<span class="badge verified">Party member · verified</span>') == 1
    assert tag.pk


def test_the_public_page_says_the_group_must_be_verified(district):
    activity = verified_only(district)
    page = page_client().get(f"/activities/{activity.public_id}/").content.decode()
    assert "need their group verified by staff of their center" in page
