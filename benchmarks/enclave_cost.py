"""Benchmark: what the grading enclave costs, and proof that every chapter's own tests pass inside it.

Runs each chapter's reference solution (solutions/NN_topic/NN_topic.ipynb: answers and hidden
tests) in the same jailed kernel three ways: without the enclave; with it (the audit hook only);
with it and every test cell attested (the grading pipeline's real set-up). Prints the kernel's
seconds of each (median of --repeat runs) and their ratios, and how many test cells the enclave
attested clean: every one of the reference solution's must be.

    .venv/bin/python benchmarks/enclave_cost.py --chapters 04_jit 08_pytrees --repeat 3
"""
from __future__ import annotations

import argparse
import glob
import os
import statistics
import sys

import nbformat

from autograder.grading import sandbox
from autograder.grading.attest import instrument, read_record, setup_bindings, unattested
from autograder.grading import executor
from autograder.grading.executor import ExecutionJob, execute_notebook
from autograder.grading.grader import use_this_environment

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _drop_spare() -> None:
    warm = executor._WARM
    if warm is not None and warm._spare is not None:
        executor._shutdown(warm._spare)
        warm._spare = None


def _run(path: str, mode: str) -> tuple[float, str]:
    nb = nbformat.read(path, as_version=4)
    marked = instrument(nb, setup_bindings(nb)) if mode == "attested" else None
    _drop_spare()  # the kernel started ahead of time was started for the previous mode
    real = sandbox.with_enclave
    if mode == "no enclave":
        sandbox.with_enclave = lambda argv, folder, key: argv
    try:
        result = execute_notebook(ExecutionJob(key=f"bench/{mode}/{os.path.basename(path)}",
                                               notebook=nbformat.writes(nb), timeout=900, config={}))
    finally:
        sandbox.with_enclave = real
    if result.error:
        return result.kernel_seconds, f"error: {result.error}"
    if marked is None:
        return result.kernel_seconds, ""
    report = read_record(result.enclave_key, result.enclave_record)
    withheld, notes = unattested({g: 1.0 for g in marked.digests}, marked, report)
    clean = len(marked.digests) - len(withheld)
    return result.kernel_seconds, f"{clean}/{len(marked.digests)} test cells attested clean" + (
        f"; {notes[:3]}" if notes else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="*", default=["04_jit"])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    use_this_environment()
    chapters = sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "solutions", "*"))) \
        if args.chapters == ["all"] else args.chapters
    failed = False
    modes = ("no enclave", "enclave", "attested")
    for chapter in chapters:
        path = os.path.join(ROOT, "solutions", chapter, f"{chapter}.ipynb")
        seconds = {m: [] for m in modes}
        verdict = ""
        for _ in range(args.repeat):
            for mode in modes:  # interleaved: a load change on the machine hits every mode alike
                spent, said = _run(path, mode)
                seconds[mode].append(spent)
                verdict = said if mode == "attested" else verdict
                failed |= said.startswith("error") or (mode == "attested" and "; " in said)
        base = statistics.median(seconds["no enclave"])
        cells = "  ".join(f"{m}: {statistics.median(s):6.2f} s" for m, s in seconds.items())
        ratio = statistics.median(seconds["attested"]) / base if base else float("nan")
        print(f"{chapter:20s} {cells}  attested/no enclave: {ratio:.2f}x  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
