"""A learner's feedback page (`RESULTS/feedback/<learner>.html`): what to send back to them.

Per exercise: its title; their points of the exercise's maximum, and what awaits a hand mark;
then per question its label and its text (short, as the exercise asks it), the learner's answer
as they wrote it (the answer taken out of their notebook as data), right or not, and once each
the check's message, its hint and where in the course to look. Never test code; never the right
answer, unless the instructor asks for it (`dmst grade --show-answers`). Files that could not be
graded are listed with what happened and what to do.

Everything from a submission is HTML-escaped, and the page allows no scripts, no network and
no external files (a Content-Security-Policy), so it is safe to open and to send.
"""
from __future__ import annotations

import html
import re

from .. import DISCLAIMER
from .gradebook import SCORED, STATUS_WORDS
from .text import answer_text

STYLE = ("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:46em;margin:1.5em auto;"
         "padding:0 1em;line-height:1.5;color:#1a1a1a}h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;"
         "border-bottom:2px solid #333}h3{font-size:1.05em;margin:0 0 .3em}"
         ".total{font-size:1.1em;background:#f2f2f2;padding:.6em .8em;border-radius:4px}"
         "ol.questions{list-style:none;padding:0}ol.questions>li{border:1px solid #bbb;border-left:6px solid #bbb;"
         "border-radius:4px;padding:.6em .9em;margin:.8em 0}"
         "ol.questions>li.right{border-left-color:#1b7a2f}ol.questions>li.wrong{border-left-color:#b3261e}"
         "ol.questions>li.partial{border-left-color:#a15c00}ol.questions>li.waiting{border-left-color:#555}"
         ".result{font-weight:600}.right .result{color:#1b7a2f}.wrong .result{color:#b3261e}"
         ".partial .result{color:#8a4f00}.asked{margin:.2em 0 .5em}.label{font-weight:600}"
         ".answer{white-space:pre-line}.note{background:#fff8e0;padding:.5em .8em;border-radius:4px}"
         "p{margin:.3em 0}")
RESULTS = {"passed": ("right", "✔ Right"), "partial": ("partial", "◐ Partly right"), "failed": ("wrong", "✘ Not yet"),
           "not_run": ("wrong", "✘ Not checked"), "no_response": ("wrong", "✘ No answer"),
           "needs_manual": ("waiting", "· awaiting your instructor's mark"),
           "marked": ("right", "✔ Marked by your instructor")}
# Sentences that only repeat what the result line says.
_REDUNDANT = re.compile(r"^(?:(?:Question \d+|[\w ]{1,40}) is not right(?: yet)?\.|Part of this answer is right\."
                        r"|Awaiting grading by hand\.|No answer was written\.)$")


