"""What a notebook cell shows (its HTML output), cleaned and cut into pieces that fit on slides.

The course's outputs are already made for people (tables with human labels, result panels,
charts as images with a text description). A slide shows the same thing, so the slides are made
from those outputs rather than from a second copy of the data:

- `blocks(html)` parses an output, keeps only what a slide can show (tables, paragraphs, lists,
  headings, quotations, images embedded as data), drops styles, scripts, links (their text stays)
  and anything collapsed (a closed `<details>`; in a table cell, a collapsed citation keeps its
  short form), and returns its top-level blocks, each with a weight: an estimate of how many lines
  of slide text it takes;
- `split_table(block, budget)` cuts a table that is too long for one slide into pieces at row
  boundaries no merged cell crosses, each piece with the table's header.

Text is escaped when written back, so nothing in an output can add markup to a slide.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = {"br", "img", "hr", "meta", "input", "col", "wbr", "source", "link"}
DROP = {"script", "style", "button", "input", "select", "textarea", "svg", "iframe", "object", "form", "noscript"}
KEEP = {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "p", "ul", "ol", "li", "strong", "b",
        "em", "i", "blockquote", "q", "br", "img", "code", "small", "sup", "sub", "h3", "h4", "h5"}
HEADINGS = {"h1": "h3", "h2": "h3", "h3": "h3", "h4": "h4", "h5": "h5", "h6": "h5"}
BLOCK = {"table", "p", "ul", "ol", "blockquote", "img", "h3", "h4", "h5"}
ATTRS = {"th": ("scope", "rowspan", "colspan"), "td": ("rowspan", "colspan"), "img": ("src", "alt")}
LINE = 64              # characters in one line of slide text at full size
TABLE_FONT = 0.78      # a slide table's text size, against the slide's (slides.py's CSS)


@dataclass
class Node:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)     # Node or str

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def inner(self) -> str:
        return "".join(escape(c, quote=False) if isinstance(c, str) else c.html() for c in self.children)

    def html(self) -> str:
        inner = self.inner()
        attrs = "".join(f' {k}="{escape(str(v))}"' for k, v in self.attrs.items())
        return f"<{self.tag}{attrs}>" if self.tag in VOID else f"<{self.tag}{attrs}>{inner}</{self.tag}>"


@dataclass
class Block:
    node: Node
    weight: float

    @property
    def kind(self) -> str:
        return self.node.tag

    def html(self) -> str:
        return self.node.html()


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    tree = _Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def clean(node: Node, text=lambda s: s, in_cell: bool = False) -> list:
    """The node's children as a slide may show them (see the module docstring). `text` rewrites
    each piece of text (the take-aways use it to put the course's words in)."""
    out: list = []
    for child in node.children:
        if isinstance(child, str):
            out.append(text(child))
            continue
        tag = child.tag
        if tag in DROP:
            continue
        if tag == "details":
            summary = next((c for c in child.children if isinstance(c, Node) and c.tag == "summary"), None)
            if "open" in child.attrs:
                rest = Node("div", children=[c for c in child.children if c is not summary])
                if summary is not None:
                    out.append(Node("h4", children=clean(summary, text)))
                out.extend(clean(rest, text, in_cell))
            elif in_cell and summary is not None:
                out.extend(clean(summary, text, in_cell))
            continue
        if tag == "img" and not str(child.attrs.get("src", "")).startswith("data:image/"):
            continue
        inside = in_cell or tag in ("td", "th")
        if tag in HEADINGS:
            out.append(Node(HEADINGS[tag], children=clean(child, text, inside)))
        elif tag in KEEP:
            attrs = {k: v for k, v in child.attrs.items() if k in ATTRS.get(tag, ()) and v is not None}
            out.append(Node("strong" if tag == "b" else "em" if tag == "i" else tag, attrs, clean(child, text, inside)))
        else:                                        # div, section, span, a, article, …: their content
            kids = clean(child, text, inside)
            if tag in ("div", "article", "section", "figure") and not in_cell:
                out.append(Node("group", children=kids))
            elif tag in ("div", "article", "section", "figure") and out:   # a block inside a cell: on a line of its own
                out.extend([Node("br"), *kids])
            else:
                out.extend(kids)
    return out


def blocks(html: str, text=lambda s: s) -> list[Block]:
    """The output's top-level blocks, cleaned, each with its weight (see the module docstring)."""
    out: list[Block] = []
    loose: list = []

    def flush():
        if "".join(c if isinstance(c, str) else c.text() for c in loose).strip():
            p = Node("p", children=list(loose))
            out.append(Block(p, weight(p)))
        loose.clear()

    def walk(items):
        for item in items:
            if isinstance(item, Node) and item.tag == "group":
                flush()
                walk(item.children)
                flush()
            elif isinstance(item, Node) and item.tag in BLOCK:
                flush()
                if item.tag == "img" or item.text().strip():
                    out.append(Block(item, weight(item)))
            else:
                loose.append(item)
        flush()

    walk(clean(parse(html), text))
    return out


def weight(node: Node) -> float:
    """About how many full-width lines of slide text the node takes (images: a whole slide's worth
    is not assumed; they are scaled to the room left)."""
    tag = node.tag
    if tag == "img":
        return 12.0
    if tag == "table":
        return _table_weight(node)
    if tag in ("ul", "ol"):
        return sum(_lines(li.text()) + 0.25 for li in _children(node, "li")) + 0.3
    if tag in ("h3", "h4", "h5"):
        return 1.4
    return _lines(node.text()) + 0.4


def _lines(text: str, width: float = LINE) -> float:
    return max(1, math.ceil(len(" ".join(text.split())) / max(width, 8)))


def _children(node: Node, tag: str) -> list[Node]:
    return [c for c in node.children if isinstance(c, Node) and c.tag == tag]


def rows(table: Node) -> tuple[list[Node], list[Node], Node | None]:
    """(header rows, body rows, caption) of a table."""
    head, body, caption = [], [], None
    for child in table.children:
        if not isinstance(child, Node):
            continue
        if child.tag == "caption":
            caption = child
        elif child.tag == "thead":
            head.extend(_children(child, "tr"))
        elif child.tag in ("tbody", "tfoot"):
            body.extend(_children(child, "tr"))
        elif child.tag == "tr":
            body.append(child)
    return head, body, caption


def _cells(row: Node) -> list[Node]:
    return [c for c in row.children if isinstance(c, Node) and c.tag in ("td", "th")]


def _table_weight(table: Node) -> float:
    head, body, caption = rows(table)
    share = _column_shares(head + body, _columns(head + body))
    return (TABLE_FONT if caption is not None else 0.0) + sum(_heights(head + body, share))


def _columns(all_rows: list[Node]) -> int:
    return max((col + 1 for placed in _grid(all_rows) for col, _ in placed), default=1)


def _grid(all_rows: list[Node]) -> list[list[tuple[int, Node]]]:
    """Each row's cells with the column each starts in, merged cells (rowspan) taken into account."""
    taken: dict[int, int] = {}                      # column -> rows it is still taken for
    out = []
    for row in all_rows:
        placed, column = [], 0
        for cell in _cells(row):
            while taken.get(column, 0) > 0:
                column += 1
            placed.append((column, cell))
            span = int(cell.attrs.get("colspan", 1) or 1)
            for c in range(column, column + span):
                taken[c] = int(cell.attrs.get("rowspan", 1) or 1)
            column += span
        taken = {c: n - 1 for c, n in taken.items() if n > 1}
        out.append(placed)
    return out


def _column_shares(all_rows: list[Node], columns: int) -> list[float]:
    """Roughly the width a browser gives each column: its share of the table's text, at least a
    little for every column."""
    chars = [1.0] * columns
    for placed in _grid(all_rows):
        for column, cell in placed:
            if column < columns:
                chars[column] += min(len(cell.text()), 400)
    total = sum(chars)
    shares = [max(c / total, 0.6 / columns) for c in chars]
    scale = sum(shares)
    return [s / scale for s in shares]


def _heights(all_rows: list[Node], share: list[float]) -> list[float]:
    """Each row's height in full-size lines: its tallest cell at the table's smaller text, and padding."""
    width = LINE / TABLE_FONT
    out = []
    for placed in _grid(all_rows):
        lines = max((_lines(cell.text(), width * share[min(col, len(share) - 1)] - 2) for col, cell in placed), default=1)
        out.append((lines + 0.4) * TABLE_FONT)
    return out


def _crossed(body: list[Node]) -> set[int]:
    """Indexes of body rows that a merged cell (rowspan) from an earlier row reaches into."""
    covered: set[int] = set()
    for i, row in enumerate(body):
        for cell in _cells(row):
            span = int(cell.attrs.get("rowspan", 1) or 1)
            covered.update(range(i + 1, i + span))
    return covered


SLACK = 1.25           # a table or list up to this much over the budget is kept whole (the slide shrinks it)


def split_table(block: Block, budget: float) -> list[Block]:
    """The table in pieces of about equal height, as few as keep each within `budget` lines (a piece
    may be larger only when one row, or a group joined by merged cells, is); each piece repeats the
    header and the caption."""
    head, body, caption = rows(block.node)
    if block.weight <= budget * SLACK or len(body) < 2:
        return [block]
    share = _column_shares(head + body, _columns(head + body))
    all_heights = _heights(head + body, share)
    fixed = (TABLE_FONT if caption is not None else 0.0) + sum(all_heights[:len(head)])
    crossed = _crossed(body)
    heights = all_heights[len(head):]
    target = fixed + sum(heights) / math.ceil(sum(heights) / max(budget - fixed, 1))
    pieces: list[list[Node]] = [[]]
    used = fixed
    for i, row in enumerate(body):
        lines = heights[i]
        if pieces[-1] and used + lines > target + 0.5 and i not in crossed:
            pieces.append([])
            used = fixed
        pieces[-1].append(row)
        used += lines
    out = []
    for piece in pieces:
        children = ([caption] if caption is not None else []) + (
            [Node("thead", children=head)] if head else []) + [Node("tbody", children=piece)]
        node = Node("table", dict(block.node.attrs), children)
        out.append(Block(node, weight(node)))
    return out


def unstack(block: Block, budget: float) -> list[Block]:
    """A table of one row (a "brochure | statute" panel) that is too tall for a slide, as what its
    columns hold, one after the other, each under its column's heading; else the table as it is."""
    head, body, caption = rows(block.node)
    if block.weight <= budget or len(body) != 1 or len(head) > 1:
        return [block]
    labels = _cells(head[0]) if head else []
    out: list[Block] = []
    for i, cell in enumerate(_cells(body[0])):
        if i < len(labels) and labels[i].text().strip():
            h = Node("h4", children=list(labels[i].children))
            out.append(Block(h, weight(h)))
        loose: list = []
        for child in cell.children + [None]:
            if child is None or (isinstance(child, Node) and child.tag in BLOCK):
                if "".join(c if isinstance(c, str) else c.text() for c in loose).strip():
                    p = Node("p", children=loose)
                    out.append(Block(p, weight(p)))
                loose = []
                if child is not None:
                    out.append(Block(child, weight(child)))
            else:
                loose.append(child)
    return out


def split_list(block: Block, budget: float) -> list[Block]:
    """A list too long for one slide, in pieces of whole items (numbering carried on)."""
    items = _children(block.node, "li")
    if block.weight <= budget * SLACK or len(items) < 2:
        return [block]
    heights = [_lines(li.text()) + 0.25 for li in items]
    target = sum(heights) / math.ceil(sum(heights) / budget)
    pieces: list[list[Node]] = [[]]
    used = 0.0
    for li, lines in zip(items, heights):
        if pieces[-1] and used + lines > target + 0.5:
            pieces.append([])
            used = 0.0
        pieces[-1].append(li)
        used += lines
    out, start = [], 1
    for piece in pieces:
        attrs = {"start": str(start)} if block.kind == "ol" and start > 1 else {}
        node = Node(block.kind, attrs, piece)
        out.append(Block(node, weight(node)))
        start += len(piece)
    return out


def empty_table(block: Block) -> bool:
    """A table whose only row says "none" (the course's table of nothing)."""
    head, body, _ = rows(block.node)
    return block.kind == "table" and len(body) == 1 and len(_cells(body[0])) == 1 and \
        body[0].text().strip().lower() in ("none", "—", "")


def image_bands(block: Block, aspect: float) -> list[Block]:
    """A picture taller than `aspect` (height / width) cut into bands that are not, at the rows with
    the least ink near each cut (between a chart's rows), so each band can be shown at full width."""
    import base64
    import io

    from PIL import Image

    src = str(block.node.attrs.get("src", ""))
    kind, _, data = src.partition(";base64,")
    if not data:
        return [block]
    image = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
    width, height = image.size
    bands = math.ceil(height / (width * aspect))
    if bands < 2:
        return [block]
    import numpy

    ink = (numpy.asarray(image.convert("L")) < 200).sum(axis=1).tolist()
    cuts, step = [0], height / bands
    for n in range(1, bands):
        ideal = round(n * step)
        window = range(max(cuts[-1] + 1, ideal - round(step * 0.2)), min(height - 1, ideal + round(step * 0.2)))
        cuts.append(min(window, key=lambda y: (ink[y], abs(y - ideal))) if window else ideal)
    cuts.append(height)
    out = []
    alt = str(block.node.attrs.get("alt", ""))
    for n in range(bands):
        buf = io.BytesIO()
        image.crop((0, cuts[n], width, cuts[n + 1])).save(buf, format="PNG", optimize=True)
        uri = f"{kind};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"
        label = alt if n == 0 else f"{alt} (part {n + 1} of {bands})" if alt else f"part {n + 1} of {bands}"
        out.append(Block(Node("img", {"src": uri, "alt": label}), block.weight))
    return out
