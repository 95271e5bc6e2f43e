"""The migration that turns activities' free-text partners and sub-brands into records,
run on a database that holds old rows: back to the free-text schema, old values written
there, forward again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dangqun.activities.models import Activity
from dangqun.partners.models import Partner, SubBrand
from tests import factories

BEFORE = [("activities", "0005_activity_owner")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_rows(race_db):
    """Three activities at Xianlin, one at Cangqian, and a partner already on record."""
    tree = factories.district_tree()
    xianlin, cangqian = tree.xianlin_center, tree.cangqian_center
    on_record = factories.partner(cangqian, name="闲富门诊", kind="clinic")
    made = {
        "hats": factories.activity(xianlin, title="夏天织帽子"),
        "lamp": factories.activity(xianlin, title="永不熄灭的那一盏灯"),
        "plain": factories.activity(xianlin, title="普通活动"),
        "brand_only": factories.activity(cangqian, title="学长帮帮团活动"),
        # The same partner and sub-brand again: the records made for "hats" are reused.
        "again": factories.activity(xianlin, title="夏天织帽子（二）"),
    }
    old = _migrate(BEFORE)
    OldActivity = old.get_model("activities", "Activity")
    written = {
        "hats": (" 浙江外国语学院 ", "夏天织帽子"),
        "lamp": ("闲富门诊", "永不熄灭的那一盏灯"),
        "plain": ("", ""),
        "brand_only": ("", "学长帮帮团"),
        "again": ("浙江外国语学院", "夏天织帽子"),
    }
    for key, (partner, sub_brand) in written.items():
        OldActivity.objects.filter(pk=made[key].pk).update(partner=partner, sub_brand=sub_brand)
    return {"xianlin": xianlin, "cangqian": cangqian, "on_record": on_record, **made}


def test_old_free_text_becomes_records(old_rows):
    _migrate(_latest())

    hats = Activity.objects.get(pk=old_rows["hats"].pk)
    assert hats.partner.name == "浙江外国语学院"
    assert hats.partner.from_old_data and hats.partner.kind == Partner.Kind.OTHER
    assert list(hats.partner.centers.all()) == [old_rows["xianlin"]]
    assert hats.sub_brand.name == "夏天织帽子" and hats.sub_brand.partner == hats.partner
    assert hats.sub_brand.center == old_rows["xianlin"]
    # The same names again: the same records, not new ones.
    second = Activity.objects.get(pk=old_rows["again"].pk)
    assert (second.partner, second.sub_brand) == (hats.partner, hats.sub_brand)
    assert Partner.objects.filter(name="浙江外国语学院").count() == 1

    # An exact match of a partner on record reuses it; it now co-builds with Xianlin too.
    lamp = Activity.objects.get(pk=old_rows["lamp"].pk)
    assert lamp.partner == old_rows["on_record"] and not lamp.partner.from_old_data
    assert set(lamp.partner.centers.all()) == {old_rows["xianlin"], old_rows["cangqian"]}

    plain = Activity.objects.get(pk=old_rows["plain"].pk)
    assert (plain.partner, plain.sub_brand) == (None, None)

    # A sub-brand without a partner: a partner of its name, from old data, for staff to merge.
    brand_only = Activity.objects.get(pk=old_rows["brand_only"].pk)
    assert brand_only.partner.name == "学长帮帮团" and brand_only.partner.from_old_data
    assert brand_only.sub_brand.partner == brand_only.partner
    assert SubBrand.objects.count() == 3


def test_going_back_writes_the_names_again(old_rows):
    _migrate(BEFORE)
    _migrate(_latest())
    old = _migrate(BEFORE)
    OldActivity = old.get_model("activities", "Activity")
    hats = OldActivity.objects.get(pk=old_rows["hats"].pk)
    assert (hats.partner, hats.sub_brand) == ("浙江外国语学院", "夏天织帽子")
    assert OldActivity.objects.get(pk=old_rows["plain"].pk).partner == ""
    _migrate(_latest())
