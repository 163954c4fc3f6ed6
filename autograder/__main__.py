"""Command line: ``python -m autograder grade | demo-class | release | lab | normalize-notebooks``."""
from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    grade = sub.add_parser("grade", help="grade every new or changed submission of one or more assignments")
    grade.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                       help="assignment ids: folders of solutions/ (e.g. 03_random); "
                            "default: every assignment that has submissions, all in one run")
    grade.add_argument("--course-dir", default=".", help="the course folder (holds nbgrader_config.py)")
    grade.add_argument("--workers", type=int, default=None, help="local worker processes (default: every core)")
    grade.add_argument("--scheduler", default=None, help="a Dask scheduler address (tcp://host:8786)")
    grade.add_argument("--db", default=None, help="gradebook URL (default: sqlite gradebook.db of the course)")
    grade.add_argument("--timeout", type=float, default=600.0, help="seconds a notebook may run (default 600)")
    grade.add_argument("--force", action="store_true", help="grade again even what is unchanged")
    grade.add_argument("--quiet", action="store_true", help="no progress bar")

    demo = sub.add_parser("demo-class", help="build a synthetic class from solutions/ and the banks")
    demo.add_argument("--course-dir", default=".", help="the course whose solutions/ to use")
    demo.add_argument("--out", default="demo_class", help="where to build the demo course")
    demo.add_argument("--students", type=int, default=12, help="how many students")

    release = sub.add_parser("release", help="nbgrader generate_assignment: solutions/ -> exercises/")
    release.add_argument("assignments", nargs="*", help="assignment ids (default: every folder of solutions/)")
    release.add_argument("--course-dir", default=".")

    lab = sub.add_parser("lab", help="open the course in JupyterLab at its landing page (learner's face by default)")
    lab.add_argument("--instructor", action="store_true", help="the instructor's face: formgrader, Create Assignment")
    lab.add_argument("--course-dir", default=".")

    normalize = sub.add_parser("normalize-notebooks", help="save notebooks with the metadata JupyterLab writes")
    normalize.add_argument("paths", nargs="*", help="notebooks (default: every course notebook)")
    normalize.add_argument("--check", action="store_true", help="change nothing; fail if any notebook would change")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args, extra = _parser().parse_known_args(argv)
    if extra and args.command != "lab":
        _parser().error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "lab":
        from .lab import run_lab

        return run_lab(args.course_dir, args.instructor, extra)  # the rest goes to `jupyter lab`
    if args.command == "normalize-notebooks":
        from .notebook_format import normalize_command

        return normalize_command(args.paths, args.check)
    from .grading.grader import use_this_environment

    use_this_environment()
    if args.command == "grade":
        from .grading import GradeOptions
        from .grading.command import grade_command

        return grade_command(GradeOptions(
            assignment=args.assignments[0] if len(args.assignments) == 1 else None,
            assignments=args.assignments, course_dir=args.course_dir, workers=args.workers,
            scheduler=args.scheduler, db=args.db, timeout=args.timeout, force=args.force, quiet=args.quiet))
    if args.command == "demo-class":
        from .grading.demo import build_demo_class

        print(build_demo_class(args.course_dir, args.out, args.students))
        return 0
    from .grading.course import release as release_assignments

    for name in release_assignments(args.course_dir, args.assignments or None):
        print(f"released {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
