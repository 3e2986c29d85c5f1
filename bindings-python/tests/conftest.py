"""Shared fixtures: a demo company book (built once) and fresh empty books."""

from __future__ import annotations

from typing import Iterator

import pytest

import poolbook


#: The key every test book is sealed with.
KEY = poolbook.static_key_provider(bytes(range(32)))


@pytest.fixture(scope="session")
def demo() -> "tuple[poolbook.Book, poolbook.DemoSummary]":
    """The demo company in memory, with its summary; tests must not write to it."""
    book = poolbook.Book.open_in_memory()
    book.unlock(KEY)
    summary = poolbook.populate_demo(book)
    return book, summary


@pytest.fixture()
def book() -> Iterator[poolbook.Book]:
    """A fresh, empty in-memory book."""
    with poolbook.Book.open_in_memory() as book:
        book.unlock(KEY)
        yield book


OFFICE = poolbook.Author.office("dana")


def address(line1: str = "12 Palm Way") -> poolbook.Address:
    """A valid US address."""
    return poolbook.Address(line1=line1, city="Tampa", region="FL", postal_code="33602", country="US")


def customer_with_pool(book: poolbook.Book, name: str = "Rivera Family") -> poolbook.Customer:
    """Creates a residential customer with one location, one pool, a contact and a gate code."""
    new = poolbook.NewCustomer(kind=poolbook.CustomerKind.RESIDENTIAL, display_name=name)
    location = poolbook.ServiceLocation(address=address())
    pool = poolbook.BodyOfWater(name="Pool", kind=poolbook.WaterKind.POOL, sanitizer=poolbook.Sanitizer.CHLORINE)
    location.bodies_of_water = [pool]
    location.access.gate_code = poolbook.Secret("4321#")
    new.locations = [location]
    phone = poolbook.Phone(number="(813) 555-0142", label="mobile", sms_capable=True)
    new.contacts = [poolbook.Contact(name="Ana Rivera", role=poolbook.ContactRole.OWNER, phones=[phone])]
    return book.create_customer(new, OFFICE)
