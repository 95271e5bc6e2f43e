from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

from dangqun.core.templatetags.dq import area, cny, loc


def test_money_is_grouped_with_two_decimals_in_both_languages():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert cny(Decimal("98765.4")) == "¥98,765.40"
            assert cny(Decimal("0")) == "¥0.00"
    assert cny(None) == ""


def test_area_drops_needless_decimals_and_speaks_the_language():
    with translation.override("zh-hans"):
        # Chinese writes areas ungrouped, as the article does: 5000平方米
        assert area(Decimal("5000.0")) == "5000 平方米"
    with translation.override("en"):
        assert area(Decimal("5000.0")) == "5,000 m²"
        assert area(Decimal("12.5")) == "12.5 m²"
    assert area(None) == ""


def test_loc_prefers_english_variant_only_in_english():
    center = SimpleNamespace(name="闲林街道党群服务中心", name_en="Xianlin Center")
    unnamed = SimpleNamespace(name="仁和街道党群服务中心", name_en="")
    with translation.override("en"):
        assert loc(center) == "Xianlin Center"
        assert loc(unnamed) == "仁和街道党群服务中心"
    with translation.override("zh-hans"):
        assert loc(center) == "闲林街道党群服务中心"
