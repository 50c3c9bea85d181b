"""Small pictures of each take-away for the README (docs/images/takeaway-*.png): the pocket card's
front, module 01's handout, the first slide with a table of the 90-minute session deck, and a
sample completion record (a fictional learner, a fixed demo key and the law's date, so the
picture only changes when the course does). `make pictures` runs it (never `make handouts`,
which writes only into handouts/): it builds a kit of its own in a temporary folder, or uses
the one given (`python scripts/takeaway_pictures.py handouts`).

The slide picture needs Chromium (/usr/bin/chromium); without it the old picture is kept.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

from dmst import load_law
from dmst.takeaways.build import build_all
from dmst.takeaways.records import write_records

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
WIDTH = 360
SAMPLE = [("ex01-defining-the-crime", 9, 10), ("ex02-victims-not-criminals", 10, 10), ("ex03-federal-law", 8, 10),
          ("ex04-connecticut-law", 9, 10), ("ex05-responding-and-reporting", 10, 10), ("ex06-capstone", 17, 20)]


def page_picture(pdf: Path, out: Path) -> None:
    page = pdfium.PdfDocument(str(pdf))[0]
    image = page.render(scale=2 * WIDTH / page.get_width()).to_pil().convert("L")
    image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS).save(out, optimize=True)


def first_table_slide(html: Path) -> int:
    """The number of the deck's first slide that shows a table (not counting its speaker notes)."""
    page = html.read_text(encoding="utf-8")
    for m in re.finditer(r"<section class=\"slide[^\"]*\" id=\"slide-(\d+)\"(.*?)</section>", page, re.S):
        if "<table" in m.group(2).split("<aside", 1)[0]:
            return int(m.group(1))
    return 1


def slide_picture(html: Path, out: Path) -> bool:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return False
    with tempfile.TemporaryDirectory() as tmp:
        shot = Path(tmp) / "slide.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=1280,720", f"--screenshot={shot}",
                        html.as_uri() + f"#slide-{first_table_slide(html)}"],
                       check=True, capture_output=True, timeout=120)
        image = Image.open(shot).convert("L")
        image.resize((WIDTH * 4 // 3, round(720 * WIDTH * 4 / 3 / 1280)), Image.LANCZOS).save(out, optimize=True)
    return True


def main(argv: list[str]) -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    law = load_law()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(argv[0]).resolve() if argv else Path(tmp) / "handouts"
        if not argv:
            build_all(out, law)
        page_picture(out / "pocket-card.pdf", IMAGES / "takeaway-card.png")
        page_picture(out / "handout-01-defining-the-crime.pdf", IMAGES / "takeaway-handout.png")
        if not slide_picture(out / "slides" / "90-minute-session.html", IMAGES / "takeaway-slides.png"):
            print("no Chromium: kept the old slide picture", file=sys.stderr)
        results = Path(tmp) / "results"
        results.mkdir()
        (results / "gradebook.csv").write_text(
            "learner,exercise,status,total,max\n" + "".join(f"Jordan Example,{e},graded,{t},{m}\n" for e, t, m in SAMPLE))
        (results / ".records-key").write_text(hashlib.sha256(b"dmst README sample").hexdigest() + "\n")
        [(_, pdf, _)] = write_records(results, law, 70, law.presets["current"], {})
        page_picture(pdf, IMAGES / "takeaway-record.png")
    print(f"pictures in {IMAGES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
