"""Two small custom widgets that ipywidgets does not have, for screen-reader users.

ipywidgets 8 sets no ARIA attributes: its HTML widget replaces its content on every change
(so a `role="status"` inside it is a new element each time, which screen readers may not
announce), its RadioButtons are loose radio inputs (no group, the question not tied to
them) and its tick boxes cannot be named apart from their visible label. These are
anywidget widgets (anywidget ships the front end for JupyterLab and Voila alike; the
JavaScript below is all there is):

- `LiveRegion`: one `role="status"` element that stays in the page; `say(text)` changes
  its text, so each announcement is spoken once. It is visually hidden: what it says is
  on the screen already.
- `Choice`: a question and its answers as one named group: a `<fieldset>` whose legend is
  the question, with radio buttons (one answer: one Tab stop, arrow keys move) or tick
  boxes (several), each with its own spoken name (for example "Dell: recruited" where the
  label shows "Recruited"). Labels wrap instead of widening the page.
- `TextBox`: a labelled text box that can be marked invalid (`aria-invalid`), so a screen
  reader says "invalid entry" on the field whose message was just announced.

Both are plain traitlets objects, so tests set `value` and read `text` headless.
"""
from __future__ import annotations

import anywidget
import traitlets as T

LIVE_ESM = """
export default {
  render({ model, el }) {
    const region = document.createElement("div");
    region.className = "dmst-live";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    region.setAttribute("aria-atomic", "true");
    el.appendChild(region);
    const show = () => { region.textContent = model.get("text"); };
    // Cleared first, so the same words said again are spoken again.
    const say = () => { region.textContent = ""; setTimeout(show, 50); };
    // Cleared without a word when what it said is no longer on the screen.
    const clear = () => { if (!model.get("text")) region.textContent = ""; };
    model.on("change:said", say);
    model.on("change:text", clear);
    show();
    return () => { model.off("change:said", say); model.off("change:text", clear); };
  },
};
"""

# Heard, not seen: what it says is on the screen already (the result, or a note beside the
# control), so a sighted reader does not read it twice. The usual visually-hidden pattern.
LIVE_CSS = """
.dmst-live { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }
"""


class LiveRegion(anywidget.AnyWidget):
    """A polite live region that stays in the page. `text` is what it says now."""

    _esm = LIVE_ESM
    _css = LIVE_CSS
    text = T.Unicode("").tag(sync=True)
    # Counts announcements: the front end speaks on each, even when the words are the same.
    said = T.Int(0).tag(sync=True)

    def say(self, text: str) -> None:
        with self.hold_sync():
            self.text = text
            self.said += 1

    def clear(self) -> None:
        """Take the text away without announcing anything."""
        self.text = ""


CHOICE_ESM = """
let groups = 0;
export default {
  render({ model, el }) {
    const id = "dmst-choice-" + (++groups) + "-" + Math.random().toString(36).slice(2, 8);
    const fieldset = document.createElement("fieldset");
    fieldset.className = "dmst-choice";
    const legend = document.createElement("legend");
    legend.id = id + "-legend";
    fieldset.appendChild(legend);
    const list = document.createElement("div");
    list.className = "dmst-options";
    fieldset.appendChild(list);
    el.appendChild(fieldset);
    let inputs = [];

    const draw = () => {
      const many = model.get("many");
      fieldset.setAttribute("role", many ? "group" : "radiogroup");
      fieldset.setAttribute("aria-labelledby", legend.id);
      legend.textContent = model.get("description");
      const labels = model.get("labels"), names = model.get("names");
      list.textContent = "";
      inputs = labels.map((text, i) => {
        const label = document.createElement("label");
        const input = document.createElement("input");
        input.type = many ? "checkbox" : "radio";
        input.name = id;
        input.value = String(i);
        if (names[i] && names[i] !== text) input.setAttribute("aria-label", names[i]);
        input.addEventListener("change", () => {
          const chosen = inputs.filter(x => x.checked).map(x => Number(x.value));
          model.set("index", chosen);
          model.save_changes();
        });
        const span = document.createElement("span");
        span.textContent = text;
        label.append(input, span);
        list.appendChild(label);
        return input;
      });
      mark();
    };
    const mark = () => {
      const chosen = new Set(model.get("index"));
      inputs.forEach((input, i) => { input.checked = chosen.has(i); input.disabled = model.get("disabled"); });
    };
    const redraw = ["change:labels", "change:names", "change:many", "change:description"];
    redraw.forEach(e => model.on(e, draw));
    model.on("change:index", mark);
    model.on("change:disabled", mark);
    draw();
    return () => { redraw.forEach(e => model.off(e, draw)); model.off("change:index", mark); model.off("change:disabled", mark); };
  },
};
"""

CHOICE_CSS = """
.dmst-choice { border: 0; padding: 0; margin: .4em 0; min-width: 0; max-width: 100%;
  font-size: var(--jp-widgets-font-size, 13px); color: var(--jp-ui-font-color1, #1a1a1a); }
.dmst-choice legend { font-weight: bold; padding: 0; margin-bottom: .3em; white-space: normal; max-width: 100%; }
.dmst-choice .dmst-options { display: flex; flex-direction: column; gap: .15em 1.2em; padding: 4px 6px; }
.dmst-row .dmst-choice .dmst-options { flex-direction: row; flex-wrap: wrap; }
.dmst-grid .dmst-choice .dmst-options { display: grid; grid-template-columns: repeat(auto-fill, minmax(12em, 1fr)); }
.dmst-choice label { display: flex; align-items: flex-start; gap: .4em; white-space: normal; overflow-wrap: anywhere;
  line-height: 1.4; cursor: pointer; }
.dmst-choice input { margin: .2em 0 0; flex: none; width: 1em; height: 1em; }
"""


