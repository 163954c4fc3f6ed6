"""Start the course's JupyterLab exactly as `make lab` (or `make instructor`) does, on a free port with a token.

Only Jupyter's per-user state (workspaces, user settings, runtime files) is moved to a temporary
folder, so a test run neither reads nor writes the user's own.
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.course_layout import REPO

__all__ = ["LabServer", "start_lab"]


@dataclass
class LabServer:
    """A running server: its base URL, token, process and log file."""

    url: str
    token: str
    process: subprocess.Popen
    log: Path

    def address(self, path: str) -> str:
        """The URL of ``path`` on this server, with the token."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}/{path.lstrip('/')}{sep}token={self.token}"

    def get(self, path: str) -> tuple[int, bytes]:
        """HTTP GET ``path``; returns (status, body) without raising on 4xx/5xx."""
        try:
            with urllib.request.urlopen(self.address(path), timeout=30) as reply:
                return reply.status, reply.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def redirect(self, path: str) -> str | None:
        """Where GET ``path`` redirects to (its Location header), or None."""
        host, port = self.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request("GET", self.address(path).removeprefix(self.url))
            return connection.getresponse().getheader("Location")
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop the server and the kernels it started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(state_dir: Path, instructor: bool = False, course_dir: Path = REPO, timeout: float = 180.0) -> LabServer:
    """Run ``python -m autograder lab`` (the Makefile's command) on ``course_dir`` and wait until it answers."""
    port, token = _free_port(), "course-test-token"
    env = dict(os.environ)
    env.update(JUPYTER_CONFIG_DIR=str(state_dir / "config"), JUPYTER_DATA_DIR=str(state_dir / "data"),
               JUPYTER_RUNTIME_DIR=str(state_dir / "runtime"), JUPYTERLAB_WORKSPACES_DIR=str(state_dir / "workspaces"),
               JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"))
    env.pop("DISPLAY", None)
    log = state_dir / ("instructor.log" if instructor else "lab.log")
    argv = [sys.executable, "-m", "autograder", "lab", f"--course-dir={course_dir}", *(["--instructor"] if instructor else []),
            f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}"]
    with open(log, "w") as out:
        process = subprocess.Popen(argv, cwd=course_dir, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, process, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited:\n{log.read_text()[-3000:]}")
        try:
            if server.get("api/status")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"jupyter lab did not answer in {timeout:.0f} s:\n{log.read_text()[-3000:]}")
