"""`make lab` and `make instructor`: the server roots at the repository with the landing page, and each face
of nbgrader gets exactly its tools, with working links."""
from __future__ import annotations

import json
import re

import pytest

from autograder.lab import LANDING_PAGE
from tests.course_layout import assignments
from tests.lab_server import start_lab

INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                      "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list"]


def _page_config(server) -> dict:
    status, body = server.get("lab")
    assert status == 200
    data = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(data.group(1))


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory):
    server = start_lab(tmp_path_factory.mktemp("learner"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def instructor_lab(tmp_path_factory):
    server = start_lab(tmp_path_factory.mktemp("instructor"), instructor=True)
    yield server
    server.stop()


@pytest.mark.slow
def test_lab_roots_at_the_repository_and_prints_the_landing_page_url(learner_lab):
    assert f"/lab/tree/{LANDING_PAGE}?token=" in learner_lab.log.read_text(), "the URL to open is printed"
    _, body = learner_lab.get("api/contents")
    names = {item["name"] for item in json.loads(body)["content"]}
    assert {"notebooks", "exercises", LANDING_PAGE} <= names, names
    assert learner_lab.redirect("").split("?")[0] == f"/lab/tree/{LANDING_PAGE}", "the server opens on the landing page"


@pytest.mark.slow
def test_learner_gets_the_student_side_of_nbgrader_only(learner_lab):
    disabled = _page_config(learner_lab)["disabledExtensions"]
    assert sorted(INSTRUCTOR_PLUGINS) == sorted(d for d in disabled if d.startswith("@jupyter/nbgrader"))
    assert learner_lab.get("formgrader")[0] == 404, "no formgrader for learners"
    assert learner_lab.get("formgraders")[0] == 404 and learner_lab.get("courses")[0] == 404
    log = learner_lab.log.read_text()
    assert "validate_assignment | extension was successfully loaded" in log
    assert "assignment_list | extension was successfully loaded" not in log


@pytest.mark.slow
def test_instructor_gets_the_formgrader_with_working_links(instructor_lab):
    assert not [d for d in _page_config(instructor_lab)["disabledExtensions"] if d.startswith("@jupyter/nbgrader")]
    status, body = instructor_lab.get("formgrader/api/assignments")
    assert status == 200
    listed = {a["name"]: a for a in json.loads(body)}
    assert sorted(listed) == assignments(), "the formgrader sees solutions/ as the source"
    status, page = instructor_lab.get("formgrader/manage_assignments")
    prefix = re.search(rb'var url_prefix = "([^"]*)";', page).group(1).decode()
    assert prefix == ".", "the course directory is the server root, so the formgrader's links resolve"
    for name, info in listed.items():
        assert info["source_path"] == f"solutions/{name}" and info["release_path"] == f"exercises/{name}"
        for path in (info["source_path"], info["release_path"]):
            # The formgrader links each folder as /tree/<url_prefix>/<path>.
            assert instructor_lab.get(f"tree/{prefix}/{path}")[0] == 200, path
            status, listing = instructor_lab.get(f"api/contents/{path}")
            assert status == 200 and f"{name}.ipynb" in {i["name"] for i in json.loads(listing)["content"]}
