"""Read-only SQL through poolbook's own SQLite (:meth:`poolbook.Book.sql`).

Never open a book file with the standard library's ``sqlite3`` while poolbook has it
open in the same process: two SQLite libraries in one process do not see each other's
locks (a documented way to corrupt a database) and ``sqlite3`` reads stale data.
``Book.sql`` runs the query on poolbook's connection instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Tuple, Union

if TYPE_CHECKING:
    import pandas

#: A SQL value: a query parameter or a cell of its result.
SqlValue = Union[None, int, float, str, bytes]


class SqlRows:
    """What a query returned: ``columns`` (names, in order) and ``rows`` (tuples, one value per column)."""

    __slots__ = ("columns", "rows")

    def __init__(self, columns: List[str], rows: List[Tuple[SqlValue, ...]]) -> None:
        self.columns = columns
        self.rows = rows

    def __iter__(self) -> Iterator[Tuple[SqlValue, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, SqlRows) and (self.columns, self.rows) == (other.columns, other.rows)

    def __repr__(self) -> str:
        return f"SqlRows(columns={self.columns!r}, rows=<{len(self.rows)} rows>)"

    def to_dicts(self) -> List[Dict[str, SqlValue]]:
        """Each row as a dict from column name to value."""
        return [dict(zip(self.columns, row)) for row in self.rows]

    def to_pandas(self) -> "pandas.DataFrame":
        """The rows as a pandas DataFrame with the query's columns."""
        import pandas

        return pandas.DataFrame.from_records(self.rows, columns=self.columns)
