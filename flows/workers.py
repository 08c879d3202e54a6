"""Extraction worker processes for ``--n-process``: a pool whose processes already hold the model.

On Linux the workers are forked from a process that has loaded the model, so they start in milliseconds and
share its pages copy-on-write (spaCy's own ``nlp.pipe(n_process=...)`` works the same way); elsewhere they
are spawned and each loads the model once. The CLI opens the pool before the flow starts, while Prefect has no
threads yet (a forked child gets no copy of other threads, nor of the locks they might hold).

The flow's extraction tasks run in threads (Prefect's ThreadPoolTaskRunner) and hand each batch to the pool;
nothing here imports Prefect.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from flows import progress
from transforms.nlp import load_pipeline

T = TypeVar("T")

_config: tuple[int, str, str] | None = None  # (processes, model, seeds) of the open pool
_pool: ProcessPoolExecutor | None = None  # its processes, once started
_starting = threading.Lock()


def forks() -> bool:
    """Whether worker processes are forked (they inherit the parent's loaded model) rather than spawned."""
    return sys.platform.startswith("linux")


def _start_worker(model_name: str, seeds_dir: str) -> None:
    global _config, _pool
    _config, _pool = None, None  # a forked child's copy of the parent's pool is not its own
    progress.install(None)  # progress is the parent's to report
    load_pipeline(model_name, seeds_dir)  # inherited when forked: a cache hit


def _started() -> ProcessPoolExecutor:
    global _pool
    with _starting:
        if _pool is None:
            assert _config is not None, "no extraction pool is open"
            n_process, model_name, seeds_dir = _config
            if forks():
                load_pipeline(model_name, seeds_dir)
            context = multiprocessing.get_context("fork" if forks() else "spawn")
            pool = ProcessPoolExecutor(n_process, mp_context=context, initializer=_start_worker,
                                       initargs=(model_name, seeds_dir))
            for started in [pool.submit(os.getpid) for _ in range(n_process)]:
                started.result()
            _pool = pool
        return _pool


@contextmanager
def extraction_pool(n_process: int, model_name: str, seeds_dir: str, start_now: bool = False) -> Iterator[None]:
    """Open a pool of ``n_process`` extraction processes (or reuse the one open) and shut it down on exit.

    Its processes start at the first batch, or now with ``start_now`` (forking: the model is loaded here
    first), so that a run with nothing to extract never loads the model.
    """
    global _config, _pool
    if _config is not None:
        yield
        return
    _config = (n_process, model_name, seeds_dir)
    try:
        if start_now:
            _started()
        yield
    finally:
        pool, _pool, _config = _pool, None, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def run_in_pool(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in the open pool's worker processes, or here when no pool is open (one process, or a
    Dask worker)."""
    if _config is None:
        return function(*args)
    return _started().submit(function, *args).result()
