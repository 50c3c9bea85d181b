"""Phone numbers on the kit's slides stay whole: in Chromium at projector size (1280 × 720), every
number on every slide of every deck sits on one line (never "1-888-373-" at a line's end and
"7888" on the next). The PDFs are checked in tests/takeaways/test_phones.py."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1280, "height": 720}

# Each phone number in the slide on screen, and how many lines its text takes there.
NUMBERS = r"""() => {
  const slide = document.querySelector('.slide.current'), out = [];
  const walker = document.createTreeWalker(slide.querySelector('.content'), NodeFilter.SHOW_TEXT);
  const text = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { text.push(n); }
  const all = text.map(n => n.textContent).join('');
  const phone = /(?<![\w-])(?:\d-)?\d{3}-\d{3}-\d{4}(?![\w-])/g;
  for (const m of all.matchAll(phone)) {
    const range = document.createRange();
    let start = m.index, end = m.index + m[0].length, seen = 0;
    for (const n of text) {
      const len = n.textContent.length;
      if (start >= seen && start <= seen + len) { range.setStart(n, start - seen); }
      if (end >= seen && end <= seen + len) { range.setEnd(n, end - seen); break; }
      seen += len;
    }
    const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
    out.push({number: m[0], lines: tops.size});
  }
  return out;
}"""


def test_every_phone_number_on_a_slide_is_on_one_line(browser, kit):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    split, seen = [], 0
    for path in sorted((kit / "slides").glob("*.html")):
        page.goto(path.as_uri())
        for n in range(1, page.locator(".slide").count() + 1):
            for found in page.evaluate(NUMBERS):
                seen += 1
                if found["lines"] != 1:
                    split.append(f"{path.stem} slide {n}: {found['number']} on {found['lines']} lines")
            page.keyboard.press("ArrowRight")
    context.close()
    assert seen > 20, "the test found the numbers it checks"
    assert not split, "\n".join(split)
