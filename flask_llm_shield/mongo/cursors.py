"""Cursors whose documents pass through the collection's allow-list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Self

from .failures import call, translate


class ScopedCursor:
    """A pymongo ``Cursor`` whose documents pass through the collection's allow-list.

    ``sort``, ``limit``, ``skip``, ``batch_size``, ``max_time_ms``, ``hint``,
    ``collation`` and ``comment`` chain as on pymongo; iterate it or call :meth:`to_list`.
    """

    __slots__ = ("_collection", "_convert", "_cursor")

    def __init__(self, cursor: Any, convert: Callable[[Any], Any], collection: str = "") -> None:
        self._cursor = cursor
        self._convert = convert
        self._collection = collection

    def _chain(self, method: str, *args: Any, **kwargs: Any) -> Self:
        getattr(self._cursor, method)(*args, **kwargs)
        return self

    def sort(self, key_or_list: Any, direction: Any = None) -> Self:
        if direction is None:
            return self._chain("sort", key_or_list)
        return self._chain("sort", key_or_list, direction)

    def limit(self, limit: int) -> Self:
        return self._chain("limit", limit)

    def skip(self, skip: int) -> Self:
        return self._chain("skip", skip)

    def batch_size(self, batch_size: int) -> Self:
        return self._chain("batch_size", batch_size)

    def max_time_ms(self, max_time_ms: int | None) -> Self:
        return self._chain("max_time_ms", max_time_ms)

    def hint(self, index: Any) -> Self:
        return self._chain("hint", index)

    def collation(self, collation: Any) -> Self:
        return self._chain("collation", collation)

    def comment(self, comment: Any) -> Self:
        return self._chain("comment", comment)

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> dict[str, Any]:
        # Each batch after the first is fetched here: a server error or a lost
        # connection surfaces mid-iteration and must be translated too.
        try:
            doc = next(self._cursor)
        except StopIteration:
            raise
        except Exception as exc:  # whatever the driver raises may quote a value
            error = translate(exc, self._collection)
        else:
            return self._convert(doc)  # type: ignore[no-any-return]
        raise error

    def next(self) -> dict[str, Any]:
        return self.__next__()

    def to_list(self, length: int | None = None) -> list[dict[str, Any]]:
        """The remaining documents (at most ``length`` of them) as a list."""
        docs = call(self._collection, self._read, length)
        many = getattr(self._convert, "many", None)
        return many(docs) if many else [self._convert(doc) for doc in docs]

    def _read(self, length: int | None) -> list[Any]:
        """The driver's documents, unfiltered (the driver's errors reach the caller)."""
        cursor = self._cursor
        batch_read = getattr(cursor, "to_list", None)  # pymongo 4.9+: a batch at a time
        if batch_read is not None:
            return batch_read(length)  # type: ignore[no-any-return]
        if length is None:
            return list(cursor)
        docs: list[Any] = []
        for doc in cursor:
            docs.append(doc)
            if len(docs) >= length:
                break
        return docs

    def close(self) -> None:
        call(self._collection, self._cursor.close)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class ScopedCommandCursor(ScopedCursor):
    """The result of :meth:`ScopedCollection.aggregate`: iterate it or call ``to_list``."""

    __slots__ = ()

    def _chain(self, method: str, *args: Any, **kwargs: Any) -> Self:
        raise AttributeError(f"an aggregation cursor has no {method}(); add a pipeline stage")
