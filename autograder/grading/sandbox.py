"""The jail each submission's kernel runs in: bubblewrap namespaces, an unprivileged uid, rlimits.

The kernel sees a read-only copy of the system (``/usr``), of this Python environment and of the
``autograder`` package, its own empty ``/home/learner`` (the only writable place, where the grader
copies the submission) and a private ``/tmp``; nothing else: not ``solutions/``, not the gradebook,
not the course configuration, not other students. It has no network (a network namespace of its
own: even ``127.0.0.1`` is unreachable), its own PID namespace (every process it starts dies with
it) and runs as a dedicated uid with no capabilities under resource limits. The grader talks to it
over ZMQ ``ipc`` sockets: files in a folder shared with the jail, the only channel out.

Without a working ``bwrap`` grading refuses to run (fail closed): see :func:`check_sandbox`.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from .compile_cache import cache_environment
from .enclave_launch import RECORD_NAME, with_enclave

__all__ = ["Limits", "Sandbox", "SandboxedKernelManager", "SandboxUnavailable", "check_sandbox", "HOME", "CACHE"]

HOME = "/home/learner"  # the submission's folder as the kernel sees it
CACHE = "/var/cache/jax"  # JAX's compilation cache as the kernel sees it
_GIB = 1 << 30
_UID_BASE = 1_900_000_000  # far from any real account: one uid per worker process


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create namespaces on this machine."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one kernel (``setrlimit``); JAX needs about 2 GiB of address space to import."""

    address_space: int = 8 * _GIB
    cpu_seconds: int = 1200
    processes: int = 512  # threads count too: XLA starts a pool per core
    file_size: int = 256 << 20
    open_files: int = 1024

    def prlimit_args(self) -> list[str]:
        return [f"--as={self.address_space}", f"--cpu={self.cpu_seconds}", f"--nproc={self.processes}",
                f"--fsize={self.file_size}", f"--nofile={self.open_files}", "--core=0"]


def _parents(path: str) -> list[str]:
    parents, p = [], os.path.dirname(path)
    while p not in ("/", ""):
        parents.insert(0, p)
        p = os.path.dirname(p)
    return parents


def _environment_paths() -> list[str]:
    """What the kernel must read: this environment, its base interpreter, the autograder package."""
    import autograder

    paths = {sys.prefix, sys.base_prefix, os.path.dirname(os.path.abspath(autograder.__file__))}
    paths.add(os.path.dirname(os.path.dirname(os.path.realpath(sys.executable))))
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(sysconfig.get_path(key))
    # the narrowest set: drop a path already inside another one
    ordered = sorted(p for p in paths if p and os.path.exists(p) and not p.startswith("/usr/"))
    kept: list[str] = []
    for p in ordered:
        if not any(p == k or p.startswith(k + os.sep) for k in kept):
            kept.append(p)
    return kept


