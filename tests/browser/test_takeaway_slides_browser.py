"""The kit's slides in Chromium at projector size (1280 × 720): every slide of every deck fits the
screen with text large enough to read, nothing is fetched from the network, the keys work, and the
speaker notes (answers, timings) appear only in the speaker window, never on the projected page."""
from __future__ import annotations

from pathlib import Path

import pytest


pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1280, "height": 720}
SMALLEST_TEXT = 14          # px: the smallest text a room can read from a projected 1280 × 720 slide

# For the slide on screen: does its content fit, is anything outside the screen, how small is its text?
MEASURE = """() => {
  const slide = document.querySelector('.slide.current'), c = slide.querySelector('.content');
  const out = [];
  for (const el of c.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && (r.right > innerWidth + 1 || r.bottom > innerHeight + 1 || r.left < -1 || r.top < -1)) {
      out.push(el.tagName + ': ' + (el.textContent || '').trim().slice(0, 50));
    }
  }
  let smallest = 1000;
  for (const el of c.querySelectorAll('*')) {
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (own) { smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize)); }
  }
  return {fits: c.scrollHeight <= c.clientHeight + 1 && c.scrollWidth <= c.clientWidth + 1,
          outside: out, smallest: smallest, notes: Array.from(document.querySelectorAll('.notes')).some(n => n.offsetParent !== null),
          id: slide.id, scale: slide.dataset.scale};
}"""


def decks(kit: Path) -> list[Path]:
    return sorted((kit / "slides").glob("*.html"))


def test_every_slide_of_every_deck_fits_the_projector(browser, kit, output_dir):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    shots = output_dir.parent / "takeaways"
    shots.mkdir(parents=True, exist_ok=True)
    problems, seen = [], 0
    for path in decks(kit):
        page.goto(path.as_uri())
        total = page.locator(".slide").count()
        for n in range(1, total + 1):
            m = page.evaluate(MEASURE)
            assert m["id"] == f"slide-{n}", (path.name, m["id"])
            if not m["fits"] or m["outside"]:
                problems.append(f"{path.stem} slide {n}: runs past the edge {m['outside'][:3]}")
            if m["smallest"] < SMALLEST_TEXT:
                problems.append(f"{path.stem} slide {n}: text at {m['smallest']:.0f}px")
            if m["notes"]:
                problems.append(f"{path.stem} slide {n}: speaker notes on the projected slide")
            if n in (1, 4):
                page.screenshot(path=str(shots / f"slides-{path.stem}-{n}.png"))
            seen += 1
            page.keyboard.press("ArrowRight")
    context.close()
    assert seen > 100
    assert not problems, "\n".join(problems)


def test_slides_run_offline_and_the_keys_move_through_them(browser, kit):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    requested = []
    page.route("**/*", lambda route: (requested.append(route.request.url),
                                      route.continue_() if route.request.url.startswith(("file:", "data:"))
                                      else route.abort()))
    page.goto((kit / "slides" / "06-scenario-simulator.html").as_uri())
    visible = page.locator(".slide:visible")
    assert visible.count() == 1 and visible.get_attribute("id") == "slide-1"
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.slide.current p')).fontSize)")
    assert font >= 20, f"body text {font}px is too small to project"
    page.keyboard.press("ArrowRight")
    assert page.locator(".slide:visible").get_attribute("id") == "slide-2" and page.url.endswith("#slide-2")
    page.keyboard.press("End")
    last = page.locator(".slide").count()
    assert page.locator(".slide:visible").get_attribute("id") == f"slide-{last}"
    page.keyboard.press("Home")
    assert page.locator(".slide:visible").get_attribute("id") == "slide-1"
    kiosk = page.locator("a[href='../index.html#simulator']")
    assert kiosk.count() == 1
    assert all(url.startswith(("file:", "data:")) for url in requested), [u for u in requested if not u.startswith("file:")]
    context.close()


@pytest.mark.parametrize("key", ["n", "s"])
def test_n_and_s_open_the_speaker_window_and_never_show_notes_on_the_slide(browser, kit, output_dir, key):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto((kit / "slides" / "01-defining-the-crime.html").as_uri())
    checks = page.locator(".slide[data-kind=checks]").first.get_attribute("id")
    page.goto((kit / "slides" / "01-defining-the-crime.html").as_uri() + f"#{checks}")
    answer = page.locator(f"#{checks} .notes li").first.text_content().strip()
    with context.expect_page() as popup:
        page.keyboard.press(key)
    speaker = popup.value
    speaker.wait_for_load_state()
    assert answer[:40] in speaker.inner_text("body")                # the answer is in the speaker window
    assert answer[:40] not in page.inner_text("body")               # and nowhere on the projected page
    assert page.locator(".notes:visible").count() == 0
    page.screenshot(path=str(output_dir.parent / "takeaways" / f"slides-after-{key}.png"))
    speaker.screenshot(path=str(output_dir.parent / "takeaways" / f"speaker-window-{key}.png"))
    context.close()


def test_the_speaker_window_follows_the_session_deck_and_shows_its_timing(browser, kit):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto((kit / "slides" / "90-minute-session.html").as_uri() + "#slide-3")
    with context.expect_page() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_load_state()
    text = speaker.inner_text("body")
    assert "Slide 3 of" in text and "Plan: 0:00 to 0:07" in text and "next:" in text
    page.keyboard.press("ArrowRight")
    assert "Slide 4 of" in speaker.inner_text("body")
    speaker.keyboard.press("ArrowRight")                           # the keys work in the speaker window too
    assert page.locator(".slide:visible").get_attribute("id") == "slide-5"
    assert "since the first slide" in speaker.inner_text("body")
    context.close()
