"""Worker isolation and limits on a live stack: the memory limit (Runtime.OutOfMemory as AWS
reports it), accounting from the cgroup, the bubblewrap sandbox (code at /var/task, no data
directory, private /tmp), the pids limit, and no process outliving its worker. Each test runs
against what this host offers; it skips only where the host lacks the facility."""
import json
import os
import random
import re
import time
import uuid
from pathlib import Path

import pytest
import requests

from conftest import ROOT, Stack

MIB = 1024 * 1024


def started(*args):
    stack = Stack(*args)
    deadline = time.time() + 10
    while time.time() < deadline:
        found = re.search(r"^\s*Workers:\s+(isolation: .*)$", stack.log_path.read_text(), re.MULTILINE)
        if found:
            stack.summary = found.group(1)
            break
        time.sleep(0.1)
    else:
        raise RuntimeError("no isolation summary in the start-up banner:\n" + stack.log_path.read_text())
    stack.bearer = {"Authorization": "Bearer " + stack.token()}
    return stack


@pytest.fixture(scope="module")
def sandbox_stack():
    stack = started()  # --isolation auto: the sandbox wherever bubblewrap works
    yield stack
    stack.stop()
    stack.cleanup()


@pytest.fixture(scope="module")
def process_stack():
    stack = started("--isolation", "process")
    yield stack
    stack.stop()
    stack.cleanup()


@pytest.fixture(params=["sandbox_stack", "process_stack"])
def any_stack(request):
    return request.getfixturevalue(request.param)


def sandboxed(stack):
    return stack.summary.startswith("isolation: sandbox (")


def cgroup_limits(stack):
    return "limits: cgroup" in stack.summary


def invoke(stack, name, payload):
    reply = stack.client("lambda").invoke(FunctionName=name, Payload=json.dumps(payload))
    return reply.get("FunctionError"), json.loads(reply["Payload"].read())


def containers(stack, name):
    reply = requests.get(stack.gateway + "/metrics/containers", headers=stack.bearer)
    assert reply.status_code == 200
    entries = reply.json()
    entries = entries.get("containers", entries) if isinstance(entries, dict) else entries
    return [c for c in entries if c["function_name"] == name]


def cgroup_directories(pid):
    """controller → directory of the cgroup `pid` is in, for the memory and pids controllers."""
    mounts = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split(" ")
        dash = fields.index("-")
        if fields[dash + 1] == "cgroup2":
            mounts.setdefault("", (fields[3], fields[4]))
        elif fields[dash + 1] == "cgroup":
            for option in fields[dash + 3].split(","):
                mounts.setdefault(option, (fields[3], fields[4]))
    directories = {}
    for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            if controller in mounts:
                root, mount_point = mounts[controller]
                relative = path[len(root):] if root != "/" and path.startswith(root) else path
                directories[controller or "unified"] = mount_point + relative
    return directories


def processes_with_cmdline(argv):
    wanted = "\0".join(argv).encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "cmdline").read_bytes() == wanted and ") Z " not in (entry / "stat").read_text():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def test_start_up_reports_what_is_in_force(sandbox_stack, process_stack):
    assert re.fullmatch(r"isolation: (sandbox \(bubblewrap [^)]+\)|process( \(.*\))?); limits: .+", sandbox_stack.summary)
    assert process_stack.summary.startswith("isolation: process; limits: ")
    assert re.search(r"limits: (cgroup v[12] \(memory[^)]*\)|rlimits)", sandbox_stack.summary)


