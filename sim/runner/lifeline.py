"""A sweep's helper processes die with the process that started them, even when it is killed with SIGKILL.

A killed parent runs no clean-up, and the process pool's own tie does not hold:
every worker keeps a copy of the pipe the fork server watches for its parent's
end, so the fork server never sees it, and the workers wait on queues whose
write ends they hold themselves. Left alone, both stay alive for good.

On Linux the kernel can send a signal to a process when its parent exits
(``prctl(PR_SET_PDEATHSIG)``). The fork server asks for it when this module is
imported into it (it is preloaded there, and ``PARENT`` in its environment
names the sweep that started it), and each worker asks for it when it starts,
so the chain sweep, fork server, worker comes down link by link. The resource
tracker then reads the end of its pipe and exits on its own.

Elsewhere ``die_with_parent`` does nothing, and a worker's watchdog thread
ends the worker once its parent is gone.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time

#: Set, only while the fork server starts, to the sweep's process id.
PARENT = "KSHARE_SWEEP_PARENT"
#: ``PR_SET_PDEATHSIG`` from ``<linux/prctl.h>``.
_PR_SET_PDEATHSIG = 1
#: Seconds between a watchdog's looks at its parent.
WATCH_EVERY = 1.0


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent exits; False where that cannot be asked.

    SIGKILL, because a process whose parent is gone has no one to give a
    result to: nothing it could still do is worth a handler.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def alive(pid: int) -> bool:
    """Whether process ``pid`` still exists (a zombie counts: it is gone only once reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OverflowError:
        return False  # a number no process can have (read from a file name, say)
    return True


def watch_parent() -> None:
    """End this process, from a daemon thread, as soon as its parent changes (it died and we were adopted).

    The portable second line behind ``die_with_parent``: slower (up to
    ``WATCH_EVERY`` seconds) but needs nothing from the kernel.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_EVERY)
        os._exit(1)

    threading.Thread(target=watch, name="kshare-parent-watchdog", daemon=True).start()


def start_worker(sweep: int) -> None:
    """A pool worker's initializer: tie it to its parent, and leave Ctrl-C to the sweep.

    The sweep handles Ctrl-C by letting runs in progress finish and saving
    them, so the workers must not die of the SIGINT their process group
    receives. SIGTERM keeps its default: the pool ends the workers of a broken
    pool with it. ``sweep`` is the sweep's process id: if it is already gone
    (it died while this worker was starting, before the tie was made), the
    worker ends now.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tie_to_parent(sweep)


def tie_to_parent(parent: int) -> None:
    """A pool worker's initializer where Ctrl-C should end the workers too (an ensemble): the tie alone."""
    die_with_parent()
    watch_parent()
    if not alive(parent):
        os._exit(1)


def forkserver_context(preload: list[str]) -> multiprocessing.context.ForkServerContext:
    """A fork-server context whose server, started here and now, dies with this process.

    Every pool that forks workers from a fork server uses this (a sweep's
    process pool, an ensemble), so that none of them outlives a killed parent.
    Pass ``initializer=start_worker`` (or ``tie_to_parent``) with ``initargs=(os.getpid(),)`` to the pool.
    """
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sim.runner.lifeline", *preload])
    os.environ[PARENT] = str(os.getpid())
    try:
        forkserver.ensure_running()
    finally:
        del os.environ[PARENT]
    return context


def _in_fork_server() -> None:
    """Run at import: tie the fork server to the sweep that started it (see the module's docstring)."""
    sweep = os.environ.get(PARENT)
    if sweep is None or sweep != str(os.getppid()):
        return  # imported anywhere else: the sweep itself, a test, a worker
    die_with_parent()
    if not alive(int(sweep)):
        os._exit(1)


_in_fork_server()
