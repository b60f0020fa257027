"""Python workers forked from a per-function zygote (`--zygote on`, the default): they serve
invocations, run the handler module's top-level code once each, get their own environment, and
fail, time out and die with Nimbus exactly as directly started workers do. `--zygote off` keeps
the direct start."""
import json
import signal
import subprocess
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

from conftest import Stack, nimbus_binary, worker_pids

HANDLER = textwrap.dedent('''
    import os
    import time

    LOADED_BY = os.getpid()  # module-level code: runs once per worker, in the worker
    CALLS = 0


    def handler(event, context):
        global CALLS
        CALLS += 1
        action = event.get("action", "whoami")
        if action == "crash":
            os._exit(3)
        if action == "sleep":
            time.sleep(event["seconds"])
        if action == "big":
            return "x" * (7 * 1024 * 1024)
        if action == "probe_runtime_api":
            return probe_runtime_api()
        if action == "allocate":
            chunks = [b"\x01" * (1024 * 1024) for _ in range(event["megabytes"])]
            return {"allocated_mb": len(chunks)}
        return {"pid": os.getpid(), "loaded_by": LOADED_BY, "calls": CALLS,
                "stream": context.log_stream_name, "env_stream": os.environ["AWS_LAMBDA_LOG_STREAM_NAME"],
                "runtime_api": os.environ["AWS_LAMBDA_RUNTIME_API"]}
''')

PROBE = textwrap.dedent('''
    import http.client
    import json
    import os


    def probe_runtime_api():
        """What this worker's own Runtime API answers to requests the bootstrap never sends."""
        host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")

        def call(method, path, body=b""):
            connection = http.client.HTTPConnection(host, int(port), timeout=5)
            connection.request(method, path, body)
            response = connection.getresponse()
            answer = [response.status, json.loads(response.read())]
            connection.close()
            return answer

        base = "/2018-06-01/runtime/invocation/"
        return {
            "other_request": call("POST", base + "00000000-0000-4000-8000-000000000000/response", b"{}"),
            "not_an_id": call("POST", base + "not-a-request-id/error", b"{}"),
            "unknown_path": call("GET", "/2018-06-01/runtime/elsewhere"),
            "wrong_method": call("DELETE", base + "next"),
        }
''')

TEMPLATE = textwrap.dedent('''
    AWSTemplateFormatVersion: '2010-09-09'
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Probe:
        Type: AWS::Serverless::Function
        Properties:
          FunctionName: zygote-probe
          Runtime: python3.11
          Handler: app.handler
          CodeUri: fn/
          Timeout: 1
          MemorySize: 128
          ReservedConcurrentExecutions: 4
''')


def make_template():
    folder = Path(tempfile.mkdtemp(prefix="nimbus-zygote-"))
    (folder / "fn").mkdir()
    (folder / "fn/app.py").write_text("from probe import probe_runtime_api\n" + HANDLER)
    (folder / "fn/probe.py").write_text(PROBE)
    (folder / "template.yaml").write_text(TEMPLATE)
    return folder / "template.yaml"


def invoke(stack, payload):
    reply = stack.client("lambda").invoke(FunctionName="zygote-probe", Payload=json.dumps(payload))
    return reply.get("FunctionError"), json.loads(reply["Payload"].read())


