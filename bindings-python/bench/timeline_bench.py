"""Benchmark: reading 100,000+ timeline items into Python, poolbook vs stdlib sqlite3.

Usage: python bindings-python/bench/timeline_bench.py [BOOK_FILE]

Builds (once; reused when BOOK_FILE already holds it) a book whose one
customer has 100,000 touchpoints, then times reading that customer's whole
timeline into Python:

* poolbook ``frames.timeline_columns`` (columns built in Rust, ``at`` as
  tz-aware datetimes) and ``frames.timeline_frame`` (a pandas DataFrame);
* the same rows from the same file with ``sqlite3`` (``fetchall`` of the
  raw text columns; and again with ``at`` parsed to datetimes).

Prints each time (best of 3) and the ratio poolbook / sqlite3; the target is
at most 2x.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import poolbook
from poolbook import frames

ITEMS = 100_000
CHANNELS = ["website", "email", "phone", "sms", "portal"]
ACTIONS = ["page_viewed", "email_opened", "call", "message", "portal_login"]


def build(path: Path) -> str:
    """Fills ``path`` with one customer and ITEMS touchpoints; returns the customer id."""
    office = poolbook.Author.office("bench")
    with poolbook.Book.open(path) as book:
        existing = book.list_customers(limit=1).customers
        if existing:
            return str(existing[0].id)
        customer = book.create_customer(poolbook.NewCustomer(kind="residential", display_name="Bench Customer"), office)
        start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
        batch = []
        for i in range(ITEMS):
            batch.append(
                {
                    "id": str(uuid.UUID(int=i + 1, version=4)), "customer_id": customer.id, "visitor_id": None,
                    "at": start + dt.timedelta(minutes=17 * i), "channel": CHANNELS[i % 5],
                    "direction": "inbound", "actor": "customer", "action": ACTIONS[i % 5], "stage": None,
                    "source": None, "campaign": None, "value": None, "properties": {},
                    "source_system": None, "source_event_id": None,
                }
            )
            if len(batch) == 10_000:
                book.record_touchpoints(batch, office)
                batch = []
        return str(customer.id)


def best_of(runs: int, fn: Callable[[], Any]) -> "tuple[float, Any]":
    """The fastest of ``runs`` timings of ``fn`` and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv: "list[str]") -> int:
    path = Path(argv[1]) if len(argv) > 1 else Path(tempfile.gettempdir()) / "poolbook-timeline-bench.sqlite"
    started = time.perf_counter()
    customer = build(path)
    print(f"book: {path} (ready in {time.perf_counter() - started:.1f}s)")

    with poolbook.Book.open(path) as book:
        t_columns, columns = best_of(3, lambda: frames.timeline_columns(book, customer_id=customer))
        try:
            t_frame, frame = best_of(3, lambda: frames.timeline_frame(book, customer_id=customer))
        except poolbook.PoolbookError:
            t_frame, frame = float("nan"), None
    count = len(columns["id"])
    assert count >= ITEMS, count

    connection = sqlite3.connect(path)
    sql = (
        "SELECT id, at, channel, action, customer_id FROM touchpoints "
        "WHERE customer_id = ? ORDER BY at DESC, id DESC"
    )
    t_sqlite, rows = best_of(3, lambda: connection.execute(sql, (customer,)).fetchall())
    parse = dt.datetime.fromisoformat
    t_sqlite_dt, _ = best_of(
        3,
        lambda: [(r[0], parse(r[1].replace("Z", "+00:00")), r[2], r[3], r[4]) for r in connection.execute(sql, (customer,))],
    )
    connection.close()
    assert len(rows) == count, (len(rows), count)
    assert [r[0] for r in rows[:100]] == columns["id"][:100]

    print(f"timeline items read: {count}")
    print(f"poolbook timeline_columns : {t_columns:.3f}s")
    if frame is not None:
        print(f"poolbook timeline_frame   : {t_frame:.3f}s (pandas DataFrame)")
    print(f"sqlite3 fetchall (text)   : {t_sqlite:.3f}s")
    print(f"sqlite3 + datetime parse  : {t_sqlite_dt:.3f}s")
    print(f"ratio columns / sqlite3 fetchall: {t_columns / t_sqlite:.2f}x (target <= 2x)")
    print(f"ratio columns / sqlite3 + parse : {t_columns / t_sqlite_dt:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
