"""Issue 22 from Python: ``Book.open(url)`` reaches the PostgreSQL store with
the same ``Book``: records, search, history, the change log, sealed secrets,
read-only SQL, and duplicates with a merge undone (issue 19), on the throwaway server ``scripts/postgres`` runs
(``POOLBOOK_PG_URL``; scripts/check-python starts one if none is running).
Each test gets a database of its own, made and dropped with ``psql``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import uuid
from decimal import Decimal
from typing import Iterator

import pytest

import poolbook
from conftest import KEY, OFFICE, customer_with_pool
from test_quality import person, strangers


def _psql(url: str, statement: str) -> None:
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", statement], check=True)


def _database_url(server: str, name: str) -> str:
    base, _, query = server.partition("?")
    head, _, _ = base.rpartition("/")
    return f"{head}/{name}" + (f"?{query}" if query else "")


@pytest.fixture()
def url() -> Iterator[str]:
    """The URL of a fresh database on the test server, dropped afterwards."""
    server = os.environ.get("POOLBOOK_PG_URL")
    assert server, "POOLBOOK_PG_URL is not set: run scripts/check-python, which starts a server"
    name = f"poolbook_py_{uuid.uuid4().hex}"
    _psql(server, f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield _database_url(server, name)
    finally:
        _psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")



def test_book_open_over_tls_checks_the_certificate_as_sslmode_asks(url: str) -> None:
    tls_server = os.environ.get("POOLBOOK_PG_TLS_URL")
    assert tls_server, "POOLBOOK_PG_TLS_URL is not set: scripts/postgres start sets it"
    tls_url = _database_url(tls_server, url.partition("?")[0].rpartition("/")[2])
    with poolbook.Book.open(tls_url) as book:
        book.unlock(KEY)
        maria = customer_with_pool(book, "Zoë Ångström")
    with poolbook.Book.open(url) as book:
        assert book.customer(maria.id).display_name == "Zoë Ångström", "the same database over the socket"
    untrusted = tls_url.partition("&sslrootcert=")[0]
    with pytest.raises(poolbook.StorageError, match="UnknownIssuer"):
        poolbook.Book.open(untrusted)
    with pytest.raises(poolbook.ValidationError) as refused:
        poolbook.Book.open(untrusted.replace("verify-full", "verify-everything"))
    assert refused.value.field == "url"

def test_book_open_with_a_url_is_the_same_book_on_the_server(url: str) -> None:
    with poolbook.Book.open(url) as book:
        book.unlock(KEY)
        maria = customer_with_pool(book, "Zoë Ångström")
        assert book.customer(maria.id) == maria
        assert [hit.display_name for hit in book.search_customers("zoe", 5)] == ["Zoë Ångström"]
        assert [hit.display_name for hit in book.search_customers("angstorm", 5)] == ["Zoë Ångström"]
        invoice = poolbook.Invoice(
            customer_id=maria.id,
            number="1001",
            issued_on=dt.date(2026, 3, 1),
            due_on=dt.date(2026, 3, 16),
            lines=[poolbook.InvoiceLine(description="March", quantity=Decimal("4"), unit_price=Decimal("31.25"))],
        )
        book.add_invoice(invoice, OFFICE)
        assert book.balance(maria.id) == Decimal("125.00")
        changes = book.change_log(customer_id=maria.id)
        assert len(changes) >= 2 and changes[0].seq < changes[-1].seq
        count = book.sql("SELECT count(*) AS n, min(display_name) AS name FROM customers")
        assert count.columns == ["n", "name"]
        assert count.rows == [(1, "Zoë Ångström")]
        with pytest.raises(poolbook.ValidationError) as refused:
            book.sql("SELECT * FROM location_secrets")
        assert refused.value.field == "query"
    # Reopened from another handle: the gate code is still sealed and opens with the key.
    with poolbook.Book.open(url) as again:
        again.unlock(KEY)
        location = again.customer(maria.id).locations[0]
        code = again.reveal_secret(location.id, poolbook.SecretField.GATE_CODE, OFFICE, "pytest")
        assert code is not None and code.reveal() == "4321#"


def test_a_stale_write_on_the_server_is_a_conflict(url: str) -> None:
    with poolbook.Book.open(url) as book:
        book.unlock(KEY)
        maria = customer_with_pool(book, "Maria Lopez")
        book.update_customer(maria.id, maria.version, {"display_name": "Maria L."}, OFFICE)
        with pytest.raises(poolbook.ConflictError):
            book.update_customer(maria.id, maria.version, {"display_name": "Maria X."}, OFFICE)
        assert book.customer(maria.id).display_name == "Maria L."


def test_duplicates_merge_and_unmerge_on_the_server(url: str) -> None:
    with poolbook.Book.open(url) as book:
        book.unlock(KEY)
        strangers(book, 20)
        survivor = person(book, "Maria Lopez", "+1 (555) 010-2233", "1420 Oak Street", "maria.lopez@gmail.com")
        absorbed = person(book, "Lopez, Maria", "555.010.2233", "1420 Oak St", "marialopez@gmail.com")
        [pair] = book.duplicate_candidates()
        assert {pair.a, pair.b} == {survivor.id, absorbed.id}
        assert pair.prior + sum(line.weight for line in pair.comparisons) == pytest.approx(pair.weight, abs=1e-9)
        note = book.add_note(poolbook.Note(customer_id=absorbed.id, text="Spa cover torn"), OFFICE)

        outcome = book.merge_customers(survivor.id, absorbed.id, poolbook.MergePicks(), OFFICE)
        assert outcome.moved_entries == 1 and len(outcome.survivor.contacts) == 2
        assert book.resolve_customer(absorbed.id).id == survivor.id
        assert book.entry(note.id).entry.customer_id == survivor.id

        undone = book.unmerge_customer(absorbed.id, OFFICE)
        assert undone.kept_edits == []
        back = book.customer(absorbed.id)
        assert back.archived_at is None
        assert back.contacts == absorbed.contacts and back.locations == absorbed.locations
        assert book.customer(survivor.id).contacts == survivor.contacts
        assert book.entry(note.id).entry.customer_id == absorbed.id
        assert book.resolve_customer(absorbed.id).id == absorbed.id
        report = book.quality_report(dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc))
        assert report.counts