class Sandbox:
    """Builds the ``bwrap`` command line that jails one kernel."""

    def __init__(self, limits: Limits | None = None, extra_readonly: tuple[str, ...] = ()):
        self.limits = limits or Limits()
        self.readonly = _environment_paths() + [p for p in extra_readonly if p]
        self.as_root = os.geteuid() == 0
        self.uid = _UID_BASE + os.getpid() % 100_000 if self.as_root else os.getuid()

    def command(self, argv: list[str], home: str, ipc: str, cache: str | None = None,
                cache_writable: bool = False) -> list[str]:
        """``argv`` (the kernel's command) run in the jail, with ``home`` and ``ipc`` its writable folders.

        ``cache``, JAX's compilation cache folder, is seen at :data:`CACHE`: read-only unless
        ``cache_writable`` (only ever for trusted code: the reference solution).
        """
        bwrap = shutil.which("bwrap")
        if bwrap is None:
            raise SandboxUnavailable("bubblewrap (bwrap) is not installed: apt-get install bubblewrap")
        cmd = [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
               "--die-with-parent", "--new-session", "--hostname", "grading"]
        if self.as_root:  # bwrap needs no user namespace as root: drop to a plain uid inside instead
            cmd += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            cmd += ["--unshare-user"]
        cmd += ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        for name in ("bin", "lib", "lib64", "sbin"):
            if os.path.islink(f"/{name}"):
                cmd += ["--symlink", os.readlink(f"/{name}"), f"/{name}"]
            elif os.path.isdir(f"/{name}"):
                cmd += ["--ro-bind", f"/{name}", f"/{name}"]
        for etc in ("/etc/fonts", "/etc/ssl/certs", "/etc/localtime", "/etc/ld.so.cache"):
            cmd += ["--ro-bind-try", etc, etc]
        made: set[str] = {"/usr", "/tmp"}
        binds = [("--ro-bind", path, path) for path in self.readonly] + [("--bind", ipc, ipc)]
        if cache:
            binds.append(("--bind" if cache_writable else "--ro-bind", cache, CACHE))
        for kind, source, dest in binds:  # the sockets keep their path: the connection file names it
            for parent in _parents(dest):
                if parent not in made:
                    cmd += ["--perms", "0755", "--dir", parent]
                    made.add(parent)
            cmd += [kind, source, dest]
        cmd += ["--perms", "0755", "--dir", "/home", "--bind", home, HOME, "--chdir", HOME,
                "--setenv", "HOME", HOME,
                "--unsetenv", "JPY_PARENT_PID"]  # its parent is the PID namespace's init: --die-with-parent instead
        if self.as_root:
            cmd += ["setpriv", f"--reuid={self.uid}", f"--regid={self.uid}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        return cmd + ["prlimit", *self.limits.prlimit_args(), "--", *argv]

    def own(self, path: str) -> None:
        """Give ``path`` (a folder made by the grader) to the kernel's uid."""
        if self.as_root:
            os.lchown(path, self.uid, self.uid)
            for root, dirs, files in os.walk(path):
                for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                    os.lchown(name, self.uid, self.uid)


def kernel_environment(cache: bool = False, cache_writable: bool = False) -> dict[str, str]:
    """The kernel's environment: no grading markers, no secrets of the grader's shell.

    With ``cache``, JAX reads its compilation cache at :data:`CACHE`; it writes there only when
    ``cache_writable`` (a learner's kernel never even tries: see :func:`cache_environment`).
    """
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "XLA_FLAGS", "OMP_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k in keep or (k.startswith("JAX_") and "CACHE" not in k)}
    env.update({"HOME": HOME, "MPLCONFIGDIR": "/tmp", "PYTHONHASHSEED": "0", "TMPDIR": "/tmp",
                "PYTHONDONTWRITEBYTECODE": "1"})
    env.setdefault("PATH", "/usr/bin:/bin")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env["PATH"]
    if cache:
        env.update(cache_environment(CACHE, writes=cache_writable))
    return env


class SandboxedKernelManager(AsyncKernelManager):
    """A Jupyter kernel started inside :class:`Sandbox`, reached over ``ipc`` sockets."""

    def __init__(self, sandbox: Sandbox, cache: str | None = None, cache_writable: bool = False, **kwargs: Any):
        self.cache_mode = (cache, cache_writable)
        self.work = tempfile.mkdtemp(prefix="autograder-jail-")
        os.chmod(self.work, 0o755)
        self.home = os.path.join(self.work, "home")
        self.ipc = os.path.join(self.work, "ipc")
        os.mkdir(self.home)
        os.mkdir(self.ipc)
        super().__init__(transport="ipc", ip=os.path.join(self.ipc, "kernel"),
                         connection_file=os.path.join(self.ipc, "kernel.json"), **kwargs)
        self.sandbox = sandbox
        self.enclave_key = os.urandom(32)
        sandbox.own(self.work)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        self.sandbox.own(self.connection_file)  # written just before, readable by its owner only
        cache, writable = self.cache_mode
        argv = with_enclave(super().format_kernel_cmd(extra_arguments), self.ipc, self.enclave_key)
        self.sandbox.own(self.ipc)
        return self.sandbox.command(argv, self.home, self.ipc, cache, writable)

    def enclave_record(self) -> bytes | None:
        """What the kernel's enclave reported (None: it never started)."""
        try:
            with open(os.path.join(self.ipc, RECORD_NAME), "rb") as f:
                return f.read(8 << 20)
        except OSError:
            return None

    def remove_work(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


def check_sandbox() -> None:
    """Raise :class:`SandboxUnavailable` with the reason unless a jailed process can run here."""
    sandbox = Sandbox()
    with tempfile.TemporaryDirectory(prefix="autograder-jail-check-") as work:
        home, ipc = os.path.join(work, "h"), os.path.join(work, "i")
        os.mkdir(home)
        os.mkdir(ipc)
        os.chmod(work, 0o755)
        sandbox.own(work)
        cmd = sandbox.command([sys.executable, "-c", "import autograder"], home, ipc)
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise SandboxUnavailable(
                "bubblewrap cannot start a jailed process here (unprivileged user namespaces off?): "
                + done.stderr.strip()[-500:])
