"""How many threads the image pipeline may use, and the one pool it shares.

Pillow releases the GIL while it resamples, and while it encodes to a file
descriptor (not to a ``BytesIO``), so two threads make one image faster on a
machine with two cores: a large resize is split in bands
(:mod:`crosspost_adapt.media._resample`), and the byte-budget search encodes the
quality it tries and the one it is likely to try next at once
(:mod:`crosspost_adapt.media._encode`). Whatever the number of threads, the
search makes the choices it makes on one, and the resized pixels are the same
to the bit: the bands are the same on any number of threads (see
:mod:`crosspost_adapt.media._resample`).

The default is ``min(2, CPUs available)``: beyond two, the encodes gain nothing
and the bands little. A program that runs images in several
processes sets 1 in each (``set_workers(1)``, in the process pool's
initializer), so that the processes do not compete for the cores.

The pool is created on first use, holds ``workers - 1`` threads (the calling
thread does its share), is shared by every call and every thread of the
program, and is forgotten in a child process after a ``fork`` (its threads do
not exist there): the child makes its own on first use.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Final, TypeVar

__all__ = ["default_workers", "get_workers", "resolve_workers", "run_all", "set_workers", "submit"]

_T = TypeVar("_T")

#: More threads than this gain nothing on one image (two bands, two candidate encodes).
_MOST_USEFUL: Final = 2


def default_workers() -> int:
    """``min(2, CPUs this process may run on)``, at least 1."""
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        available = os.cpu_count() or 1
    return max(1, min(_MOST_USEFUL, available))


_workers: int | None = None  # None: default_workers()
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_threads = 0


def set_workers(workers: int | None) -> None:
    """Set how many threads :func:`~crosspost_adapt.media.render_media` (and so
    ``adapt``) uses for one image when its ``workers`` argument is not given.

    ``1``: everything in the calling thread, no pool (what a worker of a process
    pool should set); ``None``: back to the default, ``min(2, CPUs)``. Raises
    ValueError for anything but a positive integer or None.
    """
    global _workers
    _workers = None if workers is None else _check(workers)


def get_workers() -> int:
    """The number of threads an image is made with by default (see :func:`set_workers`)."""
    return default_workers() if _workers is None else _workers


def resolve_workers(workers: int | None) -> int:
    """*workers* checked, or the default of :func:`get_workers` when it is None."""
    return get_workers() if workers is None else _check(workers)


def _check(workers: int) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, not {workers!r}")
    return workers


def _executor(workers: int) -> ThreadPoolExecutor:
    """The shared pool, with room for ``workers - 1`` threads (made or grown on demand)."""
    global _pool, _pool_threads
    threads = max(1, workers - 1)
    with _lock:
        if _pool is None or _pool_threads < threads:
            # A pool replaced by a larger one is not shut down: a call may still be
            # submitting to it; its idle threads end once it is no longer referenced.
            _pool = ThreadPoolExecutor(threads, thread_name_prefix="crosspost_adapt-media")
            _pool_threads = threads
        return _pool


def _forget_pool() -> None:
    global _pool, _pool_threads
    _pool, _pool_threads = None, 0


if hasattr(os, "register_at_fork"):  # pragma: no branch - POSIX
    os.register_at_fork(after_in_child=_forget_pool)


def submit(workers: int, call: Callable[[], _T]) -> Future[_T]:
    """*call* started in the shared pool sized for *workers* (which must be > 1)."""
    return _executor(workers).submit(call)


def run_all(calls: Sequence[Callable[[], _T]], workers: int) -> list[_T]:
    """The results of *calls*, in order: the first run in the calling thread, the
    others in the shared pool at the same time when *workers* > 1."""
    if workers <= 1 or len(calls) <= 1:
        return [call() for call in calls]
    futures = [submit(workers, call) for call in calls[1:]]
    try:
        first = calls[0]()
    finally:
        # Even when the first call fails, the others are waited for: none of them
        # may still be writing into an image the caller is about to drop or reuse.
        wait(futures)
    return [first, *(future.result() for future in futures)]
