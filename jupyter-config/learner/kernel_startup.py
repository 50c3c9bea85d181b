# Run by IPython in every kernel of the learner's JupyterLab (`make lab`, Binder): PYTHONSTARTUP.
# A cell run before the page's set-up cell says what to do instead of showing a NameError traceback.
from dmst.kernel_help import use_course_messages as _use_course_messages

_use_course_messages()
del _use_course_messages
