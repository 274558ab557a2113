"""adapt_many: many posts in parallel, in input order, one bad post never stopping the batch."""

from __future__ import annotations

import io
import itertools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

import attrs
import pytest
from PIL import Image

from crosspost_adapt import (
    BatchResult,
    CannotFitError,
    Media,
    MediaError,
    Platform,
    Post,
    UnknownPlatformError,
    adapt_all,
    adapt_many,
    rules,
)
from crosspost_adapt.batch import IN_FLIGHT_PER_WORKER

PLATFORMS = ("x", "instagram", "snapchat", "bluesky")


def _image(seed: int) -> bytes:
    """A small JPEG or PNG, different for every seed."""
    size = (160 + 8 * (seed % 7), 120 + 6 * (seed % 5))
    image = Image.new("RGB", size, (40 * (seed % 6), 90, 200 - 10 * (seed % 9)))
    for x in range(0, size[0], 12):
        image.paste((seed * 37 % 255, 200, 30), (x, 0, x + 3 + seed % 4, size[1]))
    out = io.BytesIO()
    image.save(out, "PNG" if seed % 3 == 0 else "JPEG", quality=90)
    return out.getvalue()


def _post(i: int, *, image: bytes | None = None) -> Post:
    return Post(
        text=f"Post number {i}: our autumn menu, dish {i}. " * (1 + i % 9),
        hashtags=["autumn", f"dish{i}"],
        campaign="AutumnMenu",
        link=f"https://example.com/menu/{i}",
        media=[Media.from_bytes(image if image is not None else _image(i), alt=f"Dish {i}")],
    )


CORRUPT = 25  # the post whose image is broken


@pytest.fixture(scope="module")
def posts() -> list[Post]:
    made = [_post(i) for i in range(50)]
    made[CORRUPT] = _post(CORRUPT, image=_image(CORRUPT)[:300])  # a truncated file
    return made


@pytest.fixture(scope="module")
def serial(posts: list[Post]) -> list[dict[str, Any] | type[BaseException]]:
    """What adapt_all gives each post in this process (the error type for a bad one)."""
    out: list[dict[str, Any] | type[BaseException]] = []
    for post in posts:
        try:
            out.append(adapt_all(post, PLATFORMS))
        except MediaError:
            out.append(MediaError)
    return out


def _check_batch(results: list[BatchResult], posts: list[Post], serial: list[Any]) -> None:
    assert [r.index for r in results] == list(range(len(posts)))
    for result, post, expected in zip(results, posts, serial, strict=True):
        assert result.post == post
        if expected is MediaError:
            assert not result.ok and result.drafts is None
            assert isinstance(result.error, MediaError)
            assert "truncated" in str(result.error) or "corrupt" in str(result.error)
        else:
            assert result.ok and result.error is None
            assert result.drafts == expected  # byte for byte: parts, changes, image files
            assert list(result.drafts) == list(PLATFORMS)


def test_default_process_pool(posts: list[Post], serial: list[Any]) -> None:
    calls: list[tuple[int, int | None]] = []
    results = list(adapt_many(posts, PLATFORMS, progress=lambda d, t: calls.append((d, t))))
    _check_batch(results, posts, serial)
    assert calls == [(i, len(posts)) for i in range(1, len(posts) + 1)]


def test_thread_pool(posts: list[Post], serial: list[Any]) -> None:
    with ThreadPoolExecutor(3) as pool:
        results = list(adapt_many(posts, PLATFORMS, executor=pool))
        assert pool.submit(int, "7").result() == 7  # a pool given is left running
    _check_batch(results, posts, serial)


def test_dask_cluster(posts: list[Post], serial: list[Any]) -> None:
    distributed = pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        results = list(adapt_many(posts, PLATFORMS, executor=client.get_executor()))
    _check_batch(results, posts, serial)


def test_options_and_errors_per_post() -> None:
    long = Post(text="A long story, told in full. " * 30)
    short = Post(text="Short.")
    results = list(adapt_many([short, long, short], ["x"], overflow="error", cards=False))
    assert [r.ok for r in results] == [True, False, True]
    assert isinstance(results[1].error, CannotFitError)
    assert results[1].error.limit == 280
    assert results[0].drafts is not None and results[0].drafts["x"].text == "Short."


