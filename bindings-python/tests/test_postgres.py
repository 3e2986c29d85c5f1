"""Issue 22 from Python: ``Book.open(url)`` reaches the PostgreSQL store with
the same ``Book``: records, search, history, the change log, sealed secrets
and read-only SQL, on the throwaway server ``scripts/postgres`` runs
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


def test_book_open_with_a_url_is_the_same_book_on_the_server(url: str) -> None:
    with poolbook.Book.open(url) as book:
        book.unlock(KEY)
        maria = customer_with_pool(book, "Zoë Ångström")
        assert book.customer(maria.id) == maria
        assert [hit.display_name for hit in book.search_customers("zoe", 5)] == ["Zoë Ångström"]
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