def page(learner: str, records: list[dict], show_answers: bool = False) -> str:
    """The feedback page for one learner, from their records (with any hand marks merged)."""
    e = html.escape
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Your feedback on the exercises ({e(learner or 'unnamed')})</title>", f"<style>{STYLE}</style>",
             "</head>", "<body>", "<h1>Your feedback on the exercises</h1>",
             f"<p>For: <strong>{e(learner or 'unnamed')}</strong></p>", f"<p>{e(DISCLAIMER)}</p>"]
    taken = sorted((r for r in records if r["status"] in SCORED), key=lambda r: r["exercise"])
    for rec in taken:
        parts += _exercise(rec, show_answers)
    others = [r for r in records if r["status"] not in SCORED]
    if others:
        parts.append("<h2>Files that were not graded</h2>")
        parts.append("<p>Your instructor graded another copy, or could not grade these files. If one of them is "
                     "the work you meant to hand in, send it again (File, then Download, in JupyterLab).</p><ul>")
        for rec in sorted(others, key=lambda r: r["file"]):
            parts.append(f"<li><strong>{e(rec['file'])}</strong>: {e(_why_not_graded(rec))}</li>")
        parts.append("</ul>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _why_not_graded(rec: dict) -> str:
    """The status in words and the grader's note, the words said once: "not graded: the file is not
    a notebook: not valid JSON (…)", not "… not a notebook. the file is not a notebook: …"."""
    words = STATUS_WORDS.get(rec["status"], rec["status"])
    note = rec["notes"][0] if rec["notes"] else ""
    if not note:
        return words
    if note.startswith(words.removeprefix("not graded: ")):
        return f"not graded: {note}" if words.startswith("not graded: ") else note
    return f"{words}. {note[:1].upper()}{note[1:]}"


def _exercise(rec: dict, show_answers: bool) -> list[str]:
    e = html.escape
    questions = rec["questions"]
    waiting = [q for q in questions if q["result"] == "needs_manual"]
    marked = [q for q in questions if q["result"] == "marked"]
    out = [f"<section><h2>{e(rec.get('title') or rec['exercise'])}</h2>"]
    total = f"<strong>{_n(rec['total'])} of {_n(rec['max'])} points</strong>"
    if waiting:
        total += (f" so far: {_n(sum(q['max'] for q in waiting))} more point"
                  f"{'s' if sum(q['max'] for q in waiting) != 1 else ''} await your instructor's mark "
                  f"({', '.join(e(q.get('label') or q['id']) for q in waiting)}).")
    elif marked:
        total += f", including {_n(sum(q['points'] for q in marked))} marked by your instructor."
    else:
        total += "."
    out.append(f'<p class="total">{total}</p>')
    if rec["status"] != "graded":
        out.append(f'<p class="note">{e(STATUS_WORDS.get(rec["status"], rec["status"]).capitalize())}.</p>')
    out.append('<ol class="questions">')
    for q in questions:
        out += _question(q, show_answers)
    out.append("</ol></section>")
    return out


def _question(q: dict, show_answers: bool) -> list[str]:
    e = html.escape
    kind, words = RESULTS.get(q["result"], ("waiting", q["result"]))
    points = "" if q["points"] is None else f" · {_n(q['points'])} of {_n(q['max'])} point{'s' if q['max'] != 1 else ''}"
    out = [f'<li class="{kind}">', f"<h3>{e(q.get('label') or q['id'])} "
                                   f'<span class="result">{words}{points}</span></h3>']
    if q.get("text"):
        out.append(f'<p class="asked">{e(q["text"])}</p>')
    answer = "" if q["result"] == "no_response" else q.get("answer")
    out.append(f'<p><span class="label">Your answer:</span> <span class="answer">'
               f'{e(answer) if answer else "(no answer)"}</span></p>')
    message, hint, see = split_message(q.get("hint", "")) if q["result"] != "marked" else ([], "", "")
    for line in message:
        if "could not read your answer" in line and (answer or "").startswith("(the grader could not read it"):
            continue  # the answer line says so already
        out.append(f"<p>{e(line)}</p>")
    if hint:
        out.append(f'<p><span class="label">Hint:</span> {e(hint)}</p>')
    if see or (q.get("see") and q["result"] in ("failed", "partial", "no_response", "not_run")):
        out.append(f'<p><span class="label">Where to look:</span> {e(see or q["see"])}</p>')
    if q["result"] == "marked" and q.get("comment"):
        out.append(f'<p><span class="label">Your instructor\'s comment:</span> {e(q["comment"])}</p>')
    if show_answers and q["result"] not in ("passed", "marked") and q.get("right") is not None:
        out.append(f'<p><span class="label">The answer:</span> {e(answer_text(q["right"]))}</p>')
    out.append("</li>")
    return out


def split_message(message: str) -> tuple[list[str], str, str]:
    """A check's message as (what it says, the hint, where to look), each said once: a question's
    check and its hidden test both speak when an answer is wrong, so only the first statement
    (the one the learner saw in the notebook) and the first hint and place are kept."""
    lines, hint, see, stated = [], "", "", False
    for raw in (message or "").splitlines():
        statement = raw.strip().startswith("✘")
        line = raw.strip().removeprefix("✘").strip()
        if not line:
            continue
        if line.startswith("Hint:"):
            hint = hint or line.removeprefix("Hint:").strip()
        elif line.startswith("Where to look:"):
            see = see or line.removeprefix("Where to look:").strip()
        elif statement and stated:
            continue
        elif line not in lines and not _REDUNDANT.match(line):
            lines.append(line)
        stated = stated or statement
    return lines, hint, see


def _n(x: float) -> str:
    return f"{x:g}"
