"""The Chinese catalogue is complete and the committed .mo says what the .po says, so a
machine without gettext shows the same Chinese as the developers' machines."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

PO_FILES = sorted(Path(settings.LOCALE_PATHS[0]).glob("*/LC_MESSAGES/django.po"))


def test_there_is_a_chinese_catalogue():
    assert [p.parent.parent.name for p in PO_FILES] == ["zh_Hans"]


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_every_string_is_translated(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []
    assert len(po) > 100


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_compiled_catalogue_matches_source(po_path):
    compiled = gettext.GNUTranslations(po_path.with_suffix(".mo").open("rb"))
    for entry in polib.pofile(str(po_path)):
        if entry.msgid_plural:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        elif entry.msgctxt:
            assert compiled.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
        else:
            assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid


PLACEHOLDER = re.compile(r"%\((\w+)\)[-+ #0]*\d*(?:\.\d+)?[sdif]|%%")


def _names(text: str) -> set[str]:
    return {m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1)}


def _lone_percent(text: str) -> bool:
    """A % that is neither a named placeholder nor %%: formatting the string would fail."""
    return "%" in PLACEHOLDER.sub("", text)


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_placeholders_survive_translation(po_path):
    """Every named placeholder of a python-format string is in its Chinese (the plural's
    for a plural), and no lone % is (formatting would raise)."""
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or "python-format" not in entry.flags:
            continue
        wanted = _names(entry.msgid_plural or entry.msgid)
        for translated in (
            [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        ):
            assert _names(translated) == wanted, entry.msgid
            assert not _lone_percent(translated), entry.msgid


def test_django_reads_the_catalogue():
    with translation.override("zh-hans"):
        assert translation.gettext("Party-Mass Service Platform") == "党群服务平台"
    with translation.override("en"):
        assert translation.gettext("Party-Mass Service Platform") == "Party-Mass Service Platform"


@pytest.mark.django_db
def test_pages_default_to_chinese_and_switch_to_english():
    client = Client()
    assert "党群服务平台" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "Party-Mass Service Platform" in page
    assert "党群服务平台" not in page


# One English word, two meanings: each meaning has its context and its own Chinese.
MEANINGS = {
    "How": {"check-in method": "签到方式", "travel mode": "出行方式"},
    "Name": {"person": "姓名", "place": "名称", "service item": "事项名称"},
    "Code": {"check-in code": "签到码", "identifier": "代码"},
    "People": {"headcount": "人数", None: "人员"},
    "Closed": {"opening hours": "不开放", "fault": "已处理", None: "闭馆"},
    "Day": {"calendar view": "按日", None: "日期"},
    "Sessions": {"charging": "使用次数", None: "场次"},
    "Person": {"applicant": "申请人", None: "人员"},
}


@pytest.mark.parametrize("msgid", sorted(MEANINGS))
def test_each_meaning_of_a_word_has_its_own_chinese(msgid):
    entries = {e.msgctxt: e.msgstr for e in polib.pofile(str(PO_FILES[0])) if e.msgid == msgid}
    assert entries == {**entries, **MEANINGS[msgid]}
    assert len(set(MEANINGS[msgid].values())) == len(MEANINGS[msgid])


def test_the_opening_date_is_not_the_opening_hours():
    with translation.override("zh-hans"):
        assert translation.gettext("Opened on") == "开馆日期"
        assert translation.gettext("Opening hours") == "开放时间"


def test_no_short_word_is_left_without_a_context_where_it_had_two_meanings():
    po = polib.pofile(str(PO_FILES[0]))
    plain = {e.msgid for e in po if e.msgctxt is None}
    assert not plain & {"How", "Name", "Code", "Opened"}


HAN = r"[\u4e00-\u9fff]"
# A colon after Chinese, or before Chinese, that is not part of a time (09:30) or a URL.
ASCII_COLON_IN_CHINESE = re.compile(rf"{HAN}\s*:(?!//)|(?<![\d/]):\s*{HAN}")


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_chinese_uses_full_width_colons(po_path):
    wrong = []
    for entry in polib.pofile(str(po_path)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if ASCII_COLON_IN_CHINESE.search(text):
                wrong.append(text)
    assert wrong == []


TEMPLATES = sorted(Path(settings.BASE_DIR).glob("**/templates/**/*.html"))
# "{% translate "Booking rule" %}: {{ space }}" shows an ASCII colon on Chinese pages; the
# colon belongs in the translated string ("Booking rule: %(space)s" -> "预约规则：%(space)s").
COLON_AFTER_A_TRANSLATION = re.compile(r"{%\s*translate\s+(\"[^\"]*\"|'[^']*')[^%]*%}\s*:")


def test_templates_leave_colons_to_the_translations():
    assert len(TEMPLATES) > 50
    found = [
        f"{path.name}: {match.group(0)}"
        for path in TEMPLATES
        for match in COLON_AFTER_A_TRANSLATION.finditer(path.read_text())
    ]
    assert found == []
