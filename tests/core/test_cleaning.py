"""The data migration's cleaning (core/cleaning.py): rows stored with control characters or
broken characters are cleaned so no list, export or feed stays poisoned; dates outside
1900..2100 are reported, never changed or deleted."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as global_apps
from django.db import DatabaseError, connection, transaction

from dangqun.accounts.services import api_token_create
from dangqun.core import cleaning
from dangqun.places.models import ServiceCenter, Space, SpaceKind
from tests import factories

pytestmark = pytest.mark.django_db

MIGRATIONS = {
    "places": "0003_clean_typed_text",
    "people": "0002_clean_typed_text",
    "accounts": "0003_clean_typed_text",
    "bookings": "0004_clean_typed_text",
    "activities": "0003_clean_typed_text",
    "intake": "0002_clean_typed_text",
    "riders": "0004_clean_typed_text",
    "charging": "0003_clean_typed_text",
    "workdays": "0002_clean_typed_text",
}


def typed_text(app_label: str) -> dict:
    module = importlib.import_module(f"dangqun.{app_label}.migrations.{MIGRATIONS[app_label]}")
    return module.TYPED_TEXT


def run(app_label: str) -> tuple[dict, list[str]]:
    printed = []
    report = cleaning.clean_app(
        global_apps,
        SimpleNamespace(connection=connection),
        app_label,
        typed_text(app_label),
        out=printed.append,
    )
    return report, printed


@pytest.mark.parametrize(
    ("given", "one_line", "lines"),
    [
        ("ok 党群", "ok 党群", "ok 党群"),
        ("a\x00b\x01c\x7fd\x9f", "abcd", "abcd"),
        ("QA\x01", "QA", "QA"),
        ("line\r\nnext\rlast", "line next last", "line\nnext\nlast"),
        ("tab\there", "tab here", "tab\there"),
        ("a\x0bb\x0cc\x85d", "a b c d", "a\nb\nc\nd"),
        ("broken\ud800 \udfff", "broken ", "broken "),
    ],
)
def test_clean_text(given, one_line, lines):
    assert cleaning.clean_text(given, multiline=False) == one_line
    assert cleaning.clean_text(given, multiline=True) == lines


def test_clean_json_cleans_every_string_and_key():
    given = {"a\x01": ["x\x02", {"n": 1, "t": "ok\n"}], "b": None, "c": True}
    assert cleaning.clean_json(given) == {"a": ["x", {"n": 1, "t": "ok\n"}], "b": None, "c": True}


@pytest.mark.parametrize("app_label", sorted(MIGRATIONS))
def test_every_migration_names_text_fields_that_exist(app_label):
    """As they were when the migration ran (a later one may turn a text into a choice of
    records, as activities' partner did)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    then = loader.project_state((app_label, MIGRATIONS[app_label])).apps
    for model_name, fields in typed_text(app_label).items():
        model = then.get_model(app_label, model_name)
        for name in fields:
            cleaning._cleaner(model._meta.get_field(name))  # raises on anything but text


@pytest.mark.parametrize("app_label", sorted(MIGRATIONS))
def test_each_migration_depends_on_its_apps_latest_before_it(app_label):
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    migration = loader.get_migration(app_label, MIGRATIONS[app_label])
    assert [d[0] for d in migration.dependencies] == [app_label]
    # One line of migrations, the cleaning one in it (later ones may follow it).
    (leaf,) = loader.graph.leaf_nodes(app_label)
    assert (app_label, MIGRATIONS[app_label]) in loader.graph.forwards_plan(leaf)


def test_poisoned_centers_and_spaces_are_cleaned(district):
    center = district.xianlin_center
    ServiceCenter.objects.filter(pk=center.pk).update(
        name="闲林\x01中心", description="第一行\r\n第二行\x1b", phone="0571\x1f88888888"
    )
    kind = SpaceKind.objects.create(code="meeting", name="会议室")
    space = Space.objects.create(center=center, kind=kind, name="活动室\x07", name_en="Room\x08")
    untouched = district.cangqian_center

    report, printed = run("places")

    center.refresh_from_db()
    space.refresh_from_db()
    assert (center.name, center.description, center.phone) == (
        "闲林中心",
        "第一行\n第二行",
        "057188888888",
    )
    assert (space.name, space.name_en) == ("活动室", "Room")
    assert report["ServiceCenter"]["cleaned"] == 1
    assert report["Space"]["cleaned"] == 1
    assert any("ServiceCenter: 1 rows cleaned" in line for line in printed)
    assert ServiceCenter.objects.get(pk=untouched.pk).name == untouched.name


def test_a_poisoned_json_field_and_the_open311_name_are_cleaned(district):
    from dangqun.intake.models import ServiceField, ServiceItem

    fields = [
        {
            "code": "direction",
            "label": "转接方向",
            "datatype": "choice",
            "choices": [{"key": "in", "name": "转入"}, {"key": "out", "name": "转出"}],
        }
    ]
    item = factories.service_item(district.xianlin_center, code="transfer", fields=fields)
    # An item name with U+0001 made /open311/v2/services.xml not well-formed for everyone.
    ServiceItem.objects.filter(pk=item.pk).update(name="组织关系\x01转接")
    field = ServiceField.objects.get(item=item)
    ServiceField.objects.filter(pk=field.pk).update(
        choices=[{"key": "in", "name": "转\x01入"}, {"key\x02": "out", "name": "转出"}]
    )

    report, _ = run("intake")

    assert report["ServiceItem"]["cleaned"] == 1
    assert report["ServiceField"]["cleaned"] == 1
    assert ServiceItem.objects.get(pk=item.pk).name == "组织关系转接"
    assert ServiceField.objects.get(pk=field.pk).choices == [
        {"key": "in", "name": "转入"},
        {"key": "out", "name": "转出"},
    ]


def test_running_twice_changes_nothing_the_second_time(district):
    ServiceCenter.objects.filter(pk=district.xianlin_center.pk).update(brand="品牌\x02")
    assert run("places")[0]["ServiceCenter"]["cleaned"] == 1
    assert run("places")[0]["ServiceCenter"]["cleaned"] == 0


def test_dates_out_of_range_are_reported_not_changed(district):
    from dangqun.accounts.models import ApiToken
    from dangqun.workdays.models import OfficialDay

    person = factories.PersonFactory()
    token, _secret = api_token_create(person=person, name="旧令牌")
    far = datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC)
    # A row stored before the rules (the service refuses such a name now).
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=far, name="旧\x01令牌")
    OfficialDay.objects.create(date=datetime.date(1800, 1, 1), kind="holiday", name="假\x03日")

    report, printed = run("accounts")
    assert report["ApiToken"] == {"cleaned": 1, "dates_out_of_range": {"revoked_at": 1}}
    assert any("revoked_at: 1 rows with a date outside" in line for line in printed)
    assert ApiToken.objects.filter(pk=token.pk, revoked_at=far).exists()  # kept as it was
    assert ApiToken.objects.get(pk=token.pk).name == "旧令牌"

    report, _ = run("workdays")
    assert report["OfficialDay"] == {"cleaned": 1, "dates_out_of_range": {"date": 1}}
    assert OfficialDay.objects.filter(date=datetime.date(1800, 1, 1)).exists()


def test_bytes_that_are_not_utf8_are_cleaned_where_they_can_be_stored(district):
    """SQLite stores whatever bytes it is given, so the cleaning mends them; PostgreSQL
    refuses them outright, so there is nothing of the kind to clean there."""
    center = district.xianlin_center
    broken = b"\xed\xa0\x80\xe4\xb8\xad\xe5\xbf\x83"  # a lone surrogate, then 中心
    if connection.vendor != "sqlite":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE places_servicecenter SET name = convert_from(%s, 'UTF8') WHERE id = %s",
                [broken, center.pk],
            )
        center.refresh_from_db()
        assert center.name == "闲林街道党群服务中心"
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE places_servicecenter SET name = CAST(%s AS TEXT) WHERE id = %s",
            [broken, center.pk],
        )
    run("places")
    center.refresh_from_db()
    assert center.name == "中心"
