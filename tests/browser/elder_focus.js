// The focus ring of every tab stop against what it is drawn on (WCAG 2.2 1.4.11, 2.4.13).
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
