"""Compile-count verdicts are the same with JAX's persistent compilation cache cold and warm."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from autograder.grading.compile_cache import cache_environment

PROBE = r'''
import json
import jax, jax.numpy as jnp
from jax import monitoring
from autograder import count_compilations, find_recompilation

hits = []
monitoring.register_event_listener(lambda event, **k: hits.append(event) if event.endswith("cache_hits") else None)

def recompiling():  # a static learning rate: one program per value
    step = jax.jit(lambda x, lr: x - lr * x, static_argnums=1)
    for lr in (0.1, 0.2, 0.3):
        step(jnp.ones(4), lr).block_until_ready()

def clean():
    step = jax.jit(lambda x, lr: x - lr * x)
    for lr in (0.1, 0.2, 0.3):
        step(jnp.ones(4), jnp.float32(lr)).block_until_ready()

print(json.dumps({"recompiling": count_compilations(recompiling).count,
                  "clean": count_compilations(clean).count,
                  "flagged": [len(find_recompilation(recompiling)), len(find_recompilation(clean))],
                  "hits": len(hits)}))
'''


def _run(cache_dir: str, probe_dir) -> dict:
    env = {**os.environ, **cache_environment(cache_dir)}
    # From a file, as a learner's cell is: code run from "<string>" is taken for generated library code.
    probe = probe_dir / "probe.py"
    probe.write_text(PROBE)
    done = subprocess.run([sys.executable, str(probe)], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_warm_cache_changes_no_verdict(tmp_path):
    cache = tmp_path / "cache"
    cold = _run(str(cache), tmp_path)
    assert os.listdir(cache)  # the programs were written to the cache
    warm = _run(str(cache), tmp_path)
    assert warm["hits"] > cold["hits"]  # the second run was served from the cache
    assert (cold["recompiling"], cold["clean"]) == (3, 1)
    assert (warm["recompiling"], warm["clean"]) == (3, 1)
    assert cold["flagged"] == warm["flagged"] == [1, 0]


def test_graded_kernels_read_the_cache_the_reference_solution_filled(demo_course, tmp_path):
    """The grading command warms the cache with the reference solution; a student's kernel then hits it."""
    import nbformat

    from .helpers import ASSIGNMENT, copy_course, run_cli

    course = copy_course(demo_course, str(tmp_path / "course"), ["student001_full"])
    path = os.path.join(course, "submitted", "student001_full", ASSIGNMENT, f"{ASSIGNMENT}.ipynb")
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "from jax import monitoring\nhits = []\n"
        "monitoring.register_event_listener(lambda event, **k: hits.append(event))"))
    nb.cells.append(nbformat.v4.new_code_cell(
        "import jax\nprint('cache', jax.config.jax_compilation_cache_dir, hits.count('/jax/compilation_cache/cache_hits'))"))
    nbformat.write(nb, path)
    run_cli("grade", ASSIGNMENT, "--course-dir", course, "--workers", "1", "--timeout", "120", "--quiet",
            course=course)
    graded = nbformat.read(os.path.join(course, "autograded", "student001_full", ASSIGNMENT, f"{ASSIGNMENT}.ipynb"), 4)
    printed = "".join(o.get("text", "") for o in graded.cells[-1].outputs).split()
    assert printed[:2] == ["cache", "/var/cache/jax"] and int(printed[2]) > 0, printed
    assert not os.path.exists(os.path.join(course, ".jax_cache", "grading"))  # removed when the run ends


def test_private_cache_gives_each_live_process_its_own_folder_and_reuses_it_later(tmp_path):
    """A slot is held while its process lives (two at once get two), and free again once it exits."""
    take = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); import compile_cache as c; "
            "print(c.private_cache(sys.argv[2]), flush=True); sys.stdin.read()",
            os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "autograder", "grading"),
            str(tmp_path)]
    first = subprocess.Popen(take, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    second = subprocess.Popen(take, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    slots = {first.stdout.readline().strip(), second.stdout.readline().strip()}
    first.communicate("")
    second.communicate("")
    assert slots == {str(tmp_path / "0"), str(tmp_path / "1")}
    later = subprocess.run(take, input="", capture_output=True, text=True, check=True)
    assert later.stdout.strip() == str(tmp_path / "0")


def test_lab_kernels_compile_once_across_sessions_without_sharing_a_folder(tmp_path, monkeypatch):
    """`make lab`'s kernel spec: each running kernel has a cache folder of its own; a kernel started
    later reads back what an earlier one compiled."""
    from pathlib import Path

    from jupyter_client.manager import start_new_kernel

    from autograder.lab import cached_kernel_spec

    monkeypatch.setenv("JUPYTER_PATH", cached_kernel_spec(Path(tmp_path)))
    monkeypatch.delenv("JAX_COMPILATION_CACHE_DIR", raising=False)
    code = ("import os, jax, jax.numpy as jnp\nfrom jax import monitoring\nhits = []\n"
            "monitoring.register_event_listener(lambda e, **k: hits.append(e) if e.endswith('cache_hits') else None)\n"
            "jax.jit(lambda x: jnp.sin(x) * 3 + 1)(jnp.ones(5)).block_until_ready()\n"
            "print(os.environ['JAX_COMPILATION_CACHE_DIR'], len(hits))")

    def run(client) -> list[str]:
        printed = []
        client.execute_interactive(code, timeout=120, output_hook=lambda msg: printed.append(
            msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
        return "".join(printed).split()

    one, two = start_new_kernel(kernel_name="python3"), start_new_kernel(kernel_name="python3")
    try:
        first, second = run(one[1]), run(two[1])
    finally:
        for km, client in (one, two):
            client.stop_channels()
            km.shutdown_kernel(now=True)
    assert first[0] != second[0] and first[0].startswith(str(tmp_path / ".jax_cache" / "lab" / "jax-"))  # one folder each
    km, client = start_new_kernel(kernel_name="python3")
    try:
        again = run(client)
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
    assert again[0] == first[0] and int(again[1]) > 0  # the freed slot, and its program read back
