// What the browser measures on a page (after one real Tab press, so that focus moved by
// script shows its :focus-visible ring as keyboard focus does).
({large, lang, catalogue}) => {
  const out = {texts: 0, small: 0, minText: 999, minTextWhere: '', lineFails: [], targets: [],
               dupIds: [], otherLang: []};
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
  // What the header and the phone's tab bar take of the screen's height.
  const header = document.querySelector('.site-header').getBoundingClientRect().height;
  const nav = document.querySelector('.site-header .nav');
  const bar = getComputedStyle(nav).position === 'fixed' ? nav.getBoundingClientRect().height : 0;
  out.chrome = Math.round(header + bar);
  // Duplicate ids.
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  out.dupIds = Object.keys(ids).filter(k => ids[k] > 1);
  return out;
}
