"""A date box that tells the kernel its date only when the learner is done with it: when they
leave the box (Tab, a click elsewhere) or press Enter, never at each key.

ipywidgets' DatePicker sends the date at every key that makes a whole date, so typing the year
"2015" sends the years 2, 20 and 201 on the way; a kernel that keeps the date within a range
put 1 Oct 2010 back in the box before the learner had finished typing. This is an anywidget
widget (its front end, below, is all there is): a labelled `<input type="date">` whose `value`
(a `datetime.date`, or None while the box is empty or half-filled) changes on commit only.
"""
from __future__ import annotations

from datetime import date

import anywidget
import traitlets as T

DATE_ESM = """
let boxes = 0;
export default {
  render({ model, el }) {
    const id = "dmst-date-" + (++boxes) + "-" + Math.random().toString(36).slice(2, 8);
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "date";
    input.id = id;
    label.htmlFor = id;
    el.classList.add("dmst-date");
    el.append(label, input);
    const show = () => {
      label.textContent = model.get("description");
      input.min = model.get("min");
      input.max = model.get("max");
      input.disabled = model.get("disabled");
      if (input.value !== model.get("value")) input.value = model.get("value");
    };
    // The whole date, once the learner is done; "" for an empty or half-filled box.
    const commit = () => { model.set("value", input.value); model.save_changes(); };
    input.addEventListener("blur", commit);
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") commit(); });
    model.on("change", show);
    show();
    return () => model.off("change", show);
  },
};
"""

DATE_CSS = """
.dmst-date { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em 0.5em; margin: 2px 0; }
.dmst-date input { font: inherit; padding: 2px 4px; }
"""


def _to_json(value: date | None, _widget) -> str:
    return value.isoformat() if value else ""


def _from_json(text: str, _widget) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:   # a year the browser takes and Python does not (after 9999)
        return None


class DateBox(anywidget.AnyWidget):
    """`value` is the date in the box (None when it is empty); `min` and `max` ("YYYY-MM-DD")
    limit the browser's calendar; `description` is the box's label."""

    _esm = DATE_ESM
    _css = DATE_CSS
    value = T.Instance(date, allow_none=True).tag(sync=True, to_json=_to_json, from_json=_from_json)
    description = T.Unicode("").tag(sync=True)
    min = T.Unicode("").tag(sync=True)
    max = T.Unicode("").tag(sync=True)
    disabled = T.Bool(False).tag(sync=True)
