"""One rule per action: the staff page and the staff API ask the same service, so the same
case gets the same outcome through either door (walk-ins at the door, copying an
activity). Each case is sent to both and the outcomes compared."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dangqun.activities import services
from dangqun.activities.models import Activity, CheckIn, Registration
from dangqun.core.models import AuditEntry
from dangqun.people.models import Person, StaffRole
from tests import factories
from tests.clients import Api, page_client
from tests.pages import error_box, field_error

pytestmark = pytest.mark.django_db
Status = Registration.Status
MOBILE = "13655550001"


@pytest.fixture
def staff(district):
    return factories.staff(
        StaffRole.Role.CENTER_STAFF, district.xianlin, district.xianlin_center, name="前台"
    )


@pytest.fixture
def door(district):
    """A class of the Xianlin center taking walk-ins, its session on now, one place."""
    activity = factories.activity(district.xianlin_center, capacity=1, walk_ins=True)
    session = activity.sessions.get()
    session.start = timezone.now() - timedelta(minutes=10)
    session.end = timezone.now() + timedelta(hours=1)
    session.save()
    return activity, session


def through_the_page(staff, activity, session, **fields) -> str:
    data = {"session": session.pk, "mobile": MOBILE, "name": "", "consent": "", **fields}
    if data["consent"] is True:
        data["consent"] = "on"
    url = f"/staff/activities/{activity.public_id}/walk-in/"
    return page_client(staff).post(url, data, follow=True).content.decode()


def through_the_api(staff, activity, session, **fields):
    body = {"mobile": MOBILE, "name": "", "consent": False, **fields}
    path = f"/activities/{activity.public_id}/sessions/{session.pk}/walk-ins"
    return Api(staff, base="/staff").post(path, body)


def _page_refusal(page: str, field: str) -> str:
    return field_error(page, field) or error_box(page)


@pytest.mark.parametrize("door_kind", ["page", "api"])
def test_a_new_account_at_the_door_needs_the_person_s_consent(staff, door, door_kind):
    activity, session = door
    if door_kind == "page":
        page = through_the_page(staff, activity, session, name="李阿姨")
        message = field_error(page, "consent")
    else:
        body = through_the_api(staff, activity, session, name="李阿姨").json()
        assert body["field"] == "consent"
        message = body["message"]
    assert "privacy notice" in message
    assert not Person.objects.filter(mobile=MOBILE).exists()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("door_kind", ["page", "api"])
def test_consent_opens_the_account_and_is_audited_the_same_way(staff, door, door_kind):
    activity, session = door
    if door_kind == "page":
        through_the_page(staff, activity, session, name="李阿姨", consent=True)
    else:
        answer = through_the_api(staff, activity, session, name="李阿姨", consent=True)
        assert answer.status_code == 201, answer.content
    person = Person.objects.get(mobile=MOBILE)
    assert person.privacy_consent_at is not None
    entry = CheckIn.objects.get()
    assert (entry.registration.person, entry.method, entry.by) == (person, "walk_in", staff)
    audit = AuditEntry.objects.get(action="person.consent_at_counter")
    assert (audit.actor_id, audit.object_id) == (staff.pk, str(person.pk))


@pytest.mark.parametrize("door_kind", ["page", "api"])
def test_someone_on_the_waiting_list_does_not_jump_the_queue_at_the_door(staff, door, door_kind):
    activity, session = door
    # The activity's one place is taken, then the person joins the waiting list.
    holder = factories.PersonFactory()
    waiting = factories.PersonFactory(mobile=MOBILE)
    services.registration_create(actor=holder, activity=activity)
    queued = services.registration_create(actor=waiting, activity=activity)
    Activity.objects.filter(pk=activity.pk).update(capacity=2)  # a chair is found
    if door_kind == "page":
        page = through_the_page(staff, activity, session)
        message = _page_refusal(page, "mobile")
    else:
        answer = through_the_api(staff, activity, session)
        assert answer.status_code == 400, answer.content
        assert answer.json()["field"] == "mobile"
        message = answer.json()["message"]
    assert "no confirmed place" in message
    queued.refresh_from_db()
    assert queued.status == Status.WAITLISTED and not queued.check_ins.exists()
    activity.refresh_from_db()
    assert (activity.taken, activity.waiting) == (1, 1)


# --- copying an activity -------------------------------------------------------------------


@pytest.mark.parametrize("days_later", [0, 731, -1])
@pytest.mark.parametrize("door_kind", ["page", "api"])
def test_a_copy_out_of_bounds_is_refused_through_either_door(
    staff, district, door_kind, days_later
):
    activity = factories.activity(district.xianlin_center)
    if door_kind == "page":
        url = f"/staff/activities/{activity.public_id}/copy/"
        page = page_client(staff).post(url, {"days_later": days_later}, follow=True)
        message = page.content.decode()
    else:
        answer = Api(staff, base="/staff").post(
            f"/activities/{activity.public_id}/copy", {"days_later": days_later}
        )
        assert answer.status_code == 400, answer.content
        assert answer.json()["field"] == "days_later"
        message = answer.json()["message"]
    assert "Enter a whole number from 1 to 730." in message
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("door_kind", ["page", "api"])
def test_a_copy_within_bounds_is_made_through_either_door(staff, district, door_kind):
    activity = factories.activity(district.xianlin_center)
    if door_kind == "page":
        url = f"/staff/activities/{activity.public_id}/copy/"
        page_client(staff).post(url, {"days_later": 730})
    else:
        answer = Api(staff, base="/staff").post(
            f"/activities/{activity.public_id}/copy", {"days_later": 730}
        )
        assert answer.status_code == 201, answer.content
    copy = Activity.objects.exclude(pk=activity.pk).get()
    first = activity.sessions.get().start
    assert copy.sessions.get().start == first + timedelta(days=730)
    assert copy.status == Activity.Status.DRAFT
