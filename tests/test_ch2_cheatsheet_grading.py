"""Chapter 2: every line of cheatsheet panel 2 is graded by an exercise of the chapter.

For each line, a bank submission that gets that idiom wrong loses the points of the named test cell,
and where the idiom is the point of the cell, its message names the idiom.
"""
from __future__ import annotations

import pytest

from tests.course_layout import source_notebook
from tests.exercise_bank import ExerciseNotebook, load_bank

ASSIGNMENT = "02_numpy_updates"

# (cheatsheet line, exercise, label of a wrong bank submission, test cell it fails, words its message holds)
GRADED = [
    ("element-wise math", "ex8_normalize_pixels", "off-by-one: divides by 256", "ex8_normalize_pixels_test", None),
    ("element-wise math", "ex12_future_log_return", "wrong direction: log(today / later)",
     "ex12_future_log_return_test", None),
    ("a @ b, jnp.dot", "ex11_apply_affine", "ignores 'one matrix product': multiply and sum by broadcasting",
     "ex11_apply_affine_test_one_product", "a matrix product (@ or jnp.dot)"),
    ("a @ b, jnp.dot", "ex11_apply_affine", "wrong axis: points @ block, not transposed",
     "ex11_apply_affine_test", "(a matrix product)"),
    ("x.sum(axis=0), x.mean()", "ex1_normalize_rows", "wrong axis: column sums", "ex1_normalize_rows_test", None),
    ("x.sum(axis=0), x.mean()", "ex5_masked_mean", "wrong axis: over the first axis", "ex5_masked_mean_test", None),
    ("m[1, 2], m[:, 0]", "ex11_apply_affine", "wrong index: shift read from the last row",
     "ex11_apply_affine_test", "in the last column"),
    ("m[1, 2], m[:, 0]", "ex11_apply_affine", "off-by-one: block from columns 1 and 2", "ex11_apply_affine_test", None),
    ("x.at[0].set(99)", "ex2_one_hot", "ignores '.at[].set': compare with arange",
     "ex2_one_hot_test_uses_at", "x.at[...].set(...)"),
    ("x.at[1].add(10)", "ex4_scatter_clipped", "ignores '.at[...].add': one-hot matrix product",
     "ex4_scatter_clipped_test_uses_add", "x.at[...].add(...)"),
    ("x.at[1].add(10)", "ex6_histogram", "set instead of add: repeats count once", "ex6_histogram_test", None),
    ("arrays never change in place", "ex3_set_border", "the broken original",
     "ex3_set_border_test_update_kept", "[anti-pattern: discarded-update]"),
    ("read past the end is clamped; .at[i].get(mode='fill')", "ex12_future_log_return",
     "the broken original: the read past the end is clamped", "ex12_future_log_return_test_past_the_end",
     "a plain read past the end is clamped"),
    ("read past the end is clamped; .at[i].get(mode='fill')", "ex12_future_log_return",
     "mode='clip': clamps on purpose, still made up", "ex12_future_log_return_test_past_the_end",
     "a plain read past the end is clamped"),
]


@pytest.fixture(scope="module")
def book():
    return ExerciseNotebook(source_notebook(ASSIGNMENT))


@pytest.mark.every_jax
@pytest.mark.parametrize("line,exercise,label,cell,words", GRADED, ids=[f"{g[0]}-{g[2]}" for g in GRADED])
def test_cheatsheet_line_is_graded(book, line, exercise, label, cell, words):
    wrong = [s for s in load_bank(ASSIGNMENT)[exercise] if s.label == label]
    assert len(wrong) == 1 and not wrong[0].correct, f"{exercise}: no wrong submission labelled {label!r}"
    failures = book.grade(exercise, wrong[0].source).failures
    assert cell in failures, f"{line!r}: {label!r} kept the points of {cell}; failures: {failures}"
    if words:
        assert words in failures[cell], f"{line!r}: the message of {cell} does not name the idiom: {failures[cell]}"

