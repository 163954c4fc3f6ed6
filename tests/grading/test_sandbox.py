"""The jail of a submission's kernel, checked from inside by a real jailed process."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from autograder.grading.sandbox import HOME, Limits, Sandbox, check_sandbox

PROBE = r'''
import json, os, resource, socket
seen = {"uid": os.getuid(), "cwd": os.getcwd(), "root": sorted(os.listdir("/"))}
try:
    socket.create_connection(("127.0.0.1", int(os.environ["PROBE_PORT"])), 2)
    seen["net"] = "reached"
except OSError as err:
    seen["net"] = type(err).__name__
seen["course"] = os.path.exists(os.environ["PROBE_COURSE"])
try:
    open(os.path.join(os.environ["PROBE_VENV"], "planted"), "w")
    seen["venv"] = "written"
except OSError as err:
    seen["venv"] = type(err).__name__
open("mine.txt", "w").write("ok")
seen["limits"] = [resource.getrlimit(r)[0] for r in (resource.RLIMIT_AS, resource.RLIMIT_NPROC, resource.RLIMIT_FSIZE)]
print(json.dumps(seen))
'''


def test_a_jailed_process_sees_nothing_of_the_course(tmp_path):
    check_sandbox()  # bubblewrap works here; grading refuses to run otherwise
    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    home, ipc = tmp_path / "home", tmp_path / "ipc"
    home.mkdir()
    ipc.mkdir()
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    sandbox = Sandbox(Limits(address_space=6 << 30, processes=300, file_size=1 << 20))
    sandbox.own(str(home))
    sandbox.own(str(ipc))
    env = {"PATH": os.environ["PATH"], "PROBE_PORT": str(listener.getsockname()[1]),
           "PROBE_COURSE": str(course), "PROBE_VENV": sys.prefix}
    done = subprocess.run(sandbox.command([sys.executable, "-c", PROBE], str(home), str(ipc)),
                          capture_output=True, text=True, env=env, timeout=120)
    listener.close()
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["uid"] not in (0, os.getuid()) or os.getuid() != 0  # as root: a dedicated plain uid
    assert seen["cwd"] == HOME
    assert seen["net"] in ("ConnectionRefusedError", "OSError")  # its own loopback: nothing listens there
    assert seen["course"] is False
    assert seen["venv"] in ("OSError", "PermissionError")  # read-only
    assert seen["limits"] == [6 << 30, 300, 1 << 20]
    assert (home / "mine.txt").read_text() == "ok"
