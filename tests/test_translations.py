"""The Chinese catalogue is complete and the committed .mo says what the .po says, so a
machine without gettext shows the same Chinese as the developers' machines."""

import gettext
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


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_placeholders_survive_translation(po_path):
    for entry in polib.pofile(str(po_path)):
        for name in ("%(code)s", "%(day)s", "%(n)d", "%(n)s", "%(area)s", "%(masked_mobile)s"):
            if name in entry.msgid:
                translated = entry.msgstr or entry.msgstr_plural[0]
                assert name in translated, entry.msgid


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
