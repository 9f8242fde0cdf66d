"""Where runs execute: in this process, in a pool of local processes, or on a Dask cluster.

All three are ``concurrent.futures`` executors behind one small seam, so the
sweep's loop, its retries and its writing are the same whichever runs the
work. The local pool is ``concurrent.futures.ProcessPoolExecutor``: when a
worker dies it fails the runs in flight and reports the pool broken, where
``multiprocessing.Pool`` would wait for the lost result forever.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Self


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


def _ignore_interrupt() -> None:
    """Ctrl-C is the sweep's to handle: workers finish their run and the parent stops cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class ProcessPool(Engine):
    name = "process pool"

    def __init__(self, workers: int | None = None):
        super().__init__(workers or os.cpu_count() or 1)
        # A fork server with the model imported once: workers start fast, and
        # none is forked from a parent that holds threads (progress bar, Dask).
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["sim.runner.worker"])
        self.restart()

    def restart(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=_ignore_interrupt)


class Dask(Engine):
    """A Dask distributed cluster: an existing one by address, or a local one started for this sweep."""

    name = "dask"

    def __init__(self, address: str | None = None, local_workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError("Dask is not installed; install the extra: pip install 'kshare[dask]'") from None
        self.cluster = None
        if address:
            self.client = Client(address, timeout="20s")
        else:
            self.cluster = LocalCluster(
                n_workers=local_workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            self.client = Client(self.cluster)
        super().__init__(max(1, sum(self.client.nthreads().values())))
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
    if dask or dask_local:
        return Dask(dask, dask_local)
    if workers == 1:
        return Sequential()
    return ProcessPool(workers)
