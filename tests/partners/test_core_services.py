"""The partners' services: every rule and refusal (named fields), audit entries on every
write, ending a partner (history kept, no longer offered), receipts with evidence, sub-brands
and their logos, brands, and the merge of two partners moving every reference (activities,
intake items, volunteer teams) to the partner kept."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dangqun.core.errors import NotFound, ValidationFailed
from dangqun.core.models import AuditEntry
from dangqun.partners import links, selectors, services
from dangqun.partners.models import Agreement, Partner, Receipt, SubBrand
from dangqun.volunteers import services as volunteer_services
from tests import factories

from .pcore import MOBILE, partner_data, pdf, png, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def refused(field: str, service, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        service(**kwargs)
    assert caught.value.field == field, (caught.value.field, caught.value.message)
    return caught.value


def audited(action: str, obj) -> bool:
    return AuditEntry.objects.filter(
        action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).exists()


def agreement(world, **data):
    return services.agreement_create(
        actor=world.xianlin_staff,
        partner=world.partner,
        data={
            "start": date(2026, 1, 1),
            "end": date(2026, 12, 31),
            "pledged_hours": "200",
            "pledged_sessions": 12,
            "pledged_money": "5000.00",
            "text": "每月一次义诊",
            **data,
        },
    )


# --- partners ---------------------------------------------------------------------------------


def test_a_partner_is_created_with_its_centers_and_audited(world):
    partner = world.partner
    assert partner.status == Partner.Status.ACTIVE
    assert list(partner.centers.all()) == [world.tree.xianlin_center]
    assert partner.contact_mobile == MOBILE
    assert partner.created_by == world.xianlin_staff
    assert audited("partner.create", partner)


def test_the_mobile_is_normalised_and_a_bad_one_refused(world):
    data = partner_data(world.tree, contact_mobile="+86 139-1234-5679", name="另一所学校")
    made = services.partner_create(actor=world.xianlin_staff, data=data)
    assert made.contact_mobile == "13912345679"
    refused(
        "contact_mobile",
        services.partner_create,
        actor=world.xianlin_staff,
        data=partner_data(world.tree, contact_mobile="12345"),
    )


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("name", {"name": "  "}),
        ("name", {"name": "坏\ud800字"}),
        ("name", {"name": "x" * 121}),
        ("kind", {"kind": "bank"}),
        ("region", {"region": None}),
        ("region", {"region": 10**30}),
        ("centers", {"centers": []}),
        ("centers", {"centers": ["no-such-center"]}),
        ("description", {"description": "a\x00b"}),
    ],
)
def test_a_partner_with_bad_input_is_refused_naming_the_field(world, field, overrides):
    refused(
        field,
        services.partner_create,
        actor=world.xianlin_staff,
        data=partner_data(world.tree, **overrides),
    )


def test_centers_must_lie_within_the_region(world):
    refused(
        "centers",
        services.partner_create,
        actor=world.xianlin_staff,
        data=partner_data(world.tree, centers=[world.tree.cangqian_center]),
    )


def test_a_street_cannot_create_a_partner_in_another_street(world):
    refused(
        "region",
        services.partner_create,
        actor=world.cangqian_staff,
        data=partner_data(world.tree),
    )


def test_the_district_runs_a_partnership_with_centers_of_two_streets(world):
    partner = services.partner_create(
        actor=world.district_admin,
        data=partner_data(
            world.tree,
            region=world.tree.district,
            centers=[world.tree.xianlin_center, world.tree.cangqian_center.slug],
        ),
    )
    assert partner.centers.count() == 2


def test_update_is_audited_and_guarded(world):
    data = partner_data(world.tree, name="浙外", contact_mobile="")
    updated = services.partner_update(actor=world.xianlin_staff, partner=world.partner, data=data)
    assert updated.name == "浙外" and updated.contact_mobile == ""
    assert audited("partner.update", updated)
    with pytest.raises(NotFound):
        services.partner_update(actor=world.cangqian_staff, partner=world.partner, data=data)


def test_a_center_with_a_sub_brand_stays_among_the_centers(world):
    tree = world.tree
    extra = factories.CenterFactory(region=tree.minfeng, slug="minfeng")
    data = partner_data(tree, centers=[tree.xianlin_center, extra])
    services.partner_update(actor=world.xianlin_staff, partner=world.partner, data=data)
    services.sub_brand_create(
        actor=world.xianlin_staff,
        partner=world.partner,
        data={"name": "学长帮帮团", "center": extra},
    )
    refused(
        "centers",
        services.partner_update,
        actor=world.xianlin_staff,
        partner=world.partner,
        data=partner_data(tree),
    )


def test_ending_keeps_history_and_stops_offering_it(world):
    made = agreement(world)
    ended = services.partner_end(actor=world.xianlin_staff, partner=world.partner)
    assert ended.status == Partner.Status.ENDED
    assert ended.ended_on == timezone.localdate()
    assert Agreement.objects.filter(pk=made.pk).exists()
    assert audited("partner.end", ended)
    center = world.tree.xianlin_center
    assert not selectors.partners_for_centers([center]).filter(pk=ended.pk).exists()
    with pytest.raises(ValidationFailed) as caught:
        selectors.partnership_for([center], partner=ended.public_id)
    assert caught.value.field == "partner"
    refused("status", services.partner_end, actor=world.xianlin_staff, partner=ended)
    refused("partner", agreement, world=world)


def test_revealing_the_contact_is_audited_with_a_reason(world):
    refused(
        "reason",
        services.partner_reveal_contact,
        actor=world.district_admin,
        partner=world.partner,
        reason=" ",
    )
    shown = services.partner_reveal_contact(
        actor=world.district_admin, partner=world.partner, reason="安排活动"
    )
    assert shown == MOBILE
    assert audited("partner.reveal_contact", world.partner)


# --- agreements -------------------------------------------------------------------------------


def test_an_agreement_keeps_its_pledges_as_decimals(world):
    made = agreement(world)
    assert made.pledged_money == Decimal("5000.00")
    assert made.pledged_hours == Decimal("200.0")
    assert made.pledged_sessions == 12
    assert audited("partner_agreement.create", made)
    changed = services.agreement_update(
        actor=world.xianlin_staff,
        agreement=made,
        data={"start": "2026-02-01", "end": "2026-02-01", "pledged_money": "0.5"},
    )
    assert changed.start == changed.end == date(2026, 2, 1)
    assert changed.pledged_money == Decimal("0.50")
    assert audited("partner_agreement.update", made)


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("end", {"start": date(2026, 6, 1), "end": date(2026, 5, 31)}),
        ("pledged_hours", {"pledged_hours": "-1"}),
        ("pledged_sessions", {"pledged_sessions": -3}),
        ("pledged_money", {"pledged_money": "-0.01"}),
        ("pledged_money", {"pledged_money": "1.001"}),
        ("pledged_money", {"pledged_money": "1" * 30}),
        ("pledged_money", {"pledged_money": "NaN"}),
        ("pledged_hours", {"pledged_hours": "Infinity"}),
        ("pledged_sessions", {"pledged_sessions": 10**30}),
        ("start", {"start": date(9999, 1, 1)}),
        ("start", {"start": "not a date"}),
        ("end", {"end": None}),
        ("text", {"text": "\ud800"}),
    ],
)
def test_bad_agreements_are_refused_naming_the_field(world, field, data, english):
    error = refused(field, agreement, world=world, **data)
    if field == "end" and "start" in data:
        assert "before" in str(error.message)
    if field.startswith("pledged") and str(data[field]).startswith("-"):
        assert "negative" in str(error.message)


# --- receipts ---------------------------------------------------------------------------------


def receipt(world, **overrides):
    kwargs = {
        "actor": world.xianlin_staff,
        "partner": world.partner,
        "kind": "money",
        "received_on": timezone.localdate(),
        "amount": "1200.50",
        "description": "助学金",
        "evidence": pdf(),
        **overrides,
    }
    return services.receipt_create(**kwargs)


def test_a_receipt_stores_its_evidence_outside_the_web_root(world, settings):
    made = receipt(world)
    assert made.amount == Decimal("1200.50")
    path = settings.VAR_DIR / "attachments" / made.evidence.name
    assert path.exists() and path.read_bytes().startswith(b"%PDF")
    assert made.evidence.name.startswith("partners/receipts/")
    assert "receipt" not in made.evidence.name.split("/")[-1]  # not the uploader's name
    assert audited("partner_receipt.create", made)


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("amount", {"amount": "0"}),
        ("amount", {"amount": "-5"}),
        ("kind", {"kind": "shares"}),
        ("received_on", {"received_on": timezone.localdate() + timedelta(days=2)}),
        ("description", {"description": ""}),
        ("evidence", {"evidence": None}),
    ],
)
def test_bad_receipts_are_refused_and_leave_no_file(world, settings, field, overrides):
    refused(field, receipt, world=world, **overrides)
    assert not Receipt.objects.exists()
    folder = settings.VAR_DIR / "attachments"
    assert not folder.exists() or not [p for p in folder.rglob("*") if p.is_file()]


def test_evidence_that_is_no_photo_nor_pdf_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused("evidence", receipt, world=world, evidence=fake)


def test_a_receipt_under_another_partners_agreement_is_refused(world):
    other = factories.partner(world.tree.xianlin_center, name="闲富门诊")
    foreign = Agreement.objects.create(partner=other, start=date(2026, 1, 1), end=date(2026, 2, 1))
    refused("agreement", receipt, world=world, agreement=foreign)


# --- sub-brands and brands ----------------------------------------------------------------------


def sub_brand(world, **data):
    return services.sub_brand_create(
        actor=world.xianlin_staff,
        partner=world.partner,
        data={"name": "学长帮帮团", "center": world.tree.xianlin_center, **data},
        logo=data.pop("logo", None),
    )


def test_a_sub_brand_with_a_logo(world):
    made = services.sub_brand_create(
        actor=world.xianlin_staff,
        partner=world.partner,
        data={"name": "学长帮帮团", "center": "xianlin", "description": "作业辅导"},
        logo=png(),
    )
    assert made.logo.name.startswith("sub_brands/") and made.logo.name.endswith(".png")
    assert "logo" not in made.logo.name.split("/")[-1]
    assert audited("sub_brand.create", made)


def test_a_sub_brand_at_a_center_the_partner_does_not_co_build_with_is_refused(world, english):
    error = refused(
        "center",
        services.sub_brand_create,
        actor=world.district_admin,
        partner=world.partner,
        data={"name": "学长帮帮团", "center": world.tree.cangqian_center},
    )
    assert "co-build" in str(error.message)


def test_a_logo_that_is_not_a_picture_is_refused(world):
    refused("logo", sub_brand, world=world, logo=pdf())


def test_a_sub_brand_is_updated_and_ended(world):
    made = sub_brand(world)
    services.sub_brand_update(
        actor=world.xianlin_staff,
        sub_brand=made,
        data={"name": "学长帮帮团2", "center": "xianlin"},
    )
    ended = services.sub_brand_end(actor=world.xianlin_staff, sub_brand=made)
    assert ended.status == SubBrand.Status.ENDED
    assert audited("sub_brand.update", made) and audited("sub_brand.end", made)
    refused("status", services.sub_brand_end, actor=world.xianlin_staff, sub_brand=ended)
    with pytest.raises(NotFound):
        services.sub_brand_update(
            actor=world.cangqian_staff, sub_brand=made, data={"name": "x", "center": "xianlin"}
        )


def test_a_brand_of_the_district_or_a_street_holds_sub_brands(world):
    made = sub_brand(world)
    brand = services.brand_create(
        actor=world.district_admin,
        data={
            "name": "党建聚力·红暖未来",
            "region": world.tree.district,
            "sub_brands": [made.public_id],
        },
    )
    made.refresh_from_db()
    assert made.brand == brand
    assert audited("brand.create", brand)
    services.brand_update(
        actor=world.district_admin,
        brand=brand,
        data={"name": "党建聚力·红暖未来", "region": world.tree.district.pk, "sub_brands": []},
    )
    made.refresh_from_db()
    assert made.brand is None and audited("brand.update", brand)
    refused(
        "region",
        services.brand_create,
        actor=world.district_admin,
        data={"name": "村品牌", "region": world.tree.minfeng},
    )
    street = services.brand_create(
        actor=world.cangqian_staff,
        data={"name": "幸福满仓 一骑向前", "region": world.tree.cangqian},
    )
    refused(
        "sub_brands",
        services.brand_update,
        actor=world.district_admin,
        brand=street,
        data={"name": street.name, "region": street.region, "sub_brands": [made.public_id]},
    )
    refused(
        "brand",
        sub_brand,
        world=world,
        name="夏天织帽子",
        brand=street.public_id,
    )
    refused(
        "region",
        services.brand_create,
        actor=world.xianlin_staff,
        data={"name": "x", "region": world.tree.cangqian},
    )


# --- merging ----------------------------------------------------------------------------------


def test_a_merge_moves_everything_to_the_partner_kept(world):
    tree = world.tree
    old = factories.partner(tree.xianlin_center, name="浙外(旧)", from_old_data=True)
    old_agreement = Agreement.objects.create(
        partner=old, start=date(2025, 1, 1), end=date(2025, 12, 31)
    )
    old_sub_brand = factories.sub_brand(old, tree.xianlin_center, name="旧品牌")
    activity = factories.activity(tree.xianlin_center, partner=old, sub_brand=old_sub_brand)
    item = factories.service_item(tree.xianlin_center, partner=old)
    team = volunteer_services.team_create(
        actor=world.xianlin_staff, name="浙外志愿队", center=tree.xianlin_center
    )
    team.partner = old
    team.save(update_fields=["partner"])
    other_activity = factories.activity(tree.xianlin_center, title="别的活动")

    kept = services.partner_merge(actor=world.xianlin_staff, keep=world.partner, merged=old)

    assert kept == world.partner
    activity.refresh_from_db()
    item.refresh_from_db()
    team.refresh_from_db()
    old_agreement.refresh_from_db()
    old_sub_brand.refresh_from_db()
    old.refresh_from_db()
    assert activity.partner == kept and activity.sub_brand == old_sub_brand
    assert item.partner == kept
    assert team.partner == kept
    assert old_agreement.partner == kept
    assert old_sub_brand.partner == kept
    assert other_activity.partner is None
    assert old.status == Partner.Status.ENDED and old.merged_into == kept
    assert not old.centers.exists()
    entry = AuditEntry.objects.get(action="partner.merge", object_id=str(kept.pk))
    assert entry.data["moved"]["activities"] == 1
    assert entry.data["moved"]["intake"] == 1
    assert entry.data["moved"]["volunteers"] == 1
    assert audited("partner.merged_into", old)
    refused("merged", services.partner_merge, actor=world.xianlin_staff, keep=kept, merged=old)
    refused("merged", services.partner_merge, actor=world.xianlin_staff, keep=kept, merged=kept)


def test_a_merge_across_regions_is_refused(world):
    other = factories.partner(world.tree.cangqian_center, name="仓前的")
    refused(
        "merged",
        services.partner_merge,
        actor=world.district_admin,
        keep=world.partner,
        merged=other,
    )
    with pytest.raises(NotFound):
        services.partner_merge(actor=world.xianlin_staff, keep=world.partner, merged=other)


def test_the_registry_holds_the_higher_apps(world):
    assert {"activities", "intake", "volunteers"} <= set(links._repointers)
    assert {"activities", "service_items"} <= set(links._carrying)
    factories.activity(world.tree.xianlin_center, partner=world.partner, title="义诊")
    found = links.upcoming([world.partner.pk])
    assert [link.title for link in found] == ["义诊"]
    assert found[0].url.startswith("/activities/")
