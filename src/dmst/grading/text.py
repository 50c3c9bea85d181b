"""Text that came from a submission, made safe for where it goes: a file, a spreadsheet, a terminal.

Names of files and folders, answers and messages are chosen by learners, so none of them may
break what they are written into:

- `safe_text`: for JSON, CSV and HTML files: a lone surrogate (from a name that is not UTF-8)
  or a control character other than newline and tab is escaped, never fatal;
- `printable`: for a terminal: one line, with every character that moves the cursor, changes
  colours, reorders text or starts a line (ESC, CR, LF, U+202E, U+2028 ...) shown as an escape,
  so a file name cannot clear the screen or print a fake summary line;
- `capped`: text the grader writes into a CSV cell, kept to a length a spreadsheet (and the
  course's own readers) can hold, with a visible "…(cut: ...)" saying where the rest is;
- `spreadsheet_text` / `from_spreadsheet`: a CSV cell a spreadsheet shows as text (a leading
  apostrophe before =, +, -, @, tab, CR and the apostrophe itself), and the same cell read back
  by the course's own tools, which undo exactly that (so "@ann" stays "@ann").
"""
from __future__ import annotations

import re
import unicodedata

FORMULA = tuple("=+-@\t\r'")          # first characters that get the apostrophe (the last keeps it reversible)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_text(text: str) -> str:
    """`text` with lone surrogates and control characters (but newline and tab) escaped."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def safe_data(value):
    """`value` (a record) with every string in it made safe (see safe_text)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, list):
        return [safe_data(v) for v in value]
    if isinstance(value, dict):
        return {safe_text(k): safe_data(v) for k, v in value.items()}
    return value


def printable(text) -> str:
    """`text` as one terminal line: control, format, separator, surrogate, private and unassigned
    characters are shown as escapes (\\n, \\x1b, \\u202e); ordinary spaces and letters stay."""
    out = []
    for ch in str(text):
        if ch == " " or unicodedata.category(ch)[0] not in "CZ":
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def spreadsheet_text(text):
    """`text` as a CSV cell a spreadsheet shows as text: "=..." (or +, -, @, ', tab, CR) gets a
    leading apostrophe. Anything that is not text is returned as it is."""
    return "'" + text if isinstance(text, str) and text.startswith(FORMULA) else text


def from_spreadsheet(text: str) -> str:
    """A cell written by `spreadsheet_text`, read back: the apostrophe it added is removed."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA) else text


def capped(text: str, limit: int, rest: str) -> str:
    """`text`, or its first characters and "…(cut: `rest`)" so that it is at most `limit` long."""
    if len(text) <= limit:
        return text
    tail = f" …(cut: {rest})"
    return text[:max(limit - len(tail), 0)] + tail


def answer_text(value, limit: int = 300) -> str:
    """An answer taken out of a notebook, as a person reads it: words as they are, True/False,
    numbers, a list as its items separated by commas; "(no answer)" for None; cut at `limit`."""
    if value is None:
        text = "(no answer)"
    elif isinstance(value, bool):
        text = "True" if value else "False"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, (list, tuple)):
        text = ", ".join(answer_text(v, limit) for v in value) if value else "an empty list"
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {answer_text(v, limit)}" for k, v in value.items()) if value else "nothing"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def answer_form(value, limit: int = 300) -> str:
    """An answer with its form shown, for a list of answers where a wrong one must not read as the
    right one: words, True/False and numbers as answer_text gives them, in quotes (“True”); a list
    in brackets ([“True”]); a dictionary in braces; "(no answer)" for None; cut at `limit`."""
    if isinstance(value, (list, tuple)):
        text = "[" + ", ".join(answer_form(v, limit) for v in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{answer_form(k, limit)}: {answer_form(v, limit)}" for k, v in value.items()) + "}"
    elif value is None:
        text = "(no answer)"
    else:
        text = quoted(answer_text(value, limit))
    return text if len(text) <= limit else text[:limit] + " …"


def quoted(text: str) -> str:
    """`text` in curly quotes, with the quotes inside it escaped, so that no answer can close its
    quotes and show more answers or counts of its own choosing."""
    return "“" + text.replace("“", "\\u201c").replace("”", "\\u201d") + "”"
