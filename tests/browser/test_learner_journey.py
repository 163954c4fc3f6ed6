"""A learner's first hour in a real browser, against the server `make lab` starts: the landing page, a lesson
run top to bottom with its figure and slider, an exercise answered right, wrong and with an anti-pattern,
and nbgrader's Validate. Each step leaves a screenshot in test-artifacts/screenshots/.

The other lessons run headless in tests/test_lessons.py; here, lesson 1 and the jit lesson."""
from __future__ import annotations

import json
import re

import nbformat
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS
from tests.browser.jupyterlab import assert_unmodified, cell, open_notebook, output_text, run_all, run_cell, save, set_source
from tests.exercise_bank import load_bank

LESSONS = ["01_arrays_devices", "04_jit"]
# The exercise the journey answers: one whose bank has a right answer, a wrong value and an anti-pattern.
ASSIGNMENT, EXERCISE = "01_arrays_devices", "ex4_scale_row"


def _shot(page: Page, name: str, target=None) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (target or page).screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _tags(cell_node) -> list[str]:
    return cell_node.get("metadata", {}).get("tags", [])


def test_landing_page_leads_to_lesson_one(page, lab):
    page.goto(lab.address(""))
    landing = page.locator(".jp-RenderedMarkdown", has_text="Start here")
    expect(landing).to_be_visible(timeout=120_000)
    _shot(page, "landing-page")
    landing.locator("a", has_text="Arrays & devices").click()
    expect(page.locator(".lm-TabBar-tab.jp-mod-current", has_text="01_arrays_devices.ipynb")).to_be_visible(timeout=60_000)
    expect(page.locator(".lm-Menu-itemLabel", has_text="Formgrader")).to_have_count(0)


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_all_with_a_figure_and_a_working_slider(page, lab, course_copy, lesson):
    path = f"notebooks/{lesson}.ipynb"
    open_notebook(page, lab, path)
    assert_unmodified(page)
    run_all(page)
    save(page)
    saved = nbformat.read(course_copy / path, 4)
    errors = [c.source[:80] for c in saved.cells if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error" and "raises-exception" not in _tags(c)]
    assert not errors, f"cells failed in the browser: {errors}"
    assert all(c.get("execution_count") for c in saved.cells if c.cell_type == "code"), "a cell did not run"

    figure = page.locator(".jp-NotebookPanel:visible .jp-OutputArea-output img").first
    figure.scroll_into_view_if_needed()
    expect(figure).to_be_visible()
    assert figure.evaluate("img => img.naturalWidth") > 100, "the figure did not render"
    _shot(page, f"{lesson}-figure", figure)

    # The cell holding a slider: an `interact` (figure in its own output widget) or a slider that
    # redraws a figure shown above it in the same cell's outputs.
    widget_cell = page.locator(".jp-NotebookPanel:visible .jp-Cell").filter(has=page.locator(".widget-slider")).first
    widget_cell.scroll_into_view_if_needed()
    shown = widget_cell.locator(".jp-Cell-outputWrapper")
    before, readout = _drawn(shown), widget_cell.locator(".widget-readout").first
    value = readout.text_content()
    _shot(page, f"{lesson}-slider-before", shown)
    widget_cell.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    expect(readout).not_to_have_text(value, timeout=10_000)
    page.wait_for_function(f"el => ({_DRAWN_JS})(el) !== {json.dumps(before)}", arg=shown.element_handle(), timeout=120_000)
    _shot(page, f"{lesson}-slider-after", shown)


# What a cell's outputs draw, the slider itself left out: each image's data and each text output.
_DRAWN_JS = """el => Array.from(el.querySelectorAll('img, .jp-RenderedText, table'))
    .filter(n => !n.closest('.widget-slider'))
    .map(n => n.tagName === 'IMG' ? n.src : n.textContent).join('\\n')"""


def _drawn(outputs) -> str:
    return outputs.evaluate(f"el => ({_DRAWN_JS})(el)")


def _cell_index(nb: nbformat.NotebookNode, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)


def test_exercise_feedback_and_validate(page, lab, course_copy):
    path = f"exercises/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    nb = nbformat.read(course_copy / path, 4)
    solution, test = _cell_index(nb, EXERCISE), _cell_index(nb, f"{EXERCISE}_test")
    submissions = load_bank(ASSIGNMENT)[EXERCISE]
    right = next(s for s in submissions if s.correct)
    wrong = next(s for s in submissions if not s.correct and s.label.startswith("off-by-one"))
    anti_pattern = next(s for s in submissions if not s.correct and s.label.startswith("discarded update"))

    open_notebook(page, lab, path)
    assert_unmodified(page)
    first_exercise = min(i for i, c in enumerate(nb.cells) if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
    for index in range(first_exercise):
        if nb.cells[index].cell_type == "code":
            run_cell(page, index)

    set_source(page, solution, right.source.strip())
    run_cell(page, solution)
    run_cell(page, test)
    assert re.fullmatch(r"✓ \d+ checks? passed", output_text(page, test).strip()), output_text(page, test)
    _shot(page, "exercise-pass-line", cell(page, test))

    set_source(page, solution, wrong.source.strip())
    run_cell(page, solution)
    run_cell(page, test)
    shown = output_text(page, test).strip().splitlines()
    assert shown[0].startswith("✗ ") and "does not match the expected value" in shown[0], shown[:3]
    assert any("yours =" in line and "expected =" in line for line in shown[:3]), shown[:3]
    assert len(shown) <= 6, f"the failure should be short: {shown}"
    _shot(page, "exercise-failure-message", cell(page, test))

    # The anti-pattern has a test cell (and points) of its own, beside the cell that checks the values.
    anti_pattern_test = _cell_index(nb, f"{EXERCISE}_test_update_kept")
    set_source(page, solution, anti_pattern.source.strip())
    run_cell(page, solution)
    run_cell(page, anti_pattern_test)
    shown = output_text(page, anti_pattern_test).strip()
    assert shown.startswith("✗ [anti-pattern: discarded-update]"), shown[:200]
    for part in ("where:", "why:", "fix:"):
        assert part in shown, f"the explanation lacks {part!r}: {shown}"
    _shot(page, "exercise-anti-pattern", cell(page, anti_pattern_test))

    page.locator(".jp-NotebookPanel:visible .validate-button, .jp-NotebookPanel:visible button:has-text('Validate')").first.click()
    verdict = page.locator(".jp-Dialog .validation-failed, .jp-Dialog .validation-success")
    expect(verdict).to_be_visible(timeout=240_000)
    _shot(page, "validate-verdict")
    # Exercise 4 still holds the anti-pattern and the others are unanswered: Validate must say so.
    assert "validation-failed" in verdict.get_attribute("class")
    assert "NotImplementedError" in verdict.inner_text() or "anti-pattern" in verdict.inner_text()
