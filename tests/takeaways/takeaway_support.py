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
