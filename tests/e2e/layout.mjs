// Layout checks run inside the page (by the e2e tests): sideways scrolling, overlapping
// elements, text too small to read, touch targets too small to hit, and where a tab's main
// picture lies. Returns plain data; the tests decide what fails.

/** The screens the page must hold on (WCAG 1.4.10 reflow, a phone, a tablet, a projector at
 * 150% zoom, a large monitor). */
export const SCREENS = [
  { name: 'phone-390x844', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  { name: 'tablet-768x1024', viewport: { width: 768, height: 1024 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  { name: 'projector-1280x720-at-150', viewport: { width: 853, height: 480 }, deviceScaleFactor: 1.5 },
  { name: 'monitor-1920x1080', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 },
];

/** Runs in the page: `picture` is a selector of the tab's main picture. */
export function measureLayout({ panel, picture, touch }) {
  const visible = (el) => {
    if (!el.getClientRects().length) return false;
    // The content of a closed <details> keeps a box in Chromium but is not shown.
    if (el.closest('details:not([open]) > :not(summary)')) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0;
  };
  const label = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.id || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${text}"`;
  };
  const root = document.getElementById(panel);
  const scope = [document.querySelector('header'), root].filter(Boolean);
  const all = scope.flatMap((s) => [s, ...s.querySelectorAll('*')]).filter(visible);

  // Sideways scrolling of the page, and elements reaching past the right edge of the screen.
  const width = document.documentElement.clientWidth;
  const sideways = document.documentElement.scrollWidth > width + 0.5 ? [`page is ${document.documentElement.scrollWidth} px wide in a ${width} px viewport`] : [];
  for (const el of all) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 0.5 && !el.closest('.unrolled')) sideways.push(`${label(el)} reaches x = ${Math.round(r.right)}`);
  }

  // Text smaller than 12 CSS px.
  const small = [];
  for (const el of all) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (own && parseFloat(getComputedStyle(el).fontSize) < 12) small.push(`${label(el)} at ${getComputedStyle(el).fontSize}`);
  }

  // Controls: on touch screens at least 44 px tall (a checkbox counts through its label).
  const tiny = [];
  if (touch) {
    for (const el of all.filter((e) => e.matches('button, select, input, textarea, a[href], summary'))) {
      const target = el.matches('input[type="checkbox"], input[type="radio"]') ? el.closest('label') ?? el : el;
      const r = target.getBoundingClientRect();
      if (r.height < 43.5) tiny.push(`${label(el)} is ${Math.round(r.height)} px tall`);
    }
  }

  // Overlap between visible leaf-level boxes (controls, pictures, text blocks) that do not
  // contain one another.
  const boxes = all.filter((e) => e.matches('button, select, input, textarea, canvas, img, label, h2, h3, p, figcaption, kbd, td, th, .big, output'));
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i].getBoundingClientRect();
    if (a.width < 1 || a.height < 1) continue;
    for (let j = i + 1; j < boxes.length; j++) {
      if (boxes[i].contains(boxes[j]) || boxes[j].contains(boxes[i])) continue;
      const b = boxes[j].getBoundingClientRect();
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) overlaps.push(`${label(boxes[i])} overlaps ${label(boxes[j])} (${Math.round(w)}x${Math.round(h)} px)`);
    }
  }

  // The main picture: how much of it the first screen shows (at scroll position 0).
  const pic = picture ? root.querySelector(picture) : null;
  let pictureShown = null;
  if (pic) {
    const r = pic.getBoundingClientRect();
    const top = r.top + window.scrollY;
    const shown = Math.max(0, Math.min(top + r.height, window.innerHeight) - Math.max(top, 0));
    pictureShown = r.height > 0 ? shown / r.height : 0;
  }
  return { sideways, small, tiny, overlaps, pictureShown };
}
