"""nbgrader course configuration: sources with solutions in solutions/, releases in exercises/.

Every folder of solutions/ is an assignment (one notebook named after it); nothing here names a
chapter, so a new chapter needs no change. The same file configures `nbgrader generate_assignment`,
`validate`, `autograde`, `generate_feedback`, `export`, the formgrader and `python -m autograder grade`.
"""
import importlib.util
import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearOutput, Execute, GetGrades,
    IgnorePattern, LimitOutput, SaveAutoGrades,
)


def _load_extension():
    # Loaded by path: importing the `autograder` package would import JAX into every nbgrader command.
    package = importlib.util.find_spec("autograder").submodule_search_locations[0]
    path = os.path.join(package, "grading", "nbgrader_ext.py")
    spec = importlib.util.spec_from_file_location("jax_course_nbgrader_ext", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ext = _load_extension()

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "jax-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Every chapter's exercise set lives in one notebook named after its folder.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# JAX compiles on first call: give each cell time to do so on a small CPU machine.
c.ExecutePreprocessor.timeout = 300
c.Execute.timeout = 300

c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Output on stderr (JAX's own warnings, Python warnings) never fails a test: only an error does.
c.Autograde.autograde_preprocessors = [
    Execute,
    _ext.StderrIsNotFailure,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# Validator.preprocessors is not configurable in nbgrader 0.9.6: set its default so `validate` agrees.
from nbgrader.validator import Validator  # noqa: E402

Validator.preprocessors.default_value = [CheckCellMetadata, ClearOutput, Execute, _ext.StderrIsNotFailure]

# nbgrader's own feedback would show the code of hidden tests: remove it.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
