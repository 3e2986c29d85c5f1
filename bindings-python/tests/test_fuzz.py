"""Fuzzing the binding's entry points (issue 15) with hypothesis: for any
input, a call returns or raises a poolbook error (never PanicException or a
bare TypeError from the native side), a refused call leaves the book
unchanged, and what is accepted reads back through the binding's
conversions. ``HYPOTHESIS_PROFILE=long`` runs 2,000 examples each."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import poolbook
from conftest import KEY, OFFICE

settings.register_profile("quick", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

texts = st.one_of(st.just(""), st.text(max_size=40), st.text(min_size=150, max_size=400), st.sampled_from(["  ", "\0", "4417#", "O'Brien"]))
anything = st.one_of(texts, st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(), st.lists(st.integers(), max_size=3))


def state(book: poolbook.Book) -> "tuple[int, int]":
    return len(book.change_log(limit=10_000)), len(book.list_customers().customers)


def accepted_or_refused(book: poolbook.Book, call: Callable[[], Any]) -> Any:
    before = state(book)
    try:
        return call()
    except poolbook.PoolbookError:
        assert state(book) == before, "a refused call changed the book"
        return None


@given(name=texts, phone=texts, email=texts, line1=texts, city=texts, region=texts, country=texts, gate=anything, tag=anything)
def test_any_customer_dict_is_stored_as_returned_or_refused(name, phone, email, line1, city, region, country, gate, tag) -> None:
    with poolbook.Book.open_in_memory() as book:
        book.unlock(KEY)
        new = {
            "kind": "residential",
            "display_name": name,
            "tags": [tag],
            "contacts": [{"name": "Owner", "role": "owner", "phones": [{"number": phone, "sms_capable": True}], "emails": [email]}],
            "locations": [
                {
                    "address": {"line1": line1, "city": city, "region": region, "postal_code": "85018", "country": country},
                    "access": {"gate_code": gate},
                }
            ],
        }
        created = accepted_or_refused(book, lambda: book.create_customer(new, OFFICE))
        if created is not None:
            assert book.customer(created.id) == created
            assert "4417#" not in repr(created)
            poolbook.frames.timeline_rows(book, customer_id=created.id)


@given(query=texts, limit=st.integers(min_value=-5, max_value=400), cursor=texts)
def test_any_search_and_cursor_answer_or_are_refused(query, limit, cursor) -> None:
    with poolbook.Book.open_in_memory() as book:
        try:
            hits = book.search_customers(query, limit)
            assert len(hits) <= max(limit, 0)
        except poolbook.ValidationError:
            pass
        try:
            book.timeline(cursor=cursor, limit=10)
        except poolbook.ValidationError:
            pass


@given(ph=st.floats(allow_nan=True, allow_infinity=True), amount=st.decimals(allow_nan=True, allow_infinity=True), year=st.integers(min_value=1, max_value=9999))
def test_any_reading_and_amount_are_stored_or_refused(ph, amount, year) -> None:
    with poolbook.Book.open_in_memory() as book:
        book.unlock(KEY)
        customer = book.create_customer(
            poolbook.NewCustomer(
                kind="residential",
                display_name="Ana Rivera",
                locations=[poolbook.ServiceLocation(address=poolbook.Address(line1="1 Palm Way", city="Tampa", region="FL", postal_code="33602", country="US"))],
            ),
            OFFICE,
        )
        at = dt.datetime(year, 5, 1, 9, tzinfo=dt.timezone.utc)
        visit = poolbook.Visit(customer_id=customer.id, location_id=customer.locations[0].id, at=at, readings=poolbook.Readings(ph=ph))
        stored = accepted_or_refused(book, lambda: book.record_visit(visit, OFFICE))
        if stored is not None:
            assert book.entry(stored.id).entry == stored
        payment = poolbook.Payment(customer_id=customer.id, received_on=at.date(), amount=amount, method="card")
        accepted_or_refused(book, lambda: book.record_payment(payment, OFFICE))
        assert isinstance(book.balance(customer.id), Decimal)
        book.aging(customer.id, dt.date(2026, 1, 1))
