"""Helpers the take-away tests share: reading PDFs back, rendering pages, a copy of data/ to change.

A plain module (not conftest.py), so tests can import it whatever other conftest files exist."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from dmst import load_law

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "takeaways"


def pdf_pages(path: Path) -> list[str]:
    """The text of each page, read back with pypdf, whitespace collapsed."""
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages]


def flat(text: str) -> str:
    """Text compared as a reader sees it: whitespace collapsed, curly quotes straightened."""
    return " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split())


def render(path: Path, page: int = 0, scale: float = 1.5):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    return doc[page].render(scale=scale).to_pil().convert("RGB")


def colour_pixels(image) -> int:
    """How many pixels are not grey (a channel differs from another by more than anti-aliasing does)."""
    from PIL import ImageChops

    r, g, b = image.split()
    spread = ImageChops.lighter(ImageChops.lighter(ImageChops.difference(r, g), ImageChops.difference(g, b)),
                                ImageChops.difference(r, b))
    return sum(spread.point(lambda v: 255 if v > 12 else 0).histogram()[255:])


def screenshot(path: Path, name: str) -> Path:
    """The first page as a PNG in test-output/takeaways/, for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / name
    render(path, 0, 2).save(out)
    return out


def set_contacts(folder: Path, **changes) -> None:
    """Change fields of contacts in a copy of contacts.csv: set_contacts(f, fbi={"confidence": "high"})."""
    path = folder / "contacts.csv"
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows, columns = list(reader), reader.fieldnames
    for row in rows:
        row.update(changes.get(row["id"], {}))
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    load_law.cache_clear()


PHONE = re.compile(r"(?<![\w-])(?:\d-)?\d{3}-\d{3}-\d{4}(?![\w-])|(?<![\w-])911(?![\w-])|(?<![\w-])\d{6}(?![\w-])")
RAW_ID = re.compile(r"\b(?:us|ct)-(?:\d|pa-)[\w-]*")
PYTHON_TEXT = re.compile(r"\b(?:None|True|False|NaN|NaT|nan|Traceback|dmst\.\w+)\b|\{\w*\}|<[a-z/][^>]*>|\\\*|__")

# What a handout or a slide must never say: the notebook's own wording (the list).
NOTEBOOK_WORDING = re.compile(r"run the (?:next )?cell|run each cell|shift\s*\+\s*enter|\.ipynb\b|\.csv\b|\bdata/|"
                              r"\bclassifier\b|exercises[`'\"]? folder|do not edit", re.I)

# What only a notebook says: telling the reader to work it, or pointing at the page around it.
NOTEBOOK_ONLY = re.compile(r"\brun (?:the|this|each|that) cells?\b|\bcells?\b|\bclick|\btick\b|\bpress\b(?!\s+release)|"
                           r"\babove\b|\bbelow\b|\bthis notebook\b|\bnotebooks?\b|ctrl\s*\+|\bscroll\b|"
                           r"\bjupyterlab\b|\bkernel\b|\bwidgets?\b", re.I)


class Deck:
    """A slide deck read back: per slide its text, notes, HTML (without notes), kind and place
    (module, section); and every URL it loads or links."""

    def __init__(self, page: str):
        from html import unescape

        self.page = page
        self.slides, self.notes, self.html, self.kinds, self.places = [], [], [], [], []
        for m in re.finditer(r"<section (class=\"slide[^>]*)>(.*?)</section>", page, re.S):
            attrs, body = dict(re.findall(r"([\w-]+)=\"([^\"]*)\"", m.group(1))), m.group(2)
            notes = "".join(re.findall(r"<aside class=\"notes\"[^>]*>(.*?)</aside>", body, re.S))
            shown = re.sub(r"<aside class=\"notes\"[^>]*>.*?</aside>", "", body, flags=re.S)
            shown = re.sub(r"<footer>.*?</footer>", "", shown, flags=re.S)
            self.html.append(shown)
            self.slides.append(text_of(shown))
            self.notes.append(text_of(notes))
            self.kinds.append(attrs.get("data-kind"))
            self.places.append((attrs.get("data-module"), attrs.get("data-section")))
        body = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", page, flags=re.S)
        self.loads = re.findall(r"<(?:script|img|iframe|link|audio|video|source)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", body)
        self.links = re.findall(r"<a\b[^>]*\bhref=\"([^\"]+)\"", body)


INLINE = re.compile(r"</?(?:strong|em|b|i|code|q|a|span|small|sup|sub|kbd)\b[^>]*>")


def text_of(html: str) -> str:
    """HTML as the text a reader sees: inline marks dropped, blocks apart, entities read."""
    from html import unescape

    return flat(unescape(re.sub(r"<[^>]+>", " ", INLINE.sub("", html))))


def deck(folder: Path, name: str) -> Deck:
    return Deck((folder / "slides" / f"{name}.html").read_text(encoding="utf-8"))


FOOTER = re.compile(r"Module \d\d · [^·]+ · law as reviewed on [^·]+ · training, not legal advice Page \d+ of \d+")


def handout_text(folder: Path, slug: str) -> str:
    """A handout's text as one reads it: its pages run together, without the footers between them."""
    return flat(FOOTER.sub(" ", " ".join(pdf_pages(folder / f"handout-{slug}.pdf"))))
