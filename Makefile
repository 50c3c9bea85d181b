# Two commands do all the set-up: `make lab` and `make test`.
# The environment (.venv) is created on first use from requirements-dev.txt (the course's
# pins in requirements.txt, plus the instructor, grading and test tools).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -c
# pip warns about this machine's unused local package indexes; keep the log readable.
QUIET_PIP := 2>&1 | { grep -v '^WARNING: Location' || true; }

.PHONY: lab instructor test bench notebooks simulator grade marks report export exercises handouts pictures records clean help

# Project-local Jupyter settings (jupyter-config/README.md), for the one server a target starts.
# Learners: no nbgrader tools, and kernels that say "run the set-up cell first" in words rather than
# with a NameError traceback (PYTHONSTARTUP). Instructors and graders: nbgrader's menu, sidebar and formgrader.
# Each role keeps its own JupyterLab workspaces (open tabs, layout), user settings and Jupyter
# config folder in STATE, so neither reopens the other's tabs and nothing is written to ~/.jupyter.
CONFIG      := $(CURDIR)/jupyter-config
STATE      ?= $(CURDIR)/.jupyter-state
lab_state   = JUPYTERLAB_WORKSPACES_DIR="$(STATE)/$(1)/workspaces" JUPYTERLAB_SETTINGS_DIR="$(STATE)/$(1)/user-settings" \
              JUPYTER_CONFIG_DIR="$(STATE)/$(1)/config"
LEARNER    := JUPYTER_CONFIG_PATH="$(CONFIG)/learner:$(CONFIG)/course$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" PYTHONSTARTUP="$(CONFIG)/learner/kernel_startup.py" $(call lab_state,learner)
INSTRUCTOR := JUPYTER_CONFIG_PATH="$(CONFIG)/course$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" $(call lab_state,instructor)

help:
	@echo "make lab        open the course in JupyterLab (sets up .venv on first use)"
	@echo "make instructor the same JupyterLab with nbgrader's tools, opened on the instructor guide"
	@echo "make test       run the whole test suite (same set-up)"
	@echo "make bench      run the benchmarks and print the numbers"
	@echo "make notebooks  re-execute every course notebook in place (after a data change)"
	@echo "make simulator  serve the scenario simulator as a code-free page (Voila)"
	@echo "make exercises  regenerate exercises/ from solutions/"
	@echo "make grade SUBMISSIONS=dir [RESULTS=dir]  grade returned exercise notebooks"
	@echo "make handouts   the session kit into handouts/: slides, handouts, pocket cards, forms (after a change)"
	@echo "make pictures   remake the README's pictures of the kit (docs/images)"
	@echo "make records [RESULTS=dir] [PASS_MARK=70] [REQUIRE=ex01,ex02]  completion records for learners who passed"
	@echo "make marks [RESULTS=dir]  merge the marks filled in on RESULTS/manual-marking.csv"
	@echo "make report [RESULTS=dir]  which questions the class got right: item-analysis.csv and report.html"
	@echo "make export [RESULTS=dir] TO=canvas|moodle [ROSTER=roster.csv]  scores for the LMS's import"

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt $(QUIET_PIP)
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e . $(QUIET_PIP)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (dmst course)" >/dev/null
	touch $(STAMP)

# The server's root is the course folder (not the notebook's own folder), so exercises/ is in reach.
# Jupyter refuses to start as root (containers, some CI and lab machines) unless told it may.
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(STAMP)
	$(LEARNER) $(BIN)/jupyter lab --ServerApp.root_dir=. $(AS_ROOT) notebooks/00-start-here.ipynb

instructor: $(STAMP)
	$(INSTRUCTOR) $(BIN)/jupyter lab --ServerApp.root_dir=. $(AS_ROOT) notebooks/instructor-guide.ipynb

# Two workers (pytest-xdist); a file's tests stay on one worker, so a notebook's cells run in order.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache

notebooks: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py

simulator: $(STAMP)
	$(BIN)/voila --no-browser --strip_sources=True notebooks/simulator-kiosk.ipynb

exercises: $(STAMP)
	$(BIN)/python -m dmst.grading.generate

SUBMISSIONS ?= submitted
RESULTS ?= grading-results
# Exit 1 means some files could not be graded (each has its row): say so in words, since make
# follows any failing command with its own "*** [grade] Error 1" line; the exit code is kept.
grade: $(STAMP)
	@$(BIN)/dmst grade $(SUBMISSIONS) --out $(RESULTS); code=$$?; \
	if [ $$code -eq 1 ]; then echo "Some files could not be graded: see the list above and $(RESULTS)/gradebook.csv. This is not a crash: the grading run finished (exit code 1)." >&2; fi; \
	exit $$code

# The kit is written into HANDOUTS only (not committed); the README's pictures in docs/images
# (committed) change only when someone runs `make pictures`.
HANDOUTS ?= handouts
handouts: $(STAMP)
	$(BIN)/python -m dmst.takeaways --out $(HANDOUTS)

pictures: $(STAMP)
	$(BIN)/python scripts/takeaway_pictures.py

PASS_MARK ?= 70
REQUIRE ?=
records: $(STAMP)
	$(BIN)/dmst records $(RESULTS) --pass-mark $(PASS_MARK) $(if $(REQUIRE),--require $(REQUIRE))

marks: $(STAMP)
	$(BIN)/dmst marks $(RESULTS)

report: $(STAMP)
	$(BIN)/dmst report $(RESULTS)

TO ?= canvas
ROSTER ?=
export: $(STAMP)
	$(BIN)/dmst export $(RESULTS) --to $(TO) $(if $(ROSTER),--roster $(ROSTER))