def runs_zygote_py(pid):
    """python running zygote.py (not the sh or bubblewrap in front of it, which name it too)."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"python" in argv[0] and any(arg.endswith(b"/zygote.py") for arg in argv[1:])


def parent(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("PPid:")[1].split()[0])


def zygotes(marker):
    """Host pids of the live zygotes of the stack whose AWS endpoint is `marker` (forked workers
    run zygote.py too, as children of a zygote)."""
    return [pid for pid in worker_pids(marker) if runs_zygote_py(pid) and not runs_zygote_py(parent(pid))]


def children(pid):
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def wait_for(condition, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    return condition()


def start(*args):
    return Stack("--idle-timeout", "0.3", *args, template=make_template())


@pytest.fixture(scope="module", params=["auto", "process"])
def stack(request):
    s = start("--isolation", request.param)  # auto: in the bubblewrap sandbox where it works
    s.marker = f"127.0.0.1:{s.aws_port}"
    # The first cold start starts the zygote (and starts its worker directly meanwhile).
    assert invoke(s, {})[0] is None
    assert wait_for(lambda: zygotes(s.marker)), "a zygote should run after the first cold start:\n" + s.log_path.read_text()
    time.sleep(1)  # ready (imports done), and the first worker idled out
    yield s
    s.stop()
    s.cleanup()


def test_forked_workers_serve_with_their_own_module_state_and_environment(stack):
    results = []

    def call():
        results.append(invoke(stack, {"action": "sleep", "seconds": 0.5}))

    threads = [threading.Thread(target=call) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [error for error, _ in results] == [None, None, None], results
    bodies = [body for _, body in results]
    assert len({body["pid"] for body in bodies}) == 3, "three workers"
    for body in bodies:
        assert body["loaded_by"] == body["pid"], "the handler module was imported by the worker itself"
        assert body["calls"] == 1, "module state is not shared between workers"
        assert body["stream"] == body["env_stream"]
    assert len({body["stream"] for body in bodies}) == 3, "each worker has its own log stream"
    assert len({body["runtime_api"] for body in bodies}) == 3, "each worker has its own Runtime API"
    [zygote] = zygotes(stack.marker)
    # The workers are the zygote's children (behind bubblewrap the zygote is the pid-namespace init).
    assert len(children(zygote)) >= 3


def test_a_crash_is_runtime_exit_error_with_the_exit_status(stack):
    time.sleep(0.6)
    error, body = invoke(stack, {"action": "crash"})
    assert error == "Unhandled"
    assert body["errorType"] == "Runtime.ExitError", body
    assert body["errorMessage"].endswith("Runtime exited with error: exit status 3"), body
    assert invoke(stack, {})[0] is None


def test_a_timeout_replaces_the_worker(stack):
    error, body = invoke(stack, {"action": "sleep", "seconds": 5})
    assert error == "Unhandled" and body["errorType"] == "Sandbox.Timedout", body
    error, body = invoke(stack, {})
    assert error is None and body["calls"] == 1, "a fresh worker"
    assert zygotes(stack.marker), "the zygote lives on"


def test_exceeding_memory_size_is_still_runtime_out_of_memory(stack):
    time.sleep(0.6)  # a fresh, forked worker
    error, body = invoke(stack, {"action": "allocate", "megabytes": 400})
    assert error == "Unhandled"
    assert body["errorType"] == "Runtime.OutOfMemory", body
    assert body["errorMessage"].endswith("Runtime exited with error: signal: killed"), body
    assert invoke(stack, {})[0] is None


def test_sigkill_of_nimbus_takes_the_zygote_and_its_workers_along():
    s = start()
    marker = f"127.0.0.1:{s.aws_port}"
    try:
        assert invoke(s, {})[0] is None
        assert wait_for(lambda: zygotes(marker))
        time.sleep(1)
        results = []
        threads = [threading.Thread(target=lambda: results.append(invoke(s, {"action": "sleep", "seconds": 0.3}))) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(worker_pids(marker)) >= 2
        s.stop(signal.SIGKILL)
        assert wait_for(lambda: not worker_pids(marker)), worker_pids(marker)
    finally:
        s.cleanup()


def test_zygote_off_starts_every_worker_directly():
    s = start("--zygote", "off")
    marker = f"127.0.0.1:{s.aws_port}"
    try:
        assert wait_for(lambda: "zygote off" in s.log_path.read_text())
        for _ in range(2):
            error, body = invoke(s, {})
            assert error is None and body["loaded_by"] == body["pid"]
            time.sleep(0.6)
        assert zygotes(marker) == []
    finally:
        s.stop()
        s.cleanup()


def test_unknown_zygote_setting_is_refused():
    result = subprocess.run([nimbus_binary(), "up", str(make_template()), "--zygote", "maybe"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "--zygote must be on or off" in result.stdout + result.stderr


def innermost_pid(pid):
    """The pid a process sees for itself (inside the sandbox's pid namespace, when there is one)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(status.split("NSpid:")[1].split("\n")[0].split()[-1])


def test_a_cold_start_turns_the_waiting_spare_into_the_worker_and_a_new_spare_follows(stack):
    [zygote] = zygotes(stack.marker)
    # Once the workers idled out, the zygote's only child is its spare: forked, in its own
    # cgroups already, waiting to become the next worker.
    spares = wait_for(lambda: (lambda kids: kids if len(kids) == 1 else None)(children(zygote)))
    assert spares, f"one spare should wait beside the zygote, found {children(zygote)}"
    [spare] = spares
    error, body = invoke(stack, {})
    assert error is None, body
    assert body["pid"] == innermost_pid(spare), "the cold start used the spare"
    assert body["loaded_by"] == body["pid"], "the spare imported the handler only once it became a worker"
    replacement = wait_for(lambda: [pid for pid in children(zygote) if pid != spare])
    assert len(replacement) == 1, "a new spare takes the old one's place"


def test_a_response_over_6_mb_is_function_response_size_too_large(stack):
    error, body = invoke(stack, {"action": "big"})
    assert error == "Unhandled"
    assert body["errorType"] == "Function.ResponseSizeTooLarge", body
    assert "exceeded maximum allowed payload size (6291456 bytes)" in body["errorMessage"], body
    assert invoke(stack, {})[0] is None, "the worker goes on serving"


def test_the_runtime_api_refuses_requests_that_are_not_the_invocation_in_flight(stack):
    error, body = invoke(stack, {"action": "probe_runtime_api"})
    assert error is None, body
    assert body["other_request"] == [400, {"errorMessage": "Invalid request ID", "errorType": "InvalidRequestID"}]
    assert body["not_an_id"][0] == 400 and body["not_an_id"][1]["errorType"] == "InvalidRequestID"
    assert body["unknown_path"][0] == 404
    assert body["wrong_method"][0] == 404
    assert invoke(stack, {})[0] is None, "the real invocation still completes"
