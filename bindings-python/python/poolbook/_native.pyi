"""Type stubs for ``poolbook._native``, the Rust extension (bindings-python/src/lib.rs).

Users call :mod:`poolbook`; this module is its transport: JSON in, JSON out.
"""

from typing import Any, final

__all__ = [
    "Book", "KeyProvider", "ArrowStream", "call_function", "new_id", "NativeError", "CORE_VERSION",
    "static_key_provider", "passphrase_key_provider",
]

CORE_VERSION: str
"""The version of the core library these bindings wrap."""

class NativeError(Exception):
    """A core error as ``(kind, message, field, problem)``; poolbook re-raises it as its own class."""

@final
class Book:
    """The native book: core's ``Book``, shared by Python threads."""

    @staticmethod
    def open(path: str) -> Book:
        """Opens (or creates) the book file at ``path``."""

    @staticmethod
    def open_read_only(path: str) -> Book:
        """Opens the book file at ``path`` for reading only."""

    @staticmethod
    def open_with(path: str, args: str) -> Book:
        """Opens the book file at ``path`` as the JSON array ``[options]`` says."""

    @staticmethod
    def memory() -> Book:
        """A new, empty book held in memory."""

    def call(self, op: str, args: str) -> str:
        """Runs the core operation ``op`` with a JSON array of arguments; returns JSON."""

    def unlock(self, provider: Any) -> None:
        """Unlocks the book's secrets with a native ``KeyProvider`` or an object with ``key_encryption_key``."""

    def rotate_key_encryption_key(self, provider: Any, args: str) -> None:
        """Rewraps the data key under the key ``provider`` gives (JSON ``[author]``)."""

    def rotate_data_key(self, provider: Any, args: str) -> None:
        """Reseals every secret under a new data key wrapped by ``provider``'s key (JSON ``[author]``)."""

    def sql(self, query: str, params: list[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Runs a read-only SQL query; returns its column names and its rows as tuples."""

    def timeline_columns(self, query: str) -> dict[str, list[Any]]:
        """The whole timeline a JSON ``[TimelineQuery]`` asks for, as a dict of column lists."""

    def to_arrow(self, table: str, customer_id: str | None = None) -> ArrowStream:
        """``table`` as an object implementing the Arrow PyCapsule stream interface."""

    def arrow_columns(self, table: str, customer_id: str | None = None) -> dict[str, list[Any]]:
        """``table`` as a dict of column lists (instants in microseconds, money as text)."""

    def write_parquet(self, table: str, path: str) -> int:
        """Writes ``table`` to a Parquet file (ZSTD); returns the rows written."""

@final
class ArrowStream:
    """One table of a book as a stream of Arrow record batches, read afresh on each use."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """The Arrow PyCapsule stream interface: an ``arrow_array_stream`` capsule."""

    @property
    def table(self) -> str:
        """The table's name."""

def call_function(op: str, args: str) -> str:
    """Runs the module-level core function ``op`` with a JSON array of arguments; returns JSON."""

def new_id() -> str:
    """A fresh UUIDv7 identifier (ADR 0001), for records built in Python."""

@final
class KeyProvider:
    """One of core's key providers (a static key, a passphrase)."""

def static_key_provider(key: bytes) -> KeyProvider:
    """A key provider that always gives ``key`` (32 bytes)."""

def passphrase_key_provider(passphrase: str, memory_kib: int | None = None, iterations: int | None = None) -> KeyProvider:
    """A key provider deriving the key from ``passphrase`` with Argon2id."""
