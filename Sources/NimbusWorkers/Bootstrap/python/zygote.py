"""Nimbus's python zygote: a template process per function that has already paid for the
interpreter's start-up (site, encodings) and imported the bootstrap with the standard modules it
needs, and forks a worker from itself on request. It never imports the user's handler: a forked
worker imports it itself, so module-level code runs once per worker, as on AWS.

Control channel: fd 0 is a SOCK_SEQPACKET unix socket to Nimbus, one message per datagram.
  zygote -> nimbus   ready <pid>
  nimbus -> zygote   {"worker": "w3", "env": {...}}  with file descriptors (SCM_RIGHTS): the
                     worker's log pipe, then one open `cgroup.procs` per hierarchy to join
  nimbus -> zygote   {"spare": "s1"}  with one open `cgroup.procs` per hierarchy: fork a spare
                     that joins them now and waits to become a worker
  nimbus -> zygote   {"worker": "w4", "env": {...}, "spare": "s1"}  with the log pipe: the spare
                     becomes the worker (its cgroups are already joined)
  zygote -> nimbus   spawned <worker or spare> <pid>   |   failed <worker or spare> <reason>
  zygote -> nimbus   exit <pid> <code>        (code < 0: killed by signal -code)
Joining a cgroup v1 hierarchy waits for an RCU grace period (5-20 ms here): a spare pays it
before anyone waits for a worker.
Pids are as the zygote sees them (inside a sandbox, its pid namespace). When the channel closes,
the zygote kills its workers and exits; when the zygote dies, its workers die (PDEATHSIG).
"""
import os
import select
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bootstrap  # noqa: E402  (json, logging, socket, importlib, time)

# What the bootstrap imports lazily on its first error or unusual value, and what nearly every
# handler imports: paid once here rather than in each worker.
import atexit  # noqa: E402,F401
import ctypes  # noqa: E402
import datetime  # noqa: E402,F401
import decimal  # noqa: E402,F401
import traceback  # noqa: E402

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
libc = ctypes.CDLL(None, use_errno=True)


def main():
    bootstrap.die_with_parent()
    # Orphans of workers (double forks) come back here, so they are reaped and can be cleared.
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1)
    kill_orphans = "--kill-orphans" in sys.argv
    control = socket.socket(fileno=os.dup(0))
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    os.set_blocking(wake_read, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    me = os.getpid()
    workers = {}
    spares = {}
    control.send(b"ready %d" % me)
    while True:
        try:
            readable, _, _ = select.select([control, wake_read], [], [])
        except InterruptedError:
            continue
        if wake_read in readable:
            try:
                while os.read(wake_read, 512):
                    pass
            except BlockingIOError:
                pass
            reap(control, workers, spares, kill_orphans)
        if control in readable:
            try:
                message, fds, _, _ = socket.recv_fds(control, 1 << 20, 16)
            except OSError:
                message, fds = b"", []
            if not message:
                for pid in workers:
                    kill_group(pid)
                os._exit(0)
            handle(control, message, fds, workers, spares, me, (wake_read, wake_write))


def handle(control, message, fds, workers, spares, me, wake):
    name = "?"
    try:
        request = bootstrap.json.loads(message)
        if "worker" in request and "spare" in request:
            name = request["worker"]
            pid, link = spares.pop(request["spare"])
            # The spare gets the request and the log pipe, and goes on as the worker.
            socket.send_fds(link, [message], fds)
            link.close()
            for fd in fds:
                os.close(fd)
            workers[pid] = name
            control.send(b"spawned %s %d" % (name.encode(), pid))
            return
        name = request.get("worker") or request["spare"]
        link = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET) if "spare" in request else None
        pid = os.fork()
    except Exception as exc:
        for fd in fds:
            os.close(fd)
        control.send(("failed %s %s" % (name, exc)).encode())
        return
    if pid == 0:
        run_child(request, fds, control, me, wake, link[1] if link else None)
    for fd in fds:
        os.close(fd)
    if link:
        link[1].close()
        spares[name] = (pid, link[0])
    workers[pid] = name
    control.send(b"spawned %s %d" % (name.encode(), pid))


def run_child(request, fds, control, zygote, wake, link):
    """In the child: join the cgroups, then become the worker at once or, as a spare, when the
    zygote hands over a worker's request. Never returns."""
    code = 1
    marks = [("fork", time.perf_counter())]
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        control.close()
        for fd in wake:
            os.close(fd)
        cgroups = fds if link else fds[1:]
        # Join the worker's cgroups before anything else runs: "0" is the writing process.
        for fd in cgroups:
            os.write(fd, b"0")
            os.close(fd)
        marks.append(("cgroups", time.perf_counter()))
        # Own process group: Nimbus stops the worker by killing the group. (Not setsid: a new
        # session costs ~7 ms here, for a scheduler autogroup.)
        os.setpgid(0, 0)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0)
        if os.getppid() != zygote:
            os._exit(1)
        if link:
            message, fds, _, _ = socket.recv_fds(link, 1 << 20, 1)
            if not message or not fds:
                os._exit(0)
            link.close()
            request = bootstrap.json.loads(message)
            marks = [("handed over", time.perf_counter())]
        log = fds[0]
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        os.environ.clear()
        os.environ.update(request["env"])
        marks.append(("ready to run", time.perf_counter()))
        if os.environ.get("NIMBUS_ZYGOTE_TRACE"):
            print("zygote child: " + ", ".join("%s +%.2f ms" % (name, (at - marks[0][1]) * 1000) for name, at in marks[1:]), flush=True)
        sys.argv = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "bootstrap.py")]
        bootstrap.main(forked=True)
        code = 0
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        # As an interpreter exiting normally would: atexit handlers, then flushed streams.
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:
            pass
        os._exit(code & 0xFF)


def reap(control, workers, spares, kill_orphans):
    ended = False
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        if pid in workers:
            spare = spares.pop(workers.pop(pid), None)
            if spare:
                spare[1].close()
            ended = True
            control.send(b"exit %d %d" % (pid, os.waitstatus_to_exitcode(status)))
    if ended and kill_orphans:
        # Without cgroups nothing else can find what a worker left behind outside its group.
        for pid in children():
            if pid not in workers:
                kill_group(pid)
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass


def children():
    found = []
    try:
        for task in os.listdir("/proc/self/task"):
            with open("/proc/self/task/%s/children" % task) as f:
                found += [int(pid) for pid in f.read().split()]
    except OSError:
        pass
    return found


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


if __name__ == "__main__":
    main()