class Choice(anywidget.AnyWidget):
    """A question and its answers as one named group (radio buttons, or tick boxes when
    `many`). `options` are (label, value) pairs; `names` (optional, one per option) are the
    spoken names where they should say more than the label. `value` is the chosen value
    (None when nothing is chosen) or, when `many`, a frozenset of the chosen values."""

    _esm = CHOICE_ESM
    _css = CHOICE_CSS
    description = T.Unicode("").tag(sync=True)
    labels = T.List(T.Unicode()).tag(sync=True)
    names = T.List(T.Unicode()).tag(sync=True)
    many = T.Bool(False).tag(sync=True)
    disabled = T.Bool(False).tag(sync=True)
    index = T.List(T.Int()).tag(sync=True)
    value = T.Any(None)

    def __init__(self, options, description: str = "", many: bool = False, names=None, **kwargs):
        self._values = [v for _, v in options]
        self._syncing = False
        super().__init__(description=description, labels=[label for label, _ in options],
                         names=list(names or []), many=many, **kwargs)
        self.value = frozenset() if many else None

    @property
    def options(self) -> list[tuple[str, object]]:
        return list(zip(self.labels, self._values))

    def set_options(self, options, names=None) -> None:
        """New options; what was chosen stays chosen where it is still offered."""
        kept = self.value if self.many else ({self.value} if self.value is not None else set())
        self._values = [v for _, v in options]
        with self.hold_sync():
            self.labels = [label for label, _ in options]
            self.names = list(names or [])
            kept = {v for v in kept if v in self._values}
            self.value = frozenset(kept) if self.many else next(iter(kept), None)
            self._set(index=[i for i, v in enumerate(self._values) if v in kept])

    @T.validate("index")
    def _valid_index(self, proposal):
        index = sorted({i for i in proposal["value"] if 0 <= i < len(self._values)})
        return index if self.many else index[-1:]

    @T.validate("value")
    def _valid_value(self, proposal):
        value = proposal["value"]
        if self.many:
            value = frozenset(value or ())
            unknown = value - set(self._values)
        else:
            unknown = set() if value is None or value in self._values else {value}
        if unknown:
            raise T.TraitError(f"{self.description or 'Choice'}: {sorted(map(str, unknown))} not among the options")
        return value

    @T.observe("index")
    def _index_changed(self, change) -> None:
        if not self._syncing:
            chosen = [self._values[i] for i in change["new"]]
            self._set(value=frozenset(chosen) if self.many else (chosen[0] if chosen else None))

    @T.observe("value")
    def _value_changed(self, change) -> None:
        if not self._syncing:
            value = change["new"]
            chosen = value if self.many else ({value} if value is not None else set())
            self._set(index=[i for i, v in enumerate(self._values) if v in chosen])

    def _set(self, **trait) -> None:
        self._syncing = True
        try:
            self.set_trait(*next(iter(trait.items())))
        finally:
            self._syncing = False


TEXT_ESM = """
let boxes = 0;
export default {
  render({ model, el }) {
    const id = "dmst-text-" + (++boxes) + "-" + Math.random().toString(36).slice(2, 8);
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "text";
    input.id = id;
    label.htmlFor = id;
    el.classList.add("dmst-text");
    el.append(label, input);
    const show = () => {
      label.textContent = model.get("description");
      input.placeholder = model.get("placeholder");
      if (input.value !== model.get("value")) input.value = model.get("value");
      if (model.get("invalid")) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    };
    const commit = () => { model.set("value", input.value); model.save_changes(); };
    input.addEventListener("blur", commit);
    // Enter sends the text, then "submit", as ipywidgets' Text does.
    input.addEventListener("keydown", (e) => { if (e.key === "Enter") { commit(); model.send({ event: "submit" }); } });
    // `focus()` in Python (ipywidgets sends {do: "focus"}).
    const focus = (msg) => { if (msg && msg.do === "focus") input.focus(); };
    model.on("change", show);
    model.on("msg:custom", focus);
    show();
    return () => { model.off("change", show); model.off("msg:custom", focus); };
  },
};
"""

TEXT_CSS = """
.dmst-text { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3em 0.5em; margin: 2px 0; max-width: 100%; }
.dmst-text input { font: inherit; padding: 2px 4px; min-width: 12em; max-width: 100%; }
.dmst-text input[aria-invalid="true"] { border: 2px solid #b3261e; }
"""


class TextBox(anywidget.AnyWidget):
    """A labelled text box: `value` is its text, sent when the learner leaves the box or presses
    Enter (which also sends {"event": "submit"}); `invalid` marks it invalid for screen readers
    (and with a red border), while the message beside it or in the live region says why."""

    _esm = TEXT_ESM
    _css = TEXT_CSS
    value = T.Unicode("").tag(sync=True)
    description = T.Unicode("").tag(sync=True)
    placeholder = T.Unicode("").tag(sync=True)
    invalid = T.Bool(False).tag(sync=True)
