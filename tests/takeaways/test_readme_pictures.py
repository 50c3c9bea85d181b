"""The README shows each take-away with a committed picture that scripts/takeaway_pictures.py makes."""
import re

from takeaway_support import ROOT


def test_readme_pictures_exist_and_are_the_ones_the_script_makes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"docs/images/(takeaway-[\w-]+\.png)", readme))
    made = set(re.findall(r"IMAGES / \"(takeaway-[\w-]+\.png)\"", (ROOT / "scripts" / "takeaway_pictures.py").read_text()))
    assert shown == made == {"takeaway-card.png", "takeaway-handout.png", "takeaway-slides.png", "takeaway-record.png"}
    for name in shown:
        assert (ROOT / "docs" / "images" / name).stat().st_size > 5000, name
