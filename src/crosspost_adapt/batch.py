"""Many posts at once: :func:`adapt_many` runs :func:`adapt_all` over posts in parallel.

Image work dominates a day of posts (tens of milliseconds per photo per
platform), so the posts are adapted in parallel: by default in a pool of
processes, one per core, each making its images on one thread; or on any
:class:`concurrent.futures.Executor` given, such as a Dask cluster's
(``distributed.Client(...).get_executor()``). What is sent to a worker (the
post, the platforms, the options) is pickled: posts carry their images as paths
or bytes, and a third-party :class:`Platform` passed in ``platforms`` travels
with the work, so workers need not have it registered.

Results come back in input order, as :class:`BatchResult`: the drafts of a post,
or the exception that stopped it (a corrupt image, a text that cannot fit with
``overflow="error"``), so one bad post never stops the batch. Results are
streamed, and only a few posts per worker are in flight at once, so memory stays
bounded however long the input.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any, Final

import attrs

from crosspost_adapt.adapt import _options, adapt_all
from crosspost_adapt.adapters.base import Platform
from crosspost_adapt.adapters.registry import default_registry
from crosspost_adapt.draft import Draft
from crosspost_adapt.model import Post

__all__ = ["IN_FLIGHT_PER_WORKER", "BatchResult", "adapt_many", "default_executor"]

#: Posts submitted ahead per worker: enough to keep every worker busy while the
#: results are read in order, few enough that memory stays bounded.
IN_FLIGHT_PER_WORKER: Final = 2

#: A progress callback: ``(done, total)``, ``total`` None when the input's
#: length is unknown (an iterator).
Progress = Callable[[int, int | None], None]


@attrs.frozen
class BatchResult:
    """One post's outcome: ``drafts`` (what :func:`adapt_all` returns) or ``error``.

    ``index`` is the post's position in the input (from 0); exactly one of
    ``drafts`` and ``error`` is None.
    """

    index: int
    post: Post
    drafts: Mapping[str, Draft] | None = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        """Whether the post was adapted (``drafts`` holds its drafts)."""
        return self.error is None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def _start_worker() -> None:
    """A pool worker makes its images on one thread: the pool has a process per core."""
    from crosspost_adapt.media import set_workers

    set_workers(1)


def default_executor(max_workers: int | None = None) -> ProcessPoolExecutor:
    """The pool :func:`adapt_many` uses by default: a process per core available
    (or ``max_workers``), each making images on one thread."""
    return ProcessPoolExecutor(max_workers=max_workers or _cores(), initializer=_start_worker)


def _adapt_one(
    post: Post, platforms: tuple[str | Platform, ...] | None, options: dict[str, Any]
) -> tuple[dict[str, Draft] | None, BaseException | None]:
    """The work sent to a worker: the drafts of one post, or the error it raised."""
    try:
        return adapt_all(post, platforms, **options), None
    except Exception as exc:
        return None, exc


def _workers_of(executor: Executor) -> int:
    """How many posts ``executor`` works on at once, as far as it tells (its
    ``_max_workers``, as the standard pools have), else the cores here."""
    found = getattr(executor, "_max_workers", None)
    return found if isinstance(found, int) and found > 0 else _cores()


def adapt_many(
    posts: Iterable[Post],
    platforms: Iterable[str | Platform] | None = None,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> Iterator[BatchResult]:
    """Adapt every post with ``adapt_all(post, platforms, **options)``, in parallel;
    yield a :class:`BatchResult` per post, in input order, as they are ready.

    ``executor``: where the work runs; by default a process pool with a process
    per core (:func:`default_executor`), shut down when the iteration ends. Any
    ``concurrent.futures.Executor`` works: a ``ThreadPoolExecutor``, or a Dask
    cluster's ``Client.get_executor()``; it is left running. ``progress`` is
    called with ``(done, total)`` as each result is ready, before it is yielded
    (``total`` None for an input of unknown length). At most
    ``IN_FLIGHT_PER_WORKER`` posts per worker are submitted ahead of the one
    being read.

    The options and the platform names are checked at once (``TypeError``,
    ``ValueError``, ``UnknownPlatformError``), before any work; an error of one
    post (bad image, text that cannot fit) is that post's ``error``. A post that
    is no :class:`Post` is a ``TypeError`` in its result.
    """
    _options(options)  # raises now for an unknown option or a bad value
    if isinstance(platforms, str):
        raise TypeError(f"platforms must be a list of names, not a str: [{platforms!r}]")
    chosen = None if platforms is None else tuple(platforms)
    registry = default_registry()
    for platform in chosen or ():
        if not isinstance(platform, Platform):
            registry.get(platform)  # an unknown name raises here
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable, not {type(progress).__name__}")
    total = len(posts) if isinstance(posts, Sized) else None
    return _results(iter(posts), chosen, options, executor, progress, total)


#: The end of the input (a post may be anything, None included).
_END: Final[Any] = object()


def _results(
    posts: Iterator[Post],
    platforms: tuple[str | Platform, ...] | None,
    options: dict[str, Any],
    executor: Executor | None,
    progress: Progress | None,
    total: int | None,
) -> Iterator[BatchResult]:
    own = executor is None
    pool = default_executor() if executor is None else executor
    ahead = IN_FLIGHT_PER_WORKER * _workers_of(pool)
    pending: deque[tuple[int, Post, Future[Any] | BaseException]] = deque()
    index = 0
    done = 0
    try:
        while True:
            while len(pending) < ahead:
                post = next(posts, _END)
                if post is _END:
                    break
                pending.append((index, post, _submit(pool, post, platforms, options)))
                index += 1
            if not pending:
                return
            at, post, work = pending.popleft()
            result = _result(at, post, work)
            done += 1
            if progress is not None:
                progress(done, total)
            yield result
    finally:
        for _, _, work in pending:
            if isinstance(work, Future):
                work.cancel()
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


def _submit(
    pool: Executor,
    post: Post,
    platforms: tuple[str | Platform, ...] | None,
    options: dict[str, Any],
) -> Future[Any] | BaseException:
    """The future of one post's work, or the error that kept it from being sent."""
    if not isinstance(post, Post):
        return TypeError(f"post must be a Post, not {type(post).__name__}")
    try:
        return pool.submit(_adapt_one, post, platforms, options)
    except Exception as exc:  # a pool shut down or broken
        return exc


def _result(index: int, post: Post, work: Future[Any] | BaseException) -> BatchResult:
    if isinstance(work, BaseException):
        return BatchResult(index, post, None, work)
    try:
        drafts, error = work.result()
    except Exception as exc:  # the work could not be sent or returned (pickling, a dead worker)
        return BatchResult(index, post, None, exc)
    return BatchResult(index, post, drafts, error)