def test_unknown_isolation_is_refused():
    from conftest import nimbus_binary
    import subprocess
    result = subprocess.run([nimbus_binary(), "up", str(ROOT / "tests/fixtures/stack/template.yaml"), "--isolation", "jail"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "--isolation must be auto, sandbox or process" in result.stdout + result.stderr


def test_memory_accounting_comes_from_the_worker_cgroup(any_stack):
    error, body = invoke(any_stack, "lambda-memory", {"action": "hold", "megabytes": 64})
    assert error is None and body == {"held_mb": 64}
    entries = containers(any_stack, "lambda-memory")
    assert entries, "the worker is listed"
    entry = max(entries, key=lambda c: c["memory_current"])
    assert entry["memory_max"] == 128 * MIB
    assert 64 * MIB <= entry["memory_current"] <= entry["memory_max"]
    assert entry["cpu_usage_ns"] > 0
    if cgroup_limits(any_stack):
        directories = cgroup_directories(entry["pid"])
        memory = Path(directories["memory"] if "memory" in directories else directories["unified"])
        assert re.search(rf"/nimbus-{any_stack.process.pid}(-\d+)?/w\d+$", str(memory)), memory
        limit_file = memory / ("memory.limit_in_bytes" if (memory / "memory.limit_in_bytes").exists() else "memory.max")
        assert int(limit_file.read_text()) == 128 * MIB
    invoke(any_stack, "lambda-memory", {"action": "release"})


def test_exceeding_memory_size_is_runtime_out_of_memory_and_the_next_call_works(any_stack):
    error, body = invoke(any_stack, "lambda-memory", {"action": "allocate", "megabytes": 400})
    assert error == "Unhandled"
    assert body["errorType"] == "Runtime.OutOfMemory", body
    assert re.fullmatch(r"RequestId: \S+ Error: Runtime exited with error: signal: killed", body["errorMessage"])
    error, body = invoke(any_stack, "lambda-memory", {"action": "hold", "megabytes": 1})
    assert error is None and body["held_mb"] >= 1


def test_forked_children_do_not_outlive_a_crash(any_stack):
    marker = "%d.%03d" % (300 + random.randrange(1000), random.randrange(1000))
    escaping = marker + "1"
    error, body = invoke(any_stack, "lambda-isolation",
                         {"action": "fork_and_crash", "marker": marker, "escaping_marker": escaping})
    assert error == "Unhandled" and body["errorType"] == "Runtime.ExitError"
    assert body["errorMessage"].endswith("Runtime exited with error: exit status 7")
    # A child that left the process group (setsid) is caught by the pid namespace or the cgroup;
    # with neither, nothing on the host can find it.
    contained = sandboxed(any_stack) or cgroup_limits(any_stack)
    watched = [["sleep", marker]] + ([["sleep", escaping]] if contained else [])
    try:
        deadline = time.time() + 5
        while time.time() < deadline and any(processes_with_cmdline(argv) for argv in watched):
            time.sleep(0.1)
        assert [argv for argv in watched if processes_with_cmdline(argv)] == []
    finally:
        for pid in processes_with_cmdline(["sleep", escaping]):
            os.kill(pid, 9)
    assert invoke(any_stack, "lambda-isolation", {"action": "whoami"})[0] is None


def test_pids_limit_caps_processes_and_threads(any_stack):
    if not re.search(r"limits: cgroup v[12] \([^)]*pids", any_stack.summary):
        pytest.skip("no pids cgroup controller in force here: " + any_stack.summary)
    error, body = invoke(any_stack, "lambda-isolation", {"action": "threads", "count": 400})
    assert error is None
    assert 1 <= body["started"] < 256


def test_sandbox_shows_code_read_only_at_var_task(sandbox_stack):
    if not sandboxed(sandbox_stack):
        pytest.skip("no sandbox on this host: " + sandbox_stack.summary)
    error, body = invoke(sandbox_stack, "lambda-isolation", {"action": "whoami"})
    assert error is None
    assert body["task_root"] == "/var/task" and body["cwd"] == "/var/task" and body["file"] == "/var/task/app.py"
    assert body["runtime_dir"] == "/var/runtime"
    assert "/var/task" in body["sys_path"]
    assert "work" not in body["root_entries"]
    assert invoke(sandbox_stack, "lambda-isolation", {"action": "write", "path": "/var/task/new.txt"})[1] == {"ok": False, "error": "OSError"}
    assert invoke(sandbox_stack, "lambda-isolation", {"action": "write", "path": "/etc/nimbus-test"})[1]["ok"] is False
    assert invoke(sandbox_stack, "lambda-isolation", {"action": "read", "path": "/etc/os-release"})[1]["ok"] is True


def test_sandbox_hides_the_data_directory_and_other_functions(sandbox_stack, process_stack):
    if not sandboxed(sandbox_stack):
        pytest.skip("no sandbox on this host: " + sandbox_stack.summary)
    secrets = str(Path(sandbox_stack.data_dir) / "credentials.json")
    assert Path(secrets).exists()
    other = str(ROOT / "tests/fixtures/stack/functions/faulty/app.py")
    for path in (secrets, other, str(ROOT / "tests/fixtures/stack/template.yaml")):
        error, body = invoke(sandbox_stack, "lambda-isolation", {"action": "read", "path": path})
        assert error is None and body == {"ok": False, "error": "FileNotFoundError"}, path
    # Without the sandbox a worker is an ordinary process of this user: it can.
    assert invoke(process_stack, "lambda-isolation", {"action": "read", "path": other})[1]["ok"] is True


def test_tmp_is_writable_private_and_sized_by_ephemeral_storage(sandbox_stack):
    if not sandboxed(sandbox_stack):
        pytest.skip("no sandbox on this host: " + sandbox_stack.summary)
    host_marker = Path("/tmp") / f"nimbus-host-{uuid.uuid4().hex}"
    host_marker.write_text("host")
    try:
        name = f"nimbus-worker-{uuid.uuid4().hex}"
        error, body = invoke(sandbox_stack, "lambda-isolation", {"action": "tmp", "name": name})
        assert error is None and body["read_back"] == name
        assert name in body["listing"] and host_marker.name not in body["listing"]
        assert not (Path("/tmp") / name).exists()
        assert body["size"] == 640 * MIB
    finally:
        host_marker.unlink()


def test_worker_cgroups_are_removed_at_shutdown():
    stack = started()
    try:
        if not cgroup_limits(stack):
            pytest.skip("no cgroup in force here: " + stack.summary)
        assert invoke(stack, "lambda-isolation", {"action": "whoami"})[0] is None
        worker = containers(stack, "lambda-isolation")[0]
        roots = {str(Path(d).parent) for d in cgroup_directories(worker["pid"]).values() if "/nimbus-" in d}
        assert roots and all(Path(root).is_dir() for root in roots)
        stack.stop()
        assert [root for root in roots if Path(root).exists()] == []
    finally:
        stack.stop()
        stack.cleanup()
