"""nbgrader course configuration: sources with solutions in solutions/, releases in exercises/."""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "jax-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Every chapter's exercise set lives in one notebook named after its folder.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# JAX compiles on first call: give each cell time to do so on a small CPU machine.
c.ExecutePreprocessor.timeout = 300
c.Execute.timeout = 300

c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