def test_not_a_post_is_an_error_in_place() -> None:
    with ThreadPoolExecutor(2) as pool:
        items: list[Any] = [Post(text="one"), "two", None, Post(text="three")]
        results = list(adapt_many(items, ["facebook"], executor=pool))
    assert [r.ok for r in results] == [True, False, False, True]
    assert isinstance(results[1].error, TypeError) and "not str" in str(results[1].error)
    assert results[3].drafts is not None and results[3].drafts["facebook"].text == "three"


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: adapt_many([], ["myspace"]), UnknownPlatformError),
        (lambda: adapt_many([], "x"), TypeError),
        (lambda: adapt_many([], colour="red"), TypeError),
        (lambda: adapt_many([], overflow="wrap"), ValueError),
        (lambda: adapt_many([], progress=3), TypeError),
    ],
)
def test_bad_arguments_raise_before_any_work(call: Callable[[], Any], error: type) -> None:
    with pytest.raises(error):
        call()


def test_third_party_platform_travels_to_the_workers() -> None:
    pixelfed = Platform(
        name="pixelfed",
        rules=attrs.evolve(rules("mastodon"), name="pixelfed", display_name="Pixelfed"),
    )
    results = list(adapt_many([Post(text=f"Photo {i}") for i in range(3)], [pixelfed, "x"]))
    assert all(r.ok for r in results)
    assert [r.drafts["pixelfed"].text for r in results if r.drafts] == [
        "Photo 0",
        "Photo 1",
        "Photo 2",
    ]


class _Counting(Executor):
    """A thread pool that records how many futures are outstanding at most."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(workers)
        self._max_workers = workers
        self._lock = threading.Lock()
        self.outstanding = 0
        self.most = 0
        self.submitted = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._lock:
            self.outstanding += 1
            self.submitted += 1
            self.most = max(self.most, self.outstanding)
        future = self._pool.submit(fn, *args, **kwargs)
        return future

    def done_reading(self) -> None:
        with self._lock:
            self.outstanding -= 1

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def test_in_flight_is_bounded_and_the_input_is_read_lazily() -> None:
    pulled = 0

    def endless() -> Iterator[Post]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield Post(text=f"Post {i}")

    executor = _Counting(2)
    calls: list[tuple[int, int | None]] = []
    results = adapt_many(
        endless(), ["facebook"], executor=executor, progress=lambda *a: calls.append(a)
    )
    for n, result in enumerate(results, 1):
        executor.done_reading()
        assert result.index == n - 1
        assert pulled <= n + IN_FLIGHT_PER_WORKER * 2  # never read far ahead
        if n == 30:
            break
    results.close()
    executor.shutdown()
    assert executor.most <= IN_FLIGHT_PER_WORKER * 2 + 1
    assert calls[-1] == (30, None)  # an iterator: the total is unknown


def test_stopping_early_shuts_the_own_pool_down(posts: list[Post]) -> None:
    results = adapt_many(posts[:6], PLATFORMS)
    first = next(results)
    assert first.index == 0 and first.ok
    results.close()  # cancels the rest and waits for the running ones; must not hang


def test_empty_input() -> None:
    assert list(adapt_many([], ["x"])) == []


def test_large_photos_same_bytes_on_threads_and_processes() -> None:
    """Photos whose resize is made in bands (over a megapixel out): the same
    image bytes from a pool of processes (one thread each) and from threads
    (two each), as in this process."""
    posts = []
    for i in range(3):
        image = Image.effect_mandelbrot((1500 + 37 * i, 1900), (-2.1, -1.3, 0.8, 1.3), 60 + i)
        photo = Image.merge("RGB", (image, image.rotate(90, expand=False), image.transpose(0)))
        out = io.BytesIO()
        photo.save(out, "JPEG", quality=92)
        posts.append(Post(text=f"Photo {i}", media=[Media.from_bytes(out.getvalue())]))
    here = [adapt_all(post, ["instagram"]) for post in posts]
    assert here[0]["instagram"].media[0].width == 1080
    with ThreadPoolExecutor(2) as pool:
        threads = [r.drafts for r in adapt_many(posts, ["instagram"], executor=pool)]
    processes = [r.drafts for r in adapt_many(posts, ["instagram"])]
    assert threads == here
    assert processes == here
