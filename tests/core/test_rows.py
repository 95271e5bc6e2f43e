"""Hand-written SQL (core.rows): rows become the same instances the ORM gives, on both
databases; on PostgreSQL the statements are prepared once per connection, unless turned
off or while queries are being logged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangqun.accounts.services import api_token_create, api_token_person
from dangqun.activities import selectors
from dangqun.activities.models import Activity
from dangqun.core import rows
from dangqun.people.models import Person
from tests import factories

pytestmark = pytest.mark.django_db


def _fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_a_row_becomes_the_instance_the_orm_gives():
    activity = factories.activity(capacity=3, eligible_tags=["rider", "elder"], min_age=18)
    person = factories.PersonFactory(language="en")
    sql = f"SELECT {rows.columns(Activity)} FROM {rows.table(Activity)} WHERE id = %s"

    read = rows.first(Activity, sql, [activity.pk])
    joined = rows.first(
        Person,
        f"SELECT {rows.columns(Person)}, 41 + 1 FROM {rows.table(Person)} WHERE id = %s",
        [person.pk],
        extra=("answer",),
    )

    assert _fields(read) == _fields(Activity.objects.get(pk=activity.pk))
    assert read.eligible_tags == ["rider", "elder"]  # JSON, decoded as the ORM does
    assert read._state.adding is False
    assert _fields(joined) == _fields(Person.objects.get(pk=person.pk))
    assert joined.answer == 42
    assert rows.first(Activity, sql, [activity.pk + 1000]) is None


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.fixture
def new_connection(race_db):
    """A connection of its own, which nothing has prepared anything on yet (with committed
    rows, as for the suite's other tests that cannot run inside one transaction)."""
    connection.close()


def test_on_postgresql_the_token_check_is_prepared_once_per_connection(new_connection):
    person = factories.PersonFactory()
    _token, secret = api_token_create(person=person, name="app")

    assert api_token_person(secret) == person
    assert api_token_person(secret) == person

    if connection.vendor == "postgresql":
        token_checks = [s for s in _prepared() if "accounts_apitoken" in s]
        assert len(token_checks) == 1
        assert "$2" in token_checks[0]  # bound on the server, not written into the text
    else:
        assert type(rows.cursor().cursor).__module__.startswith("django.db.backends.sqlite3")


def test_nothing_is_prepared_when_turned_off_or_while_queries_are_logged(new_connection, settings):
    activity = factories.activity()
    settings.PREPARED_STATEMENTS = False
    selectors.activity_to_join(activity.public_id)
    settings.PREPARED_STATEMENTS = True
    with CaptureQueriesContext(connection) as logged:
        assert selectors.activity_to_join(activity.public_id) == activity

    # The log shows the statement with its values, as for any other query.
    assert str(activity.public_id).replace("-", "") in logged.captured_queries[0]["sql"].replace(
        "-", ""
    )
    if connection.vendor == "postgresql":
        assert _prepared() == []
        selectors.activity_to_join(activity.public_id)  # neither: now it is
        assert [s for s in _prepared() if "activities_activity" in s]
