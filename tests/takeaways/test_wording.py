"""Notebook text as a room reads it: learner instructions out, the course's words in."""
from dmst.takeaways.wording import for_cell, for_room, is_instruction, links_as_text, sentences


def test_sentences_are_not_cut_at_abbreviations():
    assert sentences("The U.S. Attorney's Office. P.A. 16-71 changed it. See United States v. Jungers. Done.") == [
        "The U.S. Attorney's Office.", "P.A. 16-71 changed it.", "See United States v. Jungers.", "Done."]


def test_instructions_to_work_the_notebook_are_left_out():
    assert for_room("Every number comes from `data/contacts.csv`, with *when* to use it. Run the cell:") == \
        "Every number comes from the course data, with *when* to use it."
    assert for_room("No programming is needed: run each cell (Shift + Enter) and read.") == ""
    assert for_room("Try it now: run the cell below. (This one's code is not collapsed.)") == ""
    assert is_instruction("How do you run a code cell?") and is_instruction("Restart the kernel.")
    assert not is_instruction("Call 911 when someone is in danger now.")


def test_a_paragraph_mostly_of_instructions_is_left_out_whole():
    assert for_room("Some cells open a tool. Run the cell below, then move the slider. You will use it later.") == ""


def test_the_course_words_replace_the_notebooks():
    assert for_room("The classifier also says *why*; the classifier's reasons.") == "The rules also say *why*; the rules' reasons."
    assert for_room("It asks the course's rules (the `classify` function) about Mia.") == "It asks the course's rules about Mia."
    assert for_room("Read from `data/presets.csv`.") == "Read from the course data."


def test_links_to_modules_go_to_their_slides_and_other_links_become_text():
    link = lambda slug, text: f"[{text}]({slug}.html)"  # noqa: E731
    assert for_room("Go on to [**01 · Defining**](01-defining-the-crime.ipynb).", link) == \
        "Go on to [**01 · Defining**](01-defining-the-crime.html)."
    assert for_room("See [the brochure](../sources/x.txt) and [the page](https://example.org).") == \
        "See the brochure and the page."
    assert for_room("- **Practise:** [Exercise 1](../exercises/ex01/ex01.ipynb) checks this module.") == ""
    assert links_as_text("[a](b.ipynb) and [c](https://d)") == "a and c"
    assert for_cell("[Exercise 1](../exercises/ex01/ex01.ipynb)") == "Exercise 1"


def test_a_slide_says_the_course_sources_or_leaves_the_data_speak_out():
    from dmst.takeaways.wording import for_slide

    assert for_slide("Every number here comes from the course's contacts data, with *when* to use it.") == \
        "Every number here comes from the course's sources, with *when* to use it."
    assert for_slide("§ 1591: every version in the course data") == "§ 1591: every version in the course's sources"
    assert for_slide("What differs: The data records no difference.") == ""
    assert for_slide("The ages are stored in the data as dated values. Here they are:") == "Here they are:"
    assert for_slide("It is a duty (see section 2). The helper in section 4 gives the same order.") == "It is a duty."


def test_a_speaker_note_keeps_no_notebook_instruction_and_no_section_pointer():
    from dmst.takeaways.wording import for_notes

    assert for_notes("Run the cells in advance. Ask the room first (see section 5 of this guide).") == \
        "Ask the room first."
    assert for_notes("Reveal the result.\n\n- The explorer in section 6 shows it. Ask why.\n- The [table](x.md) says so.") \
        == "- Ask why.\n- The table says so."
    assert for_notes("Set the mode in the simulator above and predict.") == ""
