"""The look every course widget shares: a visible keyboard focus, and the projector layout.

A widget's HTML is not sanitized the way a notebook output is, so a `<style>` element inside
an ipywidgets HTML widget reaches the page in JupyterLab and in Voila alike. `style_widget`
returns that element for a widget box to carry as its first child.

Focus (WCAG 2.2, 2.4.13): every control inside a course widget shows a 3 px outline in a
dark blue (#0b57d0, 6.6:1 against white) with a 2 px gap, whatever ipywidgets' own theme does.

Projector (`dmst-projector`, the kiosk): at 1280 x 720 body text is 20 px and the widgets'
controls grow with it; two columns (the case, the result) sit side by side when there is
room and stack when there is not (at 200% zoom), so nothing scrolls sideways. The page
around the widget (content note, disclaimer) grows with it through `:has()`.
"""
from __future__ import annotations

FOCUS = "#0b57d0"

FOCUS_CSS = (
    # The class is repeated to outrank ipywidgets' own `.widget-text input {outline: none !important}`.
    f".dmst-widget.dmst-widget.dmst-widget :focus-visible{{outline:3px solid {FOCUS} !important;"
    "outline-offset:2px !important;box-shadow:none !important}"
    # Radio buttons and tick boxes are small: ring the label too, so the focus is easy to see.
    f".dmst-widget label:focus-within{{outline:3px solid {FOCUS};outline-offset:2px}}"
    ".dmst-widget .widget-html-content, .dmst-widget .widget-label{white-space:normal}"
    # ipywidgets gives HTML the line height of a control (28 px), which spreads paragraphs apart.
    ".dmst-widget .widget-html-content{line-height:1.45}"
)

PROJECTOR_CSS = (
    "body:has(.dmst-projector){--jp-content-font-size1:20px;--jp-ui-font-size1:20px;font-size:20px}"
    ".dmst-projector{font-size:20px;line-height:1.4;--jp-widgets-font-size:20px;"
    "--jp-widgets-inline-height:40px;--jp-widgets-radio-item-height:32px;--jp-widgets-font-size-large:22px;"
    "max-width:100%;box-sizing:border-box}"
    ".dmst-projector .widget-html, .dmst-projector .widget-html-content{width:auto;max-width:100%;height:auto}"
    ".dmst-projector .widget-html-content, .dmst-projector .widget-label, .dmst-projector .widget-label-basic,"
    ".dmst-projector button, .dmst-projector select, .dmst-projector input{font-size:20px}"
    ".dmst-projector .widget-checkbox input, .dmst-projector .dmst-choice input{width:22px;height:22px}"
    ".dmst-projector h3{font-size:24px;margin:.4em 0 .2em}"
    # A list as wide as its longest choice, not the notebook layout's fixed width.
    ".dmst-projector .widget-dropdown{width:auto !important}"
    ".dmst-projector .widget-text, .dmst-projector .widget-dropdown, .dmst-projector .dmst-date,"
    ".dmst-projector .widget-bounded-inttext{max-width:100%;flex-wrap:wrap;height:auto}"
)


def no_null_titles(root) -> None:
    """ipywidgets 8 copies a widget's tooltip onto its label as a title, and a widget with no
    tooltip (None) gets the title "null", which a screen reader reads out. Give every widget
    under `root` that has none an empty one."""
    if getattr(root, "tooltip", "") is None:
        root.tooltip = ""
    for child in getattr(root, "children", ()):
        no_null_titles(child)


def style_widget(projector: bool = False):
    """An HTML widget holding the shared CSS (and the projector CSS when asked)."""
    import ipywidgets as W

    return W.HTML(f"<style>{FOCUS_CSS}{PROJECTOR_CSS if projector else ''}</style>",
                  layout=W.Layout(height="0", margin="0", overflow="hidden"))
