"""poolbook's exception classes: one per kind of core error, message intact."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from . import _native


class PoolbookError(Exception):
    """Base class of every error poolbook raises."""


class NotFoundError(PoolbookError):
    """The record asked for does not exist."""


class ValidationError(PoolbookError):
    """An input failed validation; the book is unchanged.

    ``field`` is the path of the offending field (e.g.
    ``contacts[0].phones[1].number``), ``problem`` what is wrong with it;
    ``problems`` lists every ``(field, problem)`` found in the input, the
    first one included, so a form can mark all of them at once.
    """

    def __init__(
        self,
        message: str,
        field: Optional[str] = None,
        problem: Optional[str] = None,
        problems: "Optional[list[tuple[str, str]]]" = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.problem = problem
        self.problems = problems if problems is not None else ([(field, problem)] if field and problem else [])


class ConflictError(PoolbookError):
    """The write was based on an older version of the record than the stored one."""


class UnsupportedSchemaError(PoolbookError):
    """The book file was written by a newer poolbook than this one."""


class ClosedError(PoolbookError):
    """The book was closed; no further calls are possible on it."""


class StorageError(PoolbookError):
    """The storage layer failed (I/O, a full disk, ...); the message has the cause."""


class BusyError(StorageError):
    """Another connection held the book's write lock longer than a call waits; retry."""


class ReadOnlyError(StorageError):
    """The book cannot be written (a read-only file or disk, or :meth:`Book.open_read_only`)."""


class NotABookError(StorageError):
    """The file is not a poolbook book (not SQLite, or someone else's database)."""


class CorruptError(StorageError):
    """The book file is damaged; restore it from a backup."""


class LockedError(PoolbookError):
    """The book is locked: no key was given (:meth:`Book.unlock`), so secrets can be neither
    sealed nor revealed; everything else works."""


class WrongKeyError(PoolbookError):
    """The key given does not open this book's secrets; the book stays locked."""


class TamperedSecretError(PoolbookError):
    """A sealed secret failed to open: it was altered or moved in the file. Others still open."""


class CannotComputeError(PoolbookError):
    """The saturation index cannot be computed from the readings given.

    ``needs`` lists the missing inputs, ``reasons`` the other problems.
    """

    def __init__(self, message: str, needs: "list[str]", reasons: "list[str]") -> None:
        super().__init__(message)
        self.needs = needs
        self.reasons = reasons


_BY_KIND = {
    "not_found": NotFoundError,
    "conflict": ConflictError,
    "unsupported_schema": UnsupportedSchemaError,
    "closed": ClosedError,
    "storage": StorageError,
    "busy": BusyError,
    "read_only": ReadOnlyError,
    "not_a_book": NotABookError,
    "corrupt": CorruptError,
    "locked": LockedError,
    "wrong_key": WrongKeyError,
    "tampered_secret": TamperedSecretError,
}


def from_native(
    args: "tuple[str, str, Optional[str], Optional[str], list[tuple[str, str]]]",
) -> PoolbookError:
    """The poolbook exception for a native error's ``(kind, message, field, problem, problems)``."""
    kind, message, field, problem, problems = args
    if kind == "invalid":
        return ValidationError(message, field, problem, problems)
    return _BY_KIND.get(kind, PoolbookError)(message)


@contextmanager
def core_errors() -> Iterator[None]:
    """Re-raises a native error as its poolbook exception class, message intact."""
    try:
        yield
    except _native.NativeError as error:
        raise from_native(error.args) from None
