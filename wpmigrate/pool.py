"""Work spread over processes, results back in the order it was handed in.

The reader stays in the main process and streams; the expensive part (HTML to
Markdown) runs in worker processes. At most ``limit`` batches are in flight, so a
fast reader never piles up work in memory. With one job everything runs inline.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from typing import Any, Generic, TypeVar

from .errors import OutputError

__all__ = [
    "OrderedPool",
    "default_jobs",
    "fork_context",
    "process_context",
    "forked_map",
    "forked_call",
    "release_free_memory",
]

In = TypeVar("In")
Out = TypeVar("Out")
Shared = TypeVar("Shared")


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def fork_context() -> BaseContext | None:
    """Forked workers, where the system has fork: they start at once, inherit what the
    parent knows, and never re-import the caller's main module (a script without a
    ``__main__`` guard works as it is)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


def process_context() -> BaseContext:
    """Fork where there is one, else spawn."""
    return fork_context() or multiprocessing.get_context("spawn")


def _run_batch(function: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    return [function(item) for item in batch]


def _result(future: Future[list[Out]]) -> list[Out]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise OutputError(
            "a worker process stopped abruptly (out of memory?); try -O jobs=1"
        ) from None


class OrderedPool(Generic[In, Out]):
    """``submit`` items, get results in order from ``ready()`` and ``drain()``."""

    def __init__(
        self,
        function: Callable[[In], Out],
        jobs: int,
        *,
        batch_size: int = 32,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
    ) -> None:
        self._function = function
        self._batch: list[In] = []
        self._batch_size = batch_size
        self._in_flight: deque[Future[list[Out]]] = deque()
        self._done: deque[Out] = deque()
        self._executor: ProcessPoolExecutor | None = None
        # Six batches a worker: the reader runs that far ahead before it waits, so a
        # slow post or a busy core seldom leaves a worker without work (with 16 posts a
        # batch and three a worker, 100 MB to Markdown with two jobs took 6% longer).
        self._limit = jobs * 6
        if jobs > 1:
            self._executor = ProcessPoolExecutor(
                jobs, mp_context=process_context(), initializer=initializer, initargs=initargs
            )
        elif initializer is not None:
            initializer(*initargs)

    def submit(self, item: In) -> None:
        if self._executor is None:
            self._done.append(self._function(item))
            return
        self._batch.append(item)
        if len(self._batch) >= self._batch_size:
            self._send()

    def _send(self) -> None:
        assert self._executor is not None
        if self._batch:
            self._in_flight.append(self._executor.submit(_run_batch, self._function, self._batch))
            self._batch = []
        while len(self._in_flight) >= self._limit:  # wait for the oldest: memory stays flat
            self._done.extend(_result(self._in_flight.popleft()))

    def ready(self) -> Iterator[Out]:
        """Results finished so far, in order (without waiting)."""
        while self._in_flight and self._in_flight[0].done():
            self._done.extend(_result(self._in_flight.popleft()))
        while self._done:
            yield self._done.popleft()

    def drain(self) -> Iterator[Out]:
        """Every remaining result, in order, waiting for each."""
        if self._executor is not None:
            self._send()
            while self._in_flight:
                self._done.extend(_result(self._in_flight.popleft()))
        while self._done:
            yield self._done.popleft()

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _forked_worker(
    function: Callable[[Any, Any], Any], shared: Any, tasks: Any, results: Any
) -> None:
    while (item := tasks.get()) is not None:
        number, task = item
        results.put((number, *_outcome(function, shared, task)))


def _outcome(function: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    """(True, the result) or (False, the exception): for a worker to send back, and
    for the parent to raise."""
    try:
        return True, function(*args)
    except BaseException as exc:
        return False, exc


def _worker_died() -> OutputError:
    return OutputError("a worker process stopped abruptly (out of memory?); try --jobs 1")


def forked_map(
    function: Callable[[Shared, In], Out], shared: Shared, tasks: list[In], jobs: int
) -> Iterator[Out]:
    """``function(shared, task)`` for every task, in order, in ``jobs`` forked processes.

    ``shared`` reaches the workers by inheritance when they are forked: it is never
    pickled, however large, and no module global holds it. Where there is no fork (or
    one job, or one task), everything runs here."""
    context: Any = fork_context()
    if context is None or jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield function(shared, task)
        return
    queue_in: Any = context.SimpleQueue()
    queue_out: Any = context.Queue()
    # What the workers inherit stays shared with this process only while neither side
    # writes to its pages; the collector would, to every object it visits (in each
    # process): keep it off them until the workers are done.
    gc.freeze()
    workers = [
        context.Process(
            target=_forked_worker, args=(function, shared, queue_in, queue_out), daemon=True
        )
        for _ in range(min(jobs, len(tasks)))
    ]
    try:
        for worker in workers:
            worker.start()
        for number, task in enumerate(tasks):
            queue_in.put((number, task))
        for _ in workers:
            queue_in.put(None)
        waiting: dict[int, Out] = {}
        for expected in range(len(tasks)):
            while expected not in waiting:
                number, ok, result = _next_result(queue_out, workers)
                if not ok:
                    raise result
                waiting[number] = result
            yield waiting.pop(expected)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()
        gc.unfreeze()


def forked_call(function: Callable[..., Out], *args: Any) -> Out:
    """``function(*args)`` in a forked process, its result sent back (pickled).

    For work that makes and drops a great many small objects: the allocator keeps the
    pages they took for as long as the process lives, and here that process ends with
    the work. Where there is no fork, it runs here."""
    context: Any = fork_context()
    if context is None:
        return function(*args)
    receiver, sender = context.Pipe(duplex=False)
    gc.freeze()  # as in forked_map: the child's collector leaves the shared pages alone
    child = context.Process(target=_call_and_send, args=(sender, function, args), daemon=True)
    try:
        child.start()
        sender.close()
        try:
            ok, result = receiver.recv()
        except EOFError:
            raise _worker_died() from None
    finally:
        receiver.close()
        child.join()
        gc.unfreeze()
    if not ok:
        raise result
    return result  # type: ignore[no-any-return]


def _call_and_send(sender: Any, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    sender.send(_outcome(function, *args))
    sender.close()


def release_free_memory() -> None:
    """Hand the C allocator's free pages back to the system (glibc keeps them otherwise),
    after a phase that made and dropped much: before workers are forked (they share
    what this process holds), or before a long phase that does not need it."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None).malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            pass


def _next_result(results: Any, workers: list[Any]) -> tuple[int, bool, Any]:
    import queue

    while True:
        try:
            return results.get(timeout=0.5)  # type: ignore[no-any-return]
        except queue.Empty:
            if any(w.exitcode not in (None, 0) for w in workers):
                raise _worker_died() from None
