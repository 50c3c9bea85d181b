"""The instructor slides in Chromium: offline, one slide at a time at projector size, keys, notes."""
from __future__ import annotations

from pathlib import Path

import pytest

from dmst.takeaways.build import build_all

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def slides(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("handouts")
    build_all(out)
    return out / "slides"


def test_slides_run_offline_at_projector_size(browser, slides, output_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    requested = []
    page.route("**/*", lambda route: (requested.append(route.request.url),
                                      route.continue_() if route.request.url.startswith("file:") else route.abort()))
    page.goto((slides / "06-scenario-simulator.html").as_uri())
    visible = page.locator(".slide:visible")
    assert visible.count() == 1 and visible.get_attribute("id") == "slide-1"
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.slide.current p')).fontSize)")
    assert font >= 20, f"body text {font}px is too small to project"
    shots = output_dir.parent / "takeaways"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "slides-first.png"))

    page.keyboard.press("ArrowRight")
    assert page.locator(".slide:visible").get_attribute("id") == "slide-2" and page.url.endswith("#slide-2")
    page.keyboard.press("End")
    last = page.locator(".slide").count()
    assert page.locator(".slide:visible").get_attribute("id") == f"slide-{last}"
    page.keyboard.press("Home")
    assert not page.locator(".slide.current .notes").is_visible()
    page.keyboard.press("n")
    assert page.locator(".slide.current .notes").is_visible()

    # The kiosk slide links the simulator that `make simulator` serves.
    page.goto((slides / "06-scenario-simulator.html").as_uri())
    kiosk = page.locator("a[href^='http://localhost']")
    assert kiosk.count() == 1
    assert all(url.startswith("file:") for url in requested), [u for u in requested if not u.startswith("file:")]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    context.close()


def test_speaker_window_follows_the_slides(browser, slides):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto((slides / "01-defining-the-crime.html").as_uri() + "#slide-1")
    with context.expect_page() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    assert "Slide 1 of" in speaker.inner_text("body")
    page.keyboard.press("ArrowRight")
    assert "Slide 2 of" in speaker.inner_text("body")
    context.close()
