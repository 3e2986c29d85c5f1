"""Issue 15 from Python: read-only SQL through poolbook's own SQLite
(``Book.sql``), opening with options (a busy timeout, a check on open),
checked backups, and no write that raises after it committed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any, Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import poolbook
from conftest import KEY, OFFICE, address, customer_with_pool

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(600)
"""


def test_sql_reads_what_the_book_just_wrote_with_every_type(book: poolbook.Book) -> None:
    counts = []
    for n in range(4):
        customer_with_pool(book, f"Customer {n}")
        counts.append(book.sql("SELECT count(*) AS n FROM customers").rows[0][0])
    assert counts == [1, 2, 3, 4], "each write is seen at once (stdlib sqlite3 saw 1, 1, 1, 1)"
    result = book.sql("SELECT ?1 AS i, ?2 AS r, ?3 AS t, ?4 AS b, ?5 AS n, ?6 AS yes", [-7, 2.5, "Oak", b"\x00\xff", None, True])
    assert result.columns == ["i", "r", "t", "b", "n", "yes"]
    assert result.rows == [(-7, 2.5, "Oak", b"\x00\xff", None, 1)]
    names = book.sql("SELECT display_name FROM customers WHERE display_name LIKE ? ORDER BY seq", ["%2"])
    assert list(names) == [("Customer 2",)]
    assert names.to_dicts() == [{"display_name": "Customer 2"}]
    frame = book.sql("SELECT display_name, status FROM customers ORDER BY seq").to_pandas()
    assert list(frame.columns) == ["display_name", "status"]
    assert frame["display_name"].tolist() == [f"Customer {n}" for n in range(4)]


def test_sql_refuses_writes_and_secrets_naming_the_query(book: poolbook.Book) -> None:
    created = customer_with_pool(book)
    log = len(book.change_log(limit=1000))
    for query in (
        "DELETE FROM customers",
        "UPDATE customers SET display_name = 'x'",
        "ATTACH DATABASE ':memory:' AS other",
        "PRAGMA busy_timeout = 1",
        "SELECT gate_code FROM location_secrets",
        "SELECT 1; SELECT 2",
        "SELEC 1",
    ):
        with pytest.raises(poolbook.ValidationError) as caught:
            book.sql(query)
        assert caught.value.field == "query", query
        assert "4321#" not in str(caught.value)
    with pytest.raises(poolbook.ValidationError) as caught:
        book.sql("SELECT ?", [object()])
    assert caught.value.field == "params[0]"
    with pytest.raises(poolbook.ValidationError) as caught:
        book.sql("SELECT ?", [2**70])
    assert caught.value.field == "params[0]"
    assert len(book.change_log(limit=1000)) == log
    assert book.stop_card(created.locations[0].id).gate_code.is_sealed
    gate = book.reveal_secret(created.locations[0].id, "gate_code", OFFICE, "after the queries")
    assert gate is not None and gate.reveal() == "4321#"


def test_a_lock_held_by_another_process_is_a_busy_error_after_the_chosen_timeout(tmp_path) -> None:
    path = tmp_path / "book.sqlite"
    with poolbook.Book.open(path) as first:
        first.unlock(KEY)  # makes the book's key now, before the lock is held
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = dt.datetime.now()
        with poolbook.Book.open_with(path, poolbook.OpenOptions(busy_timeout_ms=300)) as book:
            assert (dt.datetime.now() - started).total_seconds() < 2, "opening waits for no writer"
            assert len(book.list_customers().customers) == 0, "reads go on"
            book.unlock(KEY)
            started = dt.datetime.now()
            with pytest.raises(poolbook.BusyError) as caught:
                customer_with_pool(book)
            assert (dt.datetime.now() - started).total_seconds() < 5
            assert isinstance(caught.value, poolbook.StorageError)
            assert str(caught.value).startswith("the book is busy: ")
            assert len(book.list_customers().customers) == 0
            holder.kill()
            holder.wait()
            customer_with_pool(book)
            assert len(book.list_customers().customers) == 1
    finally:
        holder.kill()
        holder.wait()
    with pytest.raises(poolbook.ValidationError) as refused:
        poolbook.Book.open_with(path, {"busy_timeout_ms": 10**7})
    assert refused.value.field == "options.busy_timeout_ms"


def test_a_damaged_index_is_caught_on_open_when_asked(tmp_path) -> None:
    path = tmp_path / "book.sqlite"
    with poolbook.Book.open(path) as book:
        book.create_customers([poolbook.NewCustomer(kind="residential", display_name=f"C {n}") for n in range(300)], OFFICE)
        query = "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name LIMIT 1"
        root = book.sql(query).rows[0][0]
    assert isinstance(root, int)
    data = bytearray(path.read_bytes())
    data[(root - 1) * 4096 : root * 4096] = b"\x5a" * 4096
    path.write_bytes(bytes(data))
    poolbook.Book.open_with(path, poolbook.OpenOptions(check_on_open=poolbook.OpenCheck.NEVER)).close()
    for check in (poolbook.OpenCheck.SMALL_FILES, poolbook.OpenCheck.ALWAYS):
        with pytest.raises(poolbook.CorruptError) as caught:
            poolbook.Book.open_with(path, poolbook.OpenOptions(check_on_open=check))
        assert "quick_check" in str(caught.value)
    assert path.read_bytes() == bytes(data)


