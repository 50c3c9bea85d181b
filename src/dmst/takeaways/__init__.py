"""Take-aways: what a session sends people away with, all generated from notebooks/ and data/.

One job per file:

    modules.py   read a module notebook (objectives, key points, sections, notes)
    guide.py     read the instructor guide (prompts, session plans) for speaker notes
    facts.py     what the take-aways read from data/, and which of it a module uses
    pdf.py       the shared PDF look (fonts, footer, text)
    card.py      the pocket card          handout.py   a module's participant handout
    slides.py    a module's slides         build.py     `make handouts`: all of the above
    records.py   completion records from the gradebook
    codes.py     verification codes: issue and check (`dmst verify`)
    commands.py  the `dmst records` and `dmst verify` subcommands
"""
