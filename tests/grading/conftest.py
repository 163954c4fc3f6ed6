"""Fixtures of the grading tests: a real course built from tests/grading/fixtures, real servers."""
from __future__ import annotations

import getpass
import glob
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from autograder.grading.demo import build_demo_class

from .helpers import FIXTURES

@pytest.fixture(scope="module")
def demo_course(tmp_path_factory) -> str:
    """A course with solutions/, exercises/ and submissions: full, partial, anti, crash, hang, malformed."""
    out = str(tmp_path_factory.mktemp("course") / "course")
    build_demo_class(FIXTURES, out, students=6)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name) or sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found if isinstance(found, str) else (found[-1] if found else None)


@pytest.fixture(scope="module")
def postgres_url(tmp_path_factory):
    """A real PostgreSQL server in a temporary folder (run as the `postgres` user when we are root)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL server binaries not installed (.ci/run installs them)")
    data = tmp_path_factory.mktemp("pg")
    prefix: list[str] = []
    user = getpass.getuser()
    if os.geteuid() == 0:  # postgres refuses to run as root
        user = "postgres"
        shutil.chown(data, user)
        os.chmod(data, 0o700)
        for parent in data.parents:  # the server must reach its folder
            if str(parent) in ("/", "/tmp"):
                break
            os.chmod(parent, os.stat(parent).st_mode | 0o711)
        prefix = ["runuser", "-u", user, "--"]
    port = _free_port()
    pgdata = str(data / "data")
    subprocess.run(prefix + [initdb, "-D", pgdata, "-U", user, "--auth=trust", "-E", "UTF8"],
                   check=True, capture_output=True)
    subprocess.run(prefix + [pg_ctl, "-D", pgdata, "-w", "-l", str(data / "log"), "-o",
                             f"-p {port} -h 127.0.0.1 -k {data}", "start"], check=True, capture_output=True)
    try:
        import psycopg2

        deadline = time.time() + 30
        while True:
            try:
                conn = psycopg2.connect(host="127.0.0.1", port=port, user=user, dbname="postgres")
                break
            except psycopg2.OperationalError:
                if time.time() > deadline:
                    raise
                time.sleep(0.3)
        conn.autocommit = True
        conn.cursor().execute("CREATE DATABASE gradebook")
        conn.close()
        yield f"postgresql://{user}@127.0.0.1:{port}/gradebook"
    finally:
        subprocess.run(prefix + [pg_ctl, "-D", pgdata, "-m", "immediate", "stop"], capture_output=True)
