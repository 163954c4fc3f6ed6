"""pytest plugin loaded into the nbval runs (``-p tests.nbval_checks``): what nbval itself does not check.

- a cell tagged ``raises-exception`` must really raise (nbval only allows it to);
- a lesson (a notebook of ``notebooks/``) must draw a figure and create a widget when it runs.
"""
from __future__ import annotations

from collections import defaultdict

import pytest

FIGURE, WIDGET = "image/png", "application/vnd.jupyter.widget-view+json"
_outputs: dict[str, list[dict]] = defaultdict(list)
_last_cell: dict[str, str] = {}


def pytest_collection_modifyitems(items):
    for item in items:
        if hasattr(item, "cell"):
            _last_cell[str(item.fspath)] = item.nodeid


def _missing_from_lesson(path: str) -> list[str]:
    data = [out.get("data", {}) for out in _outputs[path]]
    return [what for what, mime in (("a figure", FIGURE), ("a widget", WIDGET)) if not any(mime in d for d in data)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not hasattr(item, "cell") or report.failed:
        return
    outputs = item.test_outputs or []
    path = str(item.fspath)
    _outputs[path].extend(outputs)
    problems = []
    if "raises-exception" in item.cell.get("metadata", {}).get("tags", []) and not any(
            o.get("output_type") == "error" for o in outputs):
        problems.append("tagged raises-exception but did not raise")
    if _last_cell.get(path) == item.nodeid and "/notebooks/" in path.replace("\\", "/"):
        problems += [f"the lesson did not create {what}" for what in _missing_from_lesson(path)]
    if problems:
        report.outcome, report.longrepr = "failed", f"{item.nodeid}: " + "; ".join(problems)
