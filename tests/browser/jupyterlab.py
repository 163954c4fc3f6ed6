"""What a learner does in JupyterLab, as Playwright steps: open a notebook, edit and run cells, read outputs."""
from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.lab_server import LabServer

KERNEL_START_MS = 120_000
PROMPT_DONE = re.compile(r"\[\d+\]")


def open_notebook(page: Page, lab: LabServer, path: str) -> None:
    """Open ``path`` in a fresh JupyterLab layout and wait until its kernel is idle."""
    page.goto(lab.address(f"lab/tree/{path}?reset"))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=KERNEL_START_MS)
    wait_idle(page)


def wait_idle(page: Page, timeout_ms: int = KERNEL_START_MS) -> None:
    """Wait until the notebook's kernel reports idle."""
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=timeout_ms)


def assert_unmodified(page: Page) -> None:
    """The open notebook is not marked modified (JupyterLab rewrote none of its metadata on opening)."""
    page.wait_for_timeout(2_000)  # the kernel's language_info arrives with its first idle status
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0)


def cell(page: Page, index: int) -> Locator:
    """The cell at ``index`` of the open notebook (the same index as in the .ipynb file)."""
    return page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)


def set_source(page: Page, index: int, source: str) -> None:
    """Replace the cell's code, as if typed (without the editor's auto-indent)."""
    editor = cell(page, index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)


def run_cell(page: Page, index: int, timeout_ms: int = 120_000) -> None:
    """Run one cell (Ctrl+Enter) and wait until its prompt shows a new execution count."""
    target = cell(page, index)
    prompt = target.locator(".jp-InputPrompt")
    before = prompt.text_content()
    target.locator(".cm-content").click()
    page.keyboard.press("Control+Enter")
    expect(prompt).not_to_have_text(before, timeout=timeout_ms)
    expect(prompt).to_have_text(PROMPT_DONE, timeout=timeout_ms)
    wait_idle(page, timeout_ms)


def run_all(page: Page, timeout_ms: int = 300_000) -> None:
    """Run → Run All Cells, then wait until the last code cell has run."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    # textContent, not what is painted: cells scrolled out of view are not rendered.
    last = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-CodeCell .jp-InputPrompt").last
    expect(last).to_have_text(PROMPT_DONE, timeout=timeout_ms)
    wait_idle(page, timeout_ms)


def save(page: Page) -> None:
    """Save the notebook (Ctrl+S) and wait until JupyterLab no longer marks it modified."""
    page.locator(".jp-NotebookPanel:visible .jp-Notebook").click(position={"x": 5, "y": 5})
    page.keyboard.press("Control+s")
    expect(page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")).to_have_count(0, timeout=30_000)


def output_text(page: Page, index: int) -> str:
    """The text of the cell's outputs, as the learner sees it."""
    return cell(page, index).locator(".jp-OutputArea").inner_text()
