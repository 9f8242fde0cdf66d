"""Where runs execute: in this process, in a pool of local processes, or on a Dask cluster.

All three are ``concurrent.futures`` executors behind one small seam, so the
sweep's loop, its retries and its writing are the same whichever runs the
work. The local pool is ``concurrent.futures.ProcessPoolExecutor``: when a
worker dies it fails the runs in flight and reports the pool broken, where
``multiprocessing.Pool`` would wait for the lost result forever.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Self

from sim.runner import lifeline

#: Seconds a new engine has to show that it runs work, and to reach a Dask scheduler.
START_TIMEOUT = 60.0
DASK_CONNECT_TIMEOUT = 20.0
#: The signals a sweep handles by stopping cleanly.
HELD = (signal.SIGINT, signal.SIGTERM)


class EngineError(Exception):
    """An engine that could not be started or does not run work: one line naming the option and why."""


class Engine:
    """An executor, how many runs it works on at once, and how to get a fresh one after a crash."""

    name = "engine"

    def __init__(self, workers: int):
        self.workers = workers
        self.executor: Executor | None = None

    def submit(self, fn, *args) -> Future:
        if self.executor is None:
            raise RuntimeError(f"{self.describe()} is closed")
        return self.executor.submit(fn, *args)

    def restart(self) -> None:
        """Replace a broken executor; engines that recover on their own do nothing."""

    def check(self) -> None:
        """Run one trivial task, so that an engine that cannot work fails before the sweep writes anything."""
        try:
            self.submit(os.getpid).result(timeout=START_TIMEOUT)
        except FutureTimeout:
            raise EngineError(f"{self.describe()} ran no task within {START_TIMEOUT:.0f} s") from None
        except Exception as error:
            raise EngineError(f"{self.describe()} could not run a task: {one_line(error)}") from None

    def close(self, cancel: bool = False) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=cancel)
            self.executor = None

    def describe(self) -> str:
        return f"{self.name} ({self.workers} worker{'s' * (self.workers != 1)})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close(cancel=exc[0] is not None)


class _Inline(Executor):
    """Runs each call as it is submitted: for one worker, debugging, and the reference numbers."""

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


class Sequential(Engine):
    name = "sequential"

    def __init__(self):
        super().__init__(1)
        self.executor = _Inline()


@contextmanager
def held_signals() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then deliver the first one to its usual handler.

    A Dask local cluster interrupted while it starts is half made: nothing can
    close it, and Dask's own clean-up at exit fails on it with a traceback.
    Its start takes seconds; waiting for it and then closing it is clean.
    Only the main thread receives signals, so elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in HELD}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    if caught:
        signal.raise_signal(caught[0])


def one_line(error: BaseException) -> str:
    """An exception as one line: its type where the message is empty, its first line otherwise."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class ProcessPool(Engine):
    name = "process pool"

    def __init__(self, workers: int | None = None):
        super().__init__(workers or os.cpu_count() or 1)
        # A fork server with the model imported once: workers start fast, and
        # none is forked from a parent that holds threads (progress bar, Dask).
        # The fork server is started here, in this thread, with the sweep's id in its environment: it ties
        # itself to this process when it imports the lifeline (see ``sim.runner.lifeline``).
        self.context = lifeline.forkserver_context(["sim.runner.worker"])
        self.restart()

    def restart(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = ProcessPoolExecutor(
            self.workers, mp_context=self.context, initializer=lifeline.start_worker, initargs=(os.getpid(),)
        )


class Dask(Engine):
    """A Dask distributed cluster: an existing one by address, or a local one started for this sweep."""

    name = "dask"

    def __init__(self, address: str | None = None, local_workers: int | None = None):
        option = f"--dask {address}" if address else "--dask-local"
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineError(
                f"{option}: Dask is not installed; install the extra (uv sync --extra dask, "
                "or pip install 'kshare[dask]')"
            ) from None
        cluster = client = None
        try:
            if address:
                client = Client(address, timeout=f"{DASK_CONNECT_TIMEOUT:.0f}s")
            else:
                with held_signals():
                    cluster = LocalCluster(
                        n_workers=local_workers or os.cpu_count() or 1,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=None,
                    )
                    client = Client(cluster)
            client.wait_for_workers(1, timeout=START_TIMEOUT)
            threads = sum(client.nthreads().values())
        except BaseException as error:
            for part in (client, cluster):
                if part is not None:
                    part.close()
            if not isinstance(error, Exception):
                raise  # Ctrl-C, SIGTERM: the sweep says what happened
            if client is not None:
                why = f"no Dask worker joined within {START_TIMEOUT:.0f} s"
            elif not address:
                why = "the local Dask cluster did not start"
            elif isinstance(error, ValueError):
                why = "expected a scheduler address such as tcp://scheduler:8786"
            else:
                why = f"could not reach a Dask scheduler within {DASK_CONNECT_TIMEOUT:.0f} s"
            raise EngineError(f"{option}: {why} ({one_line(error)})") from None
        self.client, self.cluster = client, cluster
        super().__init__(max(1, threads))
        self.executor = self.client.get_executor(pure=False)
        where = address or "local cluster"
        self.name = f"dask {where}"

    def close(self, cancel: bool = False) -> None:
        if self.executor is None:
            return
        self.executor.shutdown(wait=not cancel)  # Dask's executor cancels only by not waiting
        self.executor = None
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def choose(workers: int | None = None, dask: str | None = None, dask_local: int | None = None) -> Engine:
    """The engine asked for, started and checked to run a task; ``EngineError`` if it cannot."""
    if dask or dask_local:
        engine: Engine = Dask(dask, dask_local)
    elif workers == 1:
        return Sequential()
    else:
        engine = ProcessPool(workers)
    try:
        engine.check()
    except BaseException:
        engine.close(cancel=True)
        raise
    return engine
