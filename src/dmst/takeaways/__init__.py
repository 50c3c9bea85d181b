"""Take-aways: the session kit and what a session sends people away with, all generated from
notebooks/, the instructor guide and data/ (`make handouts`).

One job per file:

    modules.py   read a module notebook (objectives, key points, sections and what they show)
    guide.py     read the instructor guide (session plans, prompts, instructor notes)
    wording.py   notebook text as a room reads it (learner instructions out)
    htmlparts.py what a cell shows, cleaned and cut to fit on slides
    facts.py     what the take-aways read from data/, and which of it a module uses
    pdf.py       the shared PDF look (fonts, footer, text)
    card.py      the pocket card (A6, and four to a Letter sheet)
    handout.py   a module's participant handout
    slides.py    slide decks: per module and per session plan
    forms.py     sign-in sheet, knowledge check (and key, scores), evaluation form
    index.py     the kit's front page        build.py     `make handouts`: all of the above
    records.py   completion records from the gradebook
    codes.py     verification codes: issue and check (`dmst verify`)
    commands.py  the `dmst records` and `dmst verify` subcommands
"""
