"""Benchmark: the Python bindings against the standard library's sqlite3.

Usage: python bindings-python/bench/records_bench.py [--quick] [--only NAME]

Builds the demo company in a fresh book file, then times, alternating call by
call, each read through poolbook and through ``sqlite3`` reading the same rows
of the same file (with ``json.loads`` where the column is JSON, as a script
reading the file itself would have to):

* per-record reads: one customer, one timeline page of 50;
* bulk reads: the visits, ledger, timeline and touchpoints of the busiest
  customer as rows or columns (``poolbook.frames``);
* every visit of the book as Arrow (``Book.to_arrow("visits")`` into
  pyarrow, when it is installed) against the same columns read into lists.

Prints a Markdown table of medians, 99th percentiles and ratios. Asserts
that both sides read the same number of rows, never a time. ``--quick`` (run
by ``scripts/check`` through ``scripts/bench --quick``) only proves it works.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence

import poolbook
from poolbook import frames
from poolbook.frames import READING_FIELDS as READINGS


class Row:
    """One benchmark: timings of both sides and the target ratio."""

    def __init__(self, name: str, baseline: str, target: float) -> None:
        self.name, self.baseline, self.target = name, baseline, target
        self.poolbook: List[float] = []
        self.raw: List[float] = []

    def measure(self, calls: int, ours: Callable[[int], Any], theirs: Callable[[int], Any]) -> None:
        """Times ``calls`` calls of each side, alternating which goes first."""
        for call in range(calls):
            sides = [(self.poolbook, ours), (self.raw, theirs)]
            for timings, work in sides if call % 2 == 0 else reversed(sides):
                started = time.perf_counter()
                work(call)
                timings.append(time.perf_counter() - started)

    def line(self) -> str:
        ours, theirs = statistics.median(self.poolbook), statistics.median(self.raw)
        ratio = ours / theirs
        met = "yes" if ratio <= self.target else "**no**"
        return (
            f"| {self.name} | {_duration(ours)} | {_duration(theirs)} ({self.baseline}) | {ratio:.2f}x "
            f"| <= {self.target:.2f}x | {met} | {_duration(_p99(self.poolbook))} | {_duration(_p99(self.raw))} |"
        )


def _p99(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _duration(seconds: float) -> str:
    if seconds >= 1.0:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def _rows(connection: sqlite3.Connection, sql: str, args: Sequence[Any] = (), json_columns: Sequence[str] = ()) -> List[Any]:
    """Every row of ``sql``, with the JSON columns (by name) decoded."""
    cursor = connection.execute(sql, args)
    rows = cursor.fetchall()
    if not json_columns:
        return rows
    names = [column[0] for column in cursor.description]
    json_columns = [names.index(name) for name in json_columns]
    decoded = []
    for row in rows:
        values = list(row)
        for index in json_columns:
            if values[index] is not None:
                values[index] = json.loads(values[index])
        decoded.append(values)
    return decoded


def raw_customer(connection: sqlite3.Connection, id: str) -> int:
    """The rows of a customer record: the customer and its live parts."""
    c = (id,)
    found = _rows(connection, "SELECT * FROM customers WHERE id = ?", c, ("billing_address", "custom_fields", "preferences"))
    found += _rows(connection, "SELECT * FROM contacts WHERE customer_id = ? AND archived_at IS NULL ORDER BY position", c, ("phones", "emails", "consents"))
    found += _rows(connection, "SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY position", c)
    found += _rows(
        connection,
        "SELECT l.*, s.gate_code, s.lock_combination, s.alarm_code FROM locations l "
        "LEFT JOIN location_secrets s ON s.location_id = l.id "
        "WHERE l.customer_id = ? AND l.archived_at IS NULL ORDER BY l.position",
        c,
        ("pets", "hazards", "access_hours"),
    )
    found += _rows(
        connection,
        "SELECT b.* FROM bodies_of_water b JOIN locations l ON l.id = b.location_id "
        "WHERE l.customer_id = ? AND b.archived_at IS NULL ORDER BY b.position",
        c,
        ("equipment",),
    )
    return len(found)


def raw_timeline(connection: sqlite3.Connection, id: str, limit: int) -> int:
    """One timeline page: the newest history rows and touchpoints of a customer."""
    history = _rows(
        connection,
        "SELECT * FROM history WHERE customer_id = ? AND archived_at IS NULL ORDER BY at DESC, id DESC LIMIT ?",
        (id, limit + 1),
        ("data",),
    )
    touchpoints = _rows(
        connection,
        "SELECT * FROM touchpoints WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT ?",
        (id, limit + 1),
        ("properties",),
    )
    return min(limit, len(history) + len(touchpoints))


def raw_visit_columns(connection: sqlite3.Connection) -> int:
    """The columns of ``Book.to_arrow("visits")`` as Python lists, from every
    visit's row (its JSON decoded, one list per reading); returns the rows."""
    ids = ("id", "customer_id", "location_id", "body_of_water_id", "technician_id", "at", "outcome", "skip_reason")
    columns: dict = {name: [] for name in (*ids, *READINGS, "duration_minutes", "chemicals", "notes", "archived")}
    for data, archived_at in connection.execute("SELECT data, archived_at FROM history WHERE kind = 'visit' ORDER BY at, id"):
        visit = json.loads(data)
        readings = visit.get("readings") or {}
        for name in ids:
            columns[name].append(visit.get(name))
        for name in READINGS:
            columns[name].append(readings.get(name))
        columns["duration_minutes"].append(visit.get("duration_minutes"))
        columns["chemicals"].append(len(visit.get("chemicals") or []))
        columns["notes"].append(visit.get("notes"))
        columns["archived"].append(archived_at is not None)
    return len(columns["id"])


