"""Turn each activity's free-text partner and sub-brand into records. An exact name match
(after trimming spaces, in Chinese or English) reuses the record; every other name becomes
a new partner marked "from old data" for staff to check and merge. The partner co-builds
with the activity's center from then on, and a sub-brand is given at that center. A
sub-brand written without a partner gets a partner of its own name, also from old data."""

from django.db import migrations


def _same(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Records:
    def __init__(self, apps):
        self.Partner = apps.get_model("partners", "Partner")
        self.SubBrand = apps.get_model("partners", "SubBrand")
        self.partners = {}
        self.sub_brands = {}
        for partner in self.Partner.objects.all():
            for name in (partner.name, partner.name_en):
                if name:
                    self.partners.setdefault(_same(name), partner)
        for sub_brand in self.SubBrand.objects.all():
            for name in (sub_brand.name, sub_brand.name_en):
                if name:
                    self.sub_brands.setdefault((sub_brand.partner_id, _same(name)), sub_brand)

    def partner(self, name: str, center):
        key = _same(name)
        partner = self.partners.get(key)
        if partner is None:
            partner = self.Partner.objects.create(
                name=" ".join(name.split()), kind="other", region_id=center.region_id,
                from_old_data=True,
            )
            self.partners[key] = partner
        partner.centers.add(center)
        return partner

    def sub_brand(self, name: str, partner, center):
        key = (partner.pk, _same(name))
        sub_brand = self.sub_brands.get(key)
        if sub_brand is None:
            sub_brand = self.SubBrand.objects.create(
                name=" ".join(name.split()), partner=partner, center=center
            )
            self.sub_brands[key] = sub_brand
        return sub_brand


def forwards(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    records = _Records(apps)
    old = Activity.objects.exclude(partner_name="", sub_brand_name="").select_related("center")
    for activity in old.order_by("pk"):
        partner_name = activity.partner_name.strip() or activity.sub_brand_name.strip()
        if not partner_name:
            continue
        activity.partner = records.partner(partner_name, activity.center)
        if activity.sub_brand_name.strip():
            activity.sub_brand = records.sub_brand(
                activity.sub_brand_name, activity.partner, activity.center
            )
        activity.save(update_fields=["partner", "sub_brand"])


def backwards(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    linked = Activity.objects.exclude(partner=None).select_related("partner", "sub_brand")
    for activity in linked:
        activity.partner_name = activity.partner.name
        activity.sub_brand_name = activity.sub_brand.name if activity.sub_brand else ""
        activity.save(update_fields=["partner_name", "sub_brand_name"])


class Migration(migrations.Migration):
    dependencies = [("activities", "0006_partner_records")]

    operations = [migrations.RunPython(forwards, backwards)]
