"""The elder-friendly check (适老化, MIIT 2021) and WCAG 2.2 AA, measured in Chromium with
the page's computed styles and boxes: which pages, and what is measured on each."""

import gzip
import os
import re
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Not pages: the API and Open311 (machine formats), Django's admin, files, forms' targets.
NOT_PAGES = re.compile(r"^(api|open311|admin):|^(public_media|healthz|set_language|set_text_size)$")
HERE = Path(__file__).parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LARGE_MIN_PX = 18
LARGE_TARGET_PX = 44
NORMAL_TARGET_PX = 24
MIN_LINE_HEIGHT = 1.3
MIN_FOCUS_CONTRAST = 3.0
MAX_CHROME_SHARE = 0.25  # header and tab bar together, of an 844 px tall phone screen


def named_patterns():
    """Every named URL pattern of the site as (name, pattern, argument names)."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                joined = ":".join(part for part in (namespace, inner) if part)
                yield from walk(pattern.url_patterns, joined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, str(pattern.pattern), list(pattern.pattern.regex.groupindex)

    seen = set()
    for name, route, args in walk(get_resolver().url_patterns):
        if name not in seen and not NOT_PAGES.search(name):
            seen.add(name)
            yield name, route, args


@dataclass
class Page:
    url: str
    name: str
    who: str  # "public", "resident" or "staff"


@dataclass
class Catalogue:
    """Msgids and their zh-hans msgstrs: a UI string in the other language is a leak."""

    chinese: set = field(default_factory=set)

    @classmethod
    def load(cls):
        po = Path(settings.BASE_DIR) / "dangqun/locale/zh_Hans/LC_MESSAGES/django.po"
        if not po.exists():
            po = next(Path(settings.BASE_DIR).rglob("zh_Hans/LC_MESSAGES/django.po"))
        chinese = {e.msgstr.strip() for e in polib.pofile(str(po)) if e.msgstr.strip()}
        return cls(chinese={s for s in chinese if len(s) >= 2 and "%" not in s and "{" not in s})


def data_strings() -> set[str]:
    """Every short text stored in the project's tables (names, labels, addresses): user data,
    which a page shows as entered, in whatever language."""
    from django.apps import apps
    from django.db import models

    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("dangqun."):
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, models.CharField | models.TextField):
                values = model.objects.values_list(column.attname, flat=True).distinct()[:2000]
                found.update(v.strip() for v in values if isinstance(v, str) and len(v) <= 60)
    return found


def classify(urls: dict[str, str], clients: dict[str, Client]) -> tuple[list[Page], dict]:
    """Who sees each page: anyone, a signed-in resident, or staff; pages that answer
    GET with HTML only. The rest are listed with the reason they were left out."""
    pages, left_out = [], {}
    for name, url in urls.items():
        for who, client in clients.items():
            response = client.get(url)
            kind = response.get("Content-Type", "")
            if response.status_code == 405:
                left_out[name] = "POST only"
                break
            if response.status_code == 200 and kind.startswith("text/html"):
                pages.append(Page(url=url, name=name, who=who))
                break
            if response.status_code == 200:
                left_out[name] = f"not a page ({kind.split(';')[0]})"
                break
        else:
            left_out.setdefault(name, f"{response.status_code} for everyone")
    return pages, left_out


def gzipped_size(base_url: str, url: str, cookies: dict[str, str]) -> tuple[int, int]:
    """The page's size as sent with and without gzip (bytes)."""
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    request = urllib.request.Request(
        base_url + url, headers={"Accept-Encoding": "gzip", "Cookie": header}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        encoding = response.headers.get("Content-Encoding", "")
    raw = gzip.decompress(body) if encoding == "gzip" else body
    return len(body) if encoding == "gzip" else -len(body), len(raw)


def axe_path() -> str | None:
    path = os.environ.get("DANGQUN_AXE_JS", "")
    return path if path and Path(path).is_file() else None


def url_of(name: str, kwargs: dict) -> str:
    return reverse(name, kwargs=kwargs)


def _script(name: str) -> str:
    """A function in a .js file beside this one, without its leading comment."""
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("//"))


MEASURE_JS = _script("elder_measure.js")
FOCUS_JS = _script("elder_focus.js")
