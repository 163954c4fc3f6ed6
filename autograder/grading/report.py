"""The class at a glance: CSV tables and one figure over every graded assignment."""
from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict

from .results import StudentResult

__all__ = ["write_class_report"]


def _write_csv(path: str, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def _summaries(results: list[StudentResult]):
    passes, runs = Counter(), Counter()
    patterns: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        for t in r.tests:
            runs[t.name] += 1
            passes[t.name] += t.passed
            patterns[t.exercise].update(t.anti_patterns)
    return passes, runs, patterns


def write_class_report(course_dir: str, by_assignment: dict[str, list[StudentResult]]) -> dict[str, str]:
    """Write ``reports/class_scores.csv``, ``class_tests.csv``, ``class_anti_patterns.csv`` and ``class.png``."""
    out = os.path.join(course_dir, "reports")
    os.makedirs(out, exist_ok=True)
    paths = {name: os.path.join(out, f"class_{name}.csv") for name in ("scores", "tests", "anti_patterns")}
    paths["figure"] = os.path.join(out, "class.png")
    score_rows, test_rows, pattern_rows = [], [], []
    for assignment, results in sorted(by_assignment.items()):
        for r in results:
            failed = [t.name for t in r.tests if not t.passed]
            tags = sorted({p for t in r.tests for p in t.anti_patterns})
            score_rows.append([assignment, r.student, r.score, r.max_score, " ".join(failed), " ".join(tags),
                               " | ".join(r.problems)])
        passes, runs, patterns = _summaries(results)
        for name in runs:
            test_rows.append([assignment, name, runs[name], passes[name], round(passes[name] / runs[name], 3)])
        for exercise, counter in sorted(patterns.items()):
            for check, count in counter.most_common():
                pattern_rows.append([assignment, exercise, check, count])
    _write_csv(paths["scores"], ["assignment", "student", "score", "max_score", "failed_tests", "anti_patterns",
                                 "problems"], score_rows)
    _write_csv(paths["tests"], ["assignment", "test", "submissions", "passed", "pass_rate"], test_rows)
    _write_csv(paths["anti_patterns"], ["assignment", "exercise", "anti_pattern", "count"], pattern_rows)
    _figure(paths["figure"], by_assignment)
    return paths


def _figure(path: str, by_assignment: dict[str, list[StudentResult]]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    assignments = sorted(a for a, r in by_assignment.items() if r) or ["(nothing graded)"]
    fig, axes = plt.subplots(len(assignments), 3, figsize=(15, 3.6 * len(assignments)), squeeze=False)
    for row, assignment in zip(axes, assignments):
        results = by_assignment.get(assignment, [])
        scores = [r.score for r in results]
        top = max([r.max_score for r in results] or [1])
        row[0].hist(scores, bins=min(20, max(5, int(top) + 1)), range=(0, top), color="#4c72b0")
        row[0].set(title=f"{assignment}: scores (n={len(results)})", xlabel="score", ylabel="students")
        passes, runs, patterns = _summaries(results)
        names = list(runs)
        row[1].barh(names, [passes[n] / runs[n] for n in names], color="#55a868")
        row[1].set(title="pass rate per test", xlim=(0, 1))
        row[1].invert_yaxis()
        labels, counts = [], []
        for exercise, counter in sorted(patterns.items()):
            for check, count in counter.most_common(3):
                labels.append(f"{exercise}: {check}")
                counts.append(count)
        if labels:
            row[2].barh(labels, counts, color="#c44e52")
            row[2].invert_yaxis()
        else:
            row[2].text(0.5, 0.5, "no anti-patterns seen", ha="center", va="center")
        row[2].set(title="most frequent anti-patterns per exercise", xlabel="submissions")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
