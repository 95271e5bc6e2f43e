"""The demo partners of the article: three partners of the Xianlin center with their
sub-brands and this year's pledges, the district's and a street's brand, and the
activities, item and team that name them."""

import pytest

from dangqun import demo
from dangqun.activities.models import Activity
from dangqun.intake.models import ServiceItem
from dangqun.partners.models import Agreement, Brand, Partner, Receipt, SubBrand
from dangqun.volunteers.models import Team


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return demo.load(residents=30)


def test_the_articles_partners_sub_brands_and_brands(loaded):
    assert set(Partner.objects.values_list("name", flat=True)) == {
        "浙江外国语学院",
        "蚂蚁金服公益组织",
        "闲富门诊",
    }
    assert set(SubBrand.objects.values_list("name", flat=True)) >= {
        "永不落幕的便民服务长廊",
        "夏天织帽子",
        "永不熄灭的那一盏灯",
    }
    assert Agreement.objects.count() == 3 and Receipt.objects.get().evidence
    district_brand = Brand.objects.get(name="党建聚力·红暖未来")
    assert district_brand.sub_brands.count() == SubBrand.objects.count()
    assert Brand.objects.filter(name="幸福满仓 一骑向前").exists()


def test_each_sub_brand_has_an_activity_held_and_one_ahead(loaded):
    for sub_brand in SubBrand.objects.all():
        statuses = set(
            Activity.objects.filter(sub_brand=sub_brand).values_list("status", flat=True)
        )
        assert statuses == {"finished", "published"}, sub_brand
    held = Activity.objects.filter(sub_brand__name="夏天织帽子", status="finished").get()
    assert held.registrations.filter(check_ins__isnull=False).exists()
    assert ServiceItem.objects.get(code="free-clinic-night").partner.name == "闲富门诊"
    assert Team.objects.get(name="闲林街道助老志愿服务队").partner.name == "浙江外国语学院"
    assert demo.load(residents=30)["partners_created"] == 0  # only once


def test_the_demo_is_entered_through_the_services_and_audited(loaded):
    from dangqun.core.models import AuditEntry

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"partner.create", "partner_agreement.create", "sub_brand.create"} <= actions
    assert {"partner_receipt.create", "brand.create"} <= actions
