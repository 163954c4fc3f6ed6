"""The way in: the landing page `make lab` opens reaches every lesson and exercise set, and every course
notebook is saved as JupyterLab saves it, so opening one never marks it modified."""
from __future__ import annotations

import json
import re

import pytest

from autograder.lab import LANDING_PAGE
from autograder.notebook_format import course_notebooks, normalized
from tests.course_layout import REPO, assignments, lessons, release_notebook

LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_landing_page_links_every_lesson_and_exercise_set_to_existing_files():
    text = (REPO / LANDING_PAGE).read_text()
    targets = LINK.findall(text)
    for target in targets:
        assert (REPO / target).is_file(), f"{LANDING_PAGE} links to {target}, which does not exist"
    for lesson in lessons():
        assert lesson.relative_to(REPO).as_posix() in targets, f"{LANDING_PAGE} has no link to {lesson.name}"
    for assignment in assignments():
        release = release_notebook(assignment).relative_to(REPO).as_posix()
        assert release in targets, f"{LANDING_PAGE} has no link to {release}"
    first_lesson = lessons()[0].relative_to(REPO).as_posix()
    first_set = release_notebook(assignments()[0]).relative_to(REPO).as_posix()
    assert targets.index(first_lesson) < targets.index(first_set), "lesson 1 comes before its exercises"


NOTEBOOKS = course_notebooks(REPO)


def _without_python_patch_version(nb: dict) -> dict:
    # JupyterLab writes the kernel's exact Python version; other Python versions run this suite too.
    info = nb.get("metadata", {}).get("language_info", {})
    info.pop("version", None)
    return nb


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(REPO).as_posix() for p in NOTEBOOKS])
def test_notebook_is_saved_as_jupyterlab_saves_it(path):
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["metadata"].get("language_info", {}).get("version"), f"{path.name}: no Python version in language_info"
    expected = _without_python_patch_version(normalized(saved))
    assert _without_python_patch_version(saved) == expected, (
        f"{path.relative_to(REPO)} would open as modified: run `.venv/bin/python -m autograder normalize-notebooks`")