def main(argv: Sequence[str]) -> int:
    quick = "--quick" in argv
    only: Optional[str] = argv[argv.index("--only") + 1] if "--only" in argv[:-1] else None
    customers, calls, rounds = (20, 20, 1) if quick else (400, 300, 3)
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name) / "bench.sqlite"
    started = time.perf_counter()
    with poolbook.Book.open(path) as book:
        book.unlock(poolbook.static_key_provider(bytes(32)))
        poolbook.populate_demo(book, customers=customers)
    built = time.perf_counter() - started

    book = poolbook.Book.open(path)
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    ids = [customer.id for customer in book.iter_customers()]
    busiest = max(ids, key=lambda id: len(frames.timeline_rows(book, customer_id=id)))
    pick = lambda call: ids[(call * 7919) % len(ids)]  # noqa: E731

    rows: List[Row] = []

    def bench(row: Row, calls: int, ours: Callable[[int], Any], theirs: Callable[[int], Any]) -> None:
        if only is None or only in row.name:
            for _ in range(rounds):
                row.measure(calls, ours, theirs)
            rows.append(row)

    stdlib = "sqlite3, the same rows"
    with_json = "sqlite3 + json.loads, the same rows"
    bench(
        Row("book.customer(id)", with_json, 1.5),
        calls,
        lambda call: book.customer(pick(call)),
        lambda call: raw_customer(connection, pick(call)),
    )
    bench(
        Row("book.timeline(customer_id, limit=50)", with_json, 1.5),
        calls,
        lambda call: book.timeline(customer_id=pick(call), limit=50),
        lambda call: raw_timeline(connection, pick(call), 50),
    )
    bulk = max(2, calls // 30)
    ours_count = len(frames.visit_rows(book, busiest))
    theirs_count = len(_rows(connection, "SELECT data FROM history WHERE customer_id = ? AND kind = 'visit' AND archived_at IS NULL", (busiest,), ("data",)))
    assert ours_count == theirs_count, (ours_count, theirs_count)
    bench(
        Row(f"frames.visit_rows, {ours_count} visits of one customer", with_json, 1.3),
        bulk,
        lambda _: frames.visit_rows(book, busiest),
        lambda _: _rows(
            connection,
            "SELECT data FROM history WHERE customer_id = ? AND kind = 'visit' AND archived_at IS NULL ORDER BY at",
            (busiest,),
            ("data",),
        ),
    )
    ledger_count = len(frames.ledger_rows(book, busiest))
    bench(
        Row(f"frames.ledger_rows, {ledger_count} entries of one customer", with_json, 1.3),
        bulk,
        lambda _: frames.ledger_rows(book, busiest),
        lambda _: _rows(
            connection,
            "SELECT data FROM history WHERE customer_id = ? AND kind IN ('invoice', 'payment', 'credit') "
            "AND archived_at IS NULL ORDER BY at, id",
            (busiest,),
            ("data",),
        ),
    )
    timeline_count = len(book._timeline_columns(customer_id=busiest)["id"])
    bench(
        Row(f"frames.timeline_columns, {timeline_count} items of one customer", stdlib, 1.3),
        bulk,
        lambda _: frames.timeline_columns(book, customer_id=busiest),
        lambda _: connection.execute(
            "SELECT id, at, kind, customer_id FROM history WHERE customer_id = ?1 AND archived_at IS NULL "
            "UNION ALL SELECT id, at, channel, customer_id FROM touchpoints WHERE customer_id = ?1 "
            "ORDER BY at DESC, id DESC",
            (busiest,),
        ).fetchall(),
    )
    touchpoint_count = len(frames.touchpoint_rows(book, customer_id=busiest))
    bench(
        Row(f"frames.touchpoint_rows, {touchpoint_count} touchpoints of one customer", with_json, 1.3),
        bulk,
        lambda _: frames.touchpoint_rows(book, customer_id=busiest),
        lambda _: _rows(connection, "SELECT * FROM touchpoints WHERE customer_id = ? ORDER BY at, id", (busiest,), ("properties",)),
    )
    try:
        import pyarrow
    except ImportError:
        print("(pyarrow is not installed: the to_arrow row is skipped)", file=sys.stderr)
    else:
        visit_count = pyarrow.table(book.to_arrow("visits")).num_rows
        assert visit_count == raw_visit_columns(connection), visit_count
        bench(
            Row(f"pyarrow.table(book.to_arrow('visits')), {visit_count} visits", "sqlite3 + json.loads into lists, the same columns", 1.5),
            max(2, calls // 60),
            lambda _: pyarrow.table(book.to_arrow("visits")),
            lambda _: raw_visit_columns(connection),
        )
    book.close()
    connection.close()

    print(f"records_bench{' --quick' if quick else ''}: {customers}-customer demo company built in {built:.1f} s, {rounds} rounds\n")
    print("| operation | poolbook | baseline | poolbook / baseline | target | met | poolbook p99 | baseline p99 |")
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row.line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