def test_a_backup_is_a_checked_copy_that_restores_by_opening_it(tmp_path) -> None:
    with poolbook.Book.open(tmp_path / "book.sqlite") as book:
        book.unlock(KEY)
        maria = customer_with_pool(book, "Maria Lopez")
        customer_with_pool(book, "Ann Lee")
        report = book.backup_to(tmp_path / "backup.sqlite")
        assert isinstance(report, poolbook.BackupReport)
        assert (report.customers, report.entries, report.touchpoints) == (2, 0, 0)
        assert report.path == str(tmp_path / "backup.sqlite")
        assert report.bytes == (tmp_path / "backup.sqlite").stat().st_size
        assert b"4321#" not in (tmp_path / "backup.sqlite").read_bytes()
        (tmp_path / "taken.sqlite").write_bytes(b"someone's file")
        with pytest.raises(poolbook.ValidationError) as refused:
            book.backup_to(str(tmp_path / "taken.sqlite"))
        assert refused.value.field == "path" and "already exists" in str(refused.value)
        assert (tmp_path / "taken.sqlite").read_bytes() == b"someone's file"
    with poolbook.Book.open(tmp_path / "backup.sqlite") as restored:
        assert restored.customer(maria.id) == maria
        restored.unlock(KEY)
        code = restored.reveal_secret(maria.locations[0].id, poolbook.SecretField.GATE_CODE, OFFICE, "restore drill")
        assert code is not None and code.reveal() == "4321#"


# A binding never raises after a commit -------------------------------------
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
# The edges of the book's range (1900-2199) and of Python's (years 1 and 9999,
# where an offset puts the UTC instant outside what Python can hold).
edge_instants = st.one_of(
    st.datetimes(min_value=dt.datetime(1899, 12, 30), max_value=dt.datetime(1900, 1, 2), timezones=offsets),
    st.datetimes(min_value=dt.datetime(2199, 12, 30), max_value=dt.datetime(2200, 1, 2), timezones=offsets),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(1, 1, 2), timezones=offsets),
    st.datetimes(min_value=dt.datetime(9999, 12, 30), max_value=dt.datetime(9999, 12, 31, 23, 59), timezones=offsets),
)
edge_days = st.one_of(
    st.dates(min_value=dt.date(1899, 12, 25), max_value=dt.date(1900, 1, 5)),
    st.dates(min_value=dt.date(2199, 12, 25), max_value=dt.date(2200, 1, 5)),
    st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31)]),
)


def written_or_untouched(book: poolbook.Book, write: Callable[[], Any]) -> Any:
    """The write's result, or None if it raised, in which case the book must be as it was."""
    before = len(book.change_log(limit=10_000))
    try:
        return write()
    except poolbook.ValidationError:
        assert len(book.change_log(limit=10_000)) == before, "raised after committing"
        return None


def read_everything(book: poolbook.Book, customer: poolbook.Customer) -> None:
    """Every read that converts stored instants and days into Python values."""
    book.customer(customer.id)
    book.list_customers()
    book.timeline(customer_id=customer.id, limit=1000)
    list(book.iter_touchpoints(customer_id=customer.id))
    book.change_log(limit=10_000)
    poolbook.frames.timeline_rows(book, customer_id=customer.id)
    book.statement(customer.id, dt.date(1900, 1, 1), dt.date(2199, 12, 31))


# Event files carry instants as text, which can name what Python cannot hold.
edge_stamps = st.tuples(
    st.sampled_from(["0001-01-01T00:30:00", "1899-12-31T23:30:00", "1900-01-01T00:30:00", "2016-12-31T23:59:60", "2199-12-31T23:30:00", "9999-12-31T23:30:00"]),
    st.sampled_from(["Z", "+01:00", "-01:00", "+14:00", "-12:00"]),
).map("".join)


@given(at=edge_instants, day=edge_days, stamp=edge_stamps)
@example(at=dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))), day=dt.date(1, 1, 1), stamp="0001-01-01T00:30:00+01:00")
@example(at=dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1))), day=dt.date(9999, 12, 31), stamp="2016-12-31T23:59:60Z")
def test_a_write_that_returns_committed_and_one_that_raises_did_not(at: dt.datetime, day: dt.date, stamp: str) -> None:
    with poolbook.Book.open_in_memory() as book:
        book.unlock(KEY)
        customer = customer_with_pool(book)
        location = customer.locations[0]
        visit = poolbook.Visit(customer_id=customer.id, location_id=location.id, at=at, readings=poolbook.Readings(ph=7.4))
        written_or_untouched(book, lambda: book.record_visit(visit, OFFICE))
        touchpoint = poolbook.Touchpoint(customer_id=customer.id, at=at, channel="website", direction="inbound", actor="customer", action="page_viewed")
        written_or_untouched(book, lambda: book.record_touchpoints([touchpoint], OFFICE))
        payment = poolbook.Payment(customer_id=customer.id, received_on=day, amount="10.00", method="card")
        written_or_untouched(book, lambda: book.record_payment(payment, OFFICE))
        new = poolbook.NewCustomer(kind="residential", display_name="Plan Edge")
        planned = poolbook.ServiceLocation(address=address())
        planned.service_plan = poolbook.ServicePlan(frequency="weekly", starts_on=day)
        new.locations = [planned]
        written_or_untouched(book, lambda: book.create_customer(new, OFFICE))
        line = '{"type":"track","event":"page_viewed","userId":"%s","messageId":"m-1","timestamp":"%s"}' % (customer.id, stamp)
        mapping = poolbook.defaults(poolbook.EventMapping)
        written_or_untouched(book, lambda: book.import_segment_events(line, mapping, OFFICE))
        read_everything(book, customer)
        for other in book.list_customers().customers:
            read_everything(book, other)
