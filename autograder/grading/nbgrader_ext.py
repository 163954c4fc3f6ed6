"""nbgrader preprocessors the course configuration plugs in (imports nothing from JAX).

nbgrader gives zero points to a test cell with any output on stderr. JAX writes
warnings there (``An NVIDIA GPU may be present on this machine, but a
CUDA-enabled jaxlib is not installed. Falling back to cpu.``), as do Python's
``warnings``: they must never cost a learner a point. Only an error output
(a failed assertion, an exception) fails a test.
"""
from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor

__all__ = ["StderrIsNotFailure", "ForgetDuplicates"]


class StderrIsNotFailure(NbGraderPreprocessor):
    """Relabel stderr stream outputs of code cells as stdout, keeping their text."""

    def preprocess_cell(self, cell: Any, resources: dict, cell_index: int) -> tuple[Any, dict]:
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    output["name"] = "stdout"
        return cell, resources


class ForgetDuplicates(NbGraderPreprocessor):
    """Make the copies ``DeduplicateIds`` emptied plain cells (nbgrader would reject their empty metadata)."""

    def preprocess_cell(self, cell: Any, resources: dict, cell_index: int) -> tuple[Any, dict]:
        if cell.get("metadata", {}).get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources
