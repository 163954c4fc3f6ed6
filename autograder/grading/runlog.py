"""What a run leaves behind besides the gradebook: which contents were graded, and the run log."""
from __future__ import annotations

import csv
import datetime
import hashlib
import json
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .grader import Outcome

__all__ = ["GradingState", "write_run_log"]


class GradingState:
    """Which submission contents were graded into which gradebook (so unchanged ones are skipped)."""

    def __init__(self, path: str, db_url: str, data: dict):
        self.path, self.db_key, self.data = path, hashlib.sha256(db_url.encode()).hexdigest()[:16], data

    @classmethod
    def load(cls, coursedir: Any, assignment: str) -> "GradingState":
        path = os.path.join(coursedir.root, "reports", assignment, "grading_state.json")
        data = {}
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        return cls(path, coursedir.db_url, data)

    def _students(self) -> dict:
        return self.data.setdefault(self.db_key, {})

    def unchanged(self, student: str, digest: str) -> bool:
        return self._students().get(student, {}).get("digest") == digest

    def forget(self, student: str) -> None:
        self._students().pop(student, None)

    def record(self, student: str, digest: str, outcomes: list["Outcome"]) -> None:
        self._students()[student] = {
            "digest": digest,
            "notebooks": {o.notebook: {"status": o.status, "reason": o.reason, "notes": o.notes,
                                       "seconds": round(o.seconds, 2)} for o in outcomes},
        }

    def seconds(self, student: str) -> float:
        """How long the student's notebooks ran last time (0 if unknown)."""
        notebooks = self._students().get(student, {}).get("notebooks", {})
        return sum(float(n.get("seconds", 0.0)) for n in notebooks.values())

    def mean_seconds(self) -> float | None:
        times = [float(n["seconds"]) for s in self._students().values()
                 for n in s.get("notebooks", {}).values() if "seconds" in n]
        return sum(times) / len(times) if times else None

    def outcomes(self) -> dict[str, dict]:
        """student -> notebook -> {status, reason, notes}, as of the last run that graded it."""
        return {s: v.get("notebooks", {}) for s, v in self._students().items()}

    def save(self) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
        os.replace(tmp, self.path)



def write_run_log(course_dir: str, assignment: str, outcomes: list["Outcome"], scores: dict) -> str:
    """One CSV per run: every notebook, what happened, its score and why it lost everything if it did."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = os.path.join(course_dir, "reports", assignment, "runs", f"{stamp}.csv")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "notebook", "status", "score", "max_score", "seconds", "reason", "notes"])
        for o in sorted(outcomes, key=lambda o: (o.student, o.notebook)):
            score, max_score = scores.get((o.student, o.notebook), ("", ""))
            writer.writerow([o.student, o.notebook, o.status, score, max_score, f"{o.seconds:.2f}",
                             o.reason, " | ".join(o.notes)])
    return path
