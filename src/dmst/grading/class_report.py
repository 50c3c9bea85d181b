"""`RESULTS/report.html`: the item analysis as a page a training coordinator can read.

Per exercise, by its title: how many learners' work it covers and how many still await a hand
mark; a chart of the share of learners with full points on each question (matplotlib, with alt
text written from the same numbers); the questions almost nobody gets right (at most
HARD of learners) or that do not tell stronger learners from weaker ones (discrimination below
WEAK), each with the part of the course its check points to, in words; a table of every question
(its label and text, learners, how many had full points, whether stronger learners got it right
more often, the most common wrong answers); and the distribution of totals. Questions are named
by their label and text, never by id alone.

A figure from a small class says little: a question is called hard only when at least
FEW_FOR_SHARE learners answered it (below that, one learner moves the share by more than ten
points), and judged on whether it tells stronger learners from weaker ones only when at least
FEW_FOR_DISCRIMINATION did (the point-biserial correlation of a smaller class is mostly chance).
Below those numbers the page says so and flags nothing on that figure.

The page is one self-contained file: charts are inline PNG images, and it loads nothing else.
"""
from __future__ import annotations

import base64
import html
import io
from collections import Counter

from .. import DISCLAIMER
from .item_analysis import ExerciseSummary, Item, wrong_text

HARD = 0.3      # share right at or below which a question is flagged as hard
WEAK = 0.2      # discrimination below which a question is flagged as not telling learners apart
STRONG = 0.3    # discrimination from which a question clearly tells learners apart
FEW_FOR_SHARE = 10            # learners needed before a question is called hard
FEW_FOR_DISCRIMINATION = 30   # learners needed before discrimination is judged
STYLE = ("body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:62em;margin:1.5em auto;"
         "padding:0 1em;line-height:1.5;color:#1a1a1a}h1{font-size:1.7em}h2{font-size:1.35em;margin-top:2.2em;"
         "border-bottom:2px solid #333}table{border-collapse:collapse;width:100%;margin:.8em 0}"
         "th,td{border:1px solid #999;padding:.35em .5em;text-align:left;vertical-align:top}th{background:#eee}"
         "td.n{text-align:right;white-space:nowrap}.flag{background:#fff4e5;border-left:5px solid #a15c00;"
         "padding:.5em .8em;margin:.5em 0}img{max-width:100%;height:auto}.muted{color:#444}")


