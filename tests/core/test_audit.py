"""core.audit: record() keeps who did what to which record."""

import pytest

from dangqun.core import audit
from dangqun.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_record_stores_actor_action_object_and_data(district, person):
    center = district.xianlin_center
    entry = audit.record(person, "center.update", center, {"changed": ["name"]})
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == person
    assert entry.action == "center.update"
    assert entry.object_type == "places.servicecenter"
    assert entry.object_id == str(center.pk)
    assert entry.data == {"changed": ["name"]}
    assert entry.at is not None


def test_record_without_actor_or_data(district):
    entry = audit.record(None, "region.create", district.minfeng)
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.data == {}
    assert entry.object_type == "places.region"


def test_an_anonymous_actor_is_stored_as_nobody(district):
    from django.contrib.auth.models import AnonymousUser

    entry = audit.record(AnonymousUser(), "center.view", district.xianlin_center)
    entry.refresh_from_db()
    assert entry.actor is None


def test_a_plain_value_as_object():
    entry = audit.record(None, "export.run", "roster-2024")
    entry.refresh_from_db()
    assert (entry.object_type, entry.object_id) == ("str", "roster-2024")


def test_entries_for_an_object_are_its_own_newest_first(district, person):
    other = factories.PersonFactory()
    audit.record(person, "person.view", person)
    audit.record(person, "person.reveal_mobile", person, {"reason": "回访"})
    audit.record(person, "person.view", other)
    # The same id under another type is another object.
    audit.record(person, "region.create", type("Fake", (), {"pk": person.pk})())
    entries = list(audit.entries_for(person))
    assert [e.action for e in entries] == ["person.reveal_mobile", "person.view"]


def test_the_entry_outlives_its_actor(person, district):
    entry = audit.record(person, "center.update", district.xianlin_center)
    person.delete()
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.action == "center.update"
