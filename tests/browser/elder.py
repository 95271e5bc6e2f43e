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
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LARGE_MIN_PX = 18
LARGE_TARGET_PX = 44
NORMAL_TARGET_PX = 24
MIN_LINE_HEIGHT = 1.3
MIN_FOCUS_CONTRAST = 3.0


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


# What the browser measures on a page (after one real Tab press, so that focus moved by
# script shows its :focus-visible ring as keyboard focus does).
MEASURE_JS = r"""
({large, lang, catalogue}) => {
  const out = {texts: 0, small: 0, minText: 999, minTextWhere: '', lineFails: [], targets: [],
               focus: [], tabStops: 0, dupIds: [], otherLang: [], noRing: []};
  const visible = el => el && el.checkVisibility && el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  const describe = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    const cls = (el.getAttribute('class') || '').trim().split(/\s+/).filter(Boolean).slice(0, 2);
    if (cls.length) s += '.' + cls.join('.');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    return s + (text ? ' "' + text.slice(0, 24) + '"' : '');
  };
  // Text: size and line height of every visible character.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const hidden = el => el.closest('.visually-hidden, script, style, noscript, template, [hidden]');
  const han = /[\u3400-\u9fff]/;
    const allowedLatin = /^(GeoJSON|GPS|WGS|GCJ|JPEG|WebP|MB|KB|GB|kW|kWh|API|QR|ICS|Excel|OpenStreetMap|Leaflet|OSM|GCJ-02|WGS-84|km|m|h|Wi-Fi|WiFi|SMS|ID|PDF|JPG|PNG|CSV|XLSX|iCal|iCalendar|CC|BY|SA|ODbL|HTTP|URL|AM|PM|HH|MM|YYYY|DD|UTF)$/;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\s+/g, '');
    if (!text) continue;
    const el = node.parentElement;
    if (!visible(el) || hidden(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    out.texts += text.length;
    if (size < out.minText) { out.minText = size; out.minTextWhere = describe(el); }
    if (large && size < 18 - 0.01) out.small += text.length;
    const lh = style.lineHeight === 'normal' ? 1.2 * size : parseFloat(style.lineHeight);
    if (lh / size < 1.3 - 0.01 && out.lineFails.length < 5 && !el.closest('svg')) {
      out.lineFails.push(describe(el) + ' ' + (lh / size).toFixed(2));
    }
    // The other language's script, outside user data (marked with lang or translate=no).
    if (el.closest('[lang]') !== document.documentElement || el.closest('[translate=no], code, kbd, samp, pre, .leaflet-control-attribution')) continue;
    const whole = node.textContent.trim();
    if (lang === 'en' && han.test(whole) && catalogue.includes(whole)) {
      out.otherLang.push(describe(el));
    }
    if (lang !== 'en' && !han.test(whole)) {
      // A text wholly in Latin letters on a Chinese page is an untranslated string
      // (abbreviations and names aside); mixed text is Chinese with a term in it.
      const words = (whole.match(/[A-Za-z][A-Za-z]*[A-Za-z]/g) || []).filter(w => !allowedLatin.test(w));
      if (words.length) out.otherLang.push(describe(el) + ' [' + words.slice(0, 3).join(' ') + ']');
    }
  }
  // Touch targets: a link inside a sentence is exempt (WCAG 2.2 2.5.8, inline).
  const need = large ? 44 : 24;
  const inSentence = el => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
    const rest = (block.innerText || '').replace(el.innerText || '', '').replace(/[\s·•|→←()（）,，.。:：]/g, '');
    return rest.length >= 2;
  };
  const targets = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])');
  for (const el of targets) {
    if (!visible(el) || el.closest('[inert]')) continue;
    let box = el.getBoundingClientRect();
    if (box.right <= 0 || box.bottom <= 0 || box.width === 0 || box.height === 0) continue;
    if (inSentence(el)) continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
      let l = box.left, t = box.top, r = box.right, b = box.bottom;
      for (const label of el.labels) {
        const lb = label.getBoundingClientRect();
        if (!lb.width) continue;
        l = Math.min(l, lb.left); t = Math.min(t, lb.top); r = Math.max(r, lb.right); b = Math.max(b, lb.bottom);
      }
      box = {width: r - l, height: b - t};
    }
    const w = Math.round(box.width * 10) / 10, h = Math.round(box.height * 10) / 10;
    out.targets.push([Math.min(w, h), w, h, describe(el), w + 0.5 >= need && h + 0.5 >= need]);
  }
  // Duplicate ids.
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  out.dupIds = Object.keys(ids).filter(k => ids[k] > 1);
  return out;
}
"""

# The focus ring of every tab stop against what it is drawn on (WCAG 2.2 1.4.11, 2.4.13).
FOCUS_JS = r"""
() => {
  const rgba = s => { const m = s.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
    return colour;
  };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const contrast = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const describe = el => { let s = el.tagName.toLowerCase(); const c = (el.getAttribute('class') || '').trim().split(/\s+/)[0];
    if (c) s += '.' + c; const t = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
    return s + (t ? ' "' + t.slice(0, 20) + '"' : ''); };
  const tabbable = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')]
    .filter(el => el.tabIndex >= 0 && !el.disabled && el.checkVisibility({visibilityProperty: true}) && !el.closest('[inert]'));
  const results = [];
  for (const el of tabbable) {
    el.focus();
    if (document.activeElement !== el) continue;
    el.scrollIntoView({block: 'center', inline: 'nearest'});
    const style = getComputedStyle(el);
    const width = parseFloat(style.outlineWidth) || 0;
    if (style.outlineStyle === 'none' || width < 2) {
      results.push([0, describe(el), 'no outline ' + style.outlineStyle + ' ' + style.outlineWidth, el.matches(':focus-visible')]);
      continue;
    }
    const ring = rgba(style.outlineColor);
    const offset = parseFloat(style.outlineOffset) || 0;
    const box = el.getBoundingClientRect();
    const d = offset + width / 2;
    const points = [[box.left - d, box.top + box.height / 2], [box.right + d, box.top + box.height / 2],
                    [box.left + box.width / 2, box.top - d], [box.left + box.width / 2, box.bottom + d]];
    let worst = 99, where = '';
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      let under;
      if (offset + width <= 0) under = el;
      else under = document.elementsFromPoint(x, y).find(e => e !== el && !el.contains(e));
      if (!under) continue;
      const c = contrast(ring, background(under));
      if (c < worst) { worst = c; where = describe(under); }
    }
    results.push([Math.round(worst * 100) / 100, describe(el), 'on ' + where, el.matches(':focus-visible')]);
  }
  document.activeElement && document.activeElement.blur();
  return results;
}
"""