def page(summaries: list[ExerciseSummary], course_title: str = "") -> str:
    e = html.escape
    parts = ["<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
             "img-src data:\">", '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>Which questions the class got right</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             "<h1>Which questions the class got right</h1>"]
    if course_title:
        parts.append(f"<p>{e(course_title)}</p>")
    parts.append("<p>For each exercise: the share of learners with full points on each question, the questions to "
                 "look at again, and how the totals spread. <em>Do stronger learners get it right more often?</em> "
                 "says whether learners who did well on the rest of the exercise also got this question right "
                 "(its discrimination, a correlation: near 0 or below, the question does not tell stronger "
                 f"learners from weaker ones; {STRONG:g} or more, it does). A question is called hard only when at "
                 f"least {FEW_FOR_SHARE} learners answered it, and judged on the second figure only when at least "
                 f"{FEW_FOR_DISCRIMINATION} did: in a smaller class one or two learners decide them.</p>")
    parts.append(f'<p class="muted">{e(DISCLAIMER)}</p>')
    if not summaries:
        parts.append("<p>No graded work yet.</p>")
    for summary in summaries:
        parts += _exercise(summary)
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _exercise(s: ExerciseSummary) -> list[str]:
    e = html.escape
    n = len(s.totals)
    out = [f"<section><h2>{e(s.title)}</h2>",
           f"<p>Work of {n} learner{'s' if n != 1 else ''}. "
           + (f"{s.awaiting} still await{'s' if s.awaiting == 1 else ''} a hand mark for a written answer, so their "
              "totals may rise." if s.awaiting else "No written answer awaits a hand mark.") + "</p>"]
    chart, alt = _share_chart(s.items)
    out.append(f'<img src="data:image/png;base64,{chart}" alt="{e(alt)}">')
    small = _too_small(n)
    if small:
        out.append(f"<p>{small}</p>")
    flags = [f for f in (_flag(item, len(s.totals)) for item in s.items) if f]
    if flags:
        out.append("<h3>Questions to look at</h3>")
        out += [f'<p class="flag">{flag}</p>' for flag in flags]
    out.append("<h3>Every question</h3>")
    out.append('<table><thead><tr><th scope="col">Question</th><th scope="col">Learners</th>'
               '<th scope="col">With full points</th><th scope="col">Do stronger learners get it right more often?</th>'
               '<th scope="col">Most common wrong answers</th></tr></thead><tbody>')
    for item in s.items:
        out.append(f"<tr><td><strong>{e(item.label)}</strong>{': ' + e(item.text) if item.text else ''}"
                   f"{' (written answer, marked by hand)' if item.kind == 'manual' else ''}</td>"
                   f'<td class="n">{item.learners}</td><td class="n">{_right(item)}</td>'
                   f"<td>{_telling(item)}</td>"
                   f"<td>{e(wrong_text(item.wrong)) if item.wrong else '—'}</td></tr>")
    out.append("</tbody></table>")
    chart, alt = _totals_chart(s)
    out.append("<h3>How the totals spread</h3>")
    out.append(f'<img src="data:image/png;base64,{chart}" alt="{e(alt)}">')
    out.append("</section>")
    return out


def _flag(item: Item, learners: int) -> str:
    """Why to look at a question again, or "" (a written answer is judged once all are marked)."""
    e = html.escape
    if item.kind == "manual" and item.learners < learners:
        return ""
    where = f" Look at: {e(item.see)}." if item.see else ""
    name = f"<strong>{e(item.label)}</strong>{' (' + e(item.text) + ')' if item.text else ''}"
    if item.share_right is not None and item.share_right <= HARD and item.learners >= FEW_FOR_SHARE:
        return f"{name}: few learners got it right: only {_right(item)} had full points.{where}"
    if (item.discrimination is not None and item.discrimination < WEAK
            and item.learners >= FEW_FOR_DISCRIMINATION):
        return (f"{name}: learners who did well on the rest of the exercise were no more likely to get this "
                f"one right than the others: check that its wording and its answer are clear.{where}")
    return ""


def _too_small(learners: int) -> str:
    """What a class this size is too small for, in words ("" when it is large enough for both figures)."""
    if learners >= FEW_FOR_DISCRIMINATION:
        return ""
    if learners >= FEW_FOR_SHARE:
        return (f"With {learners} learners, the class is too small to say whether a question tells stronger "
                f"learners from weaker ones (that needs at least {FEW_FOR_DISCRIMINATION}), so no question is "
                "flagged on it.")
    return (f"With {learners} learner{'s' if learners != 1 else ''}, the class is too small for these figures to "
            f"single out a question: calling a question hard needs at least {FEW_FOR_SHARE} learners, and saying "
            f"whether it tells stronger learners from weaker ones at least {FEW_FOR_DISCRIMINATION}. No question is "
            "flagged; the table shows how many learners got each one fully right.")


def _right(item: Item) -> str:
    """How many learners had full points: "2 of 8 (25%)"."""
    if item.share_right is None:
        return "—"
    return f"{round(item.share_right * item.learners)} of {item.learners} ({_percent(item.share_right)})"


def _telling(item: Item) -> str:
    """Whether stronger learners get the question right more often, in words."""
    if item.learners < FEW_FOR_DISCRIMINATION:
        return "too few learners to tell"
    if item.discrimination is None:
        return "cannot tell (everyone or no one had full points, or all the other scores were equal)"
    if item.discrimination >= STRONG:
        return f"yes ({_two(item.discrimination)})"
    if item.discrimination >= WEAK:
        return f"somewhat ({_two(item.discrimination)})"
    return f"no ({_two(item.discrimination)})"


def _share_chart(items: list[Item]) -> tuple[str, str]:
    labels = [item.label for item in items]
    values = [0.0 if item.share_right is None else item.share_right * 100 for item in items]
    alt = "Share of learners with full points, per question: " + ", ".join(
        f"{label} {_percent(item.share_right)}" for label, item in zip(labels, items)) + "."
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(items) + 1.1), dpi=110)
    bars = ax.barh(range(len(items)), values, color="#2f5d8a")
    ax.set_yticks(range(len(items)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("learners with full points (%)")
    for bar, item in zip(bars, items):
        ax.text(min(bar.get_width() + 1.5, 92), bar.get_y() + bar.get_height() / 2, _percent(item.share_right),
                va="center", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig, plt), alt


def _totals_chart(s: ExerciseSummary) -> tuple[str, str]:
    counts = Counter(s.totals)
    points = sorted(counts)
    alt = (f"Totals of {len(s.totals)} learners out of {s.max:g} points: "
           + ", ".join(f"{counts[p]} with {p:g}" for p in points) + ".")
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 2.6), dpi=110)
    ax.bar(points, [counts[p] for p in points], width=0.6, color="#5b7f3a")
    ax.set_xlim(-0.6, s.max + 0.6)
    ax.set_xticks(range(int(s.max) + 1))
    ax.set_xlabel(f"total points (of {s.max:g})")
    ax.set_ylabel("learners")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig, plt), alt


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(fig, plt) -> str:
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def _two(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
