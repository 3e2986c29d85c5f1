"""Shared fixtures: a demo company book (built once) and fresh empty books."""

from __future__ import annotations

from typing import Iterator

import pytest

import poolbook


@pytest.fixture(scope="session")
def demo() -> "tuple[poolbook.Book, poolbook.Record]":
    """The demo company in memory, with its summary; tests must not write to it."""
    book = poolbook.Book.memory()
    summary = poolbook.populate_demo(book)
    return book, summary


@pytest.fixture()
def book() -> Iterator[poolbook.Book]:
    """A fresh, empty in-memory book."""
    with poolbook.Book.memory() as book:
        yield book


OFFICE = poolbook.Author.office("dana")


def address(line1: str = "12 Palm Way") -> "dict[str, object]":
    """A valid US address."""
    return {"line1": line1, "line2": None, "city": "Tampa", "region": "FL", "postal_code": "33602", "country": "US"}


def customer_with_pool(book: poolbook.Book, name: str = "Rivera Family") -> poolbook.Record:
    """Creates a residential customer with one location, one pool, a contact and a gate code."""
    new = poolbook.new_customer("residential", name)
    location = poolbook.service_location(address())
    location.bodies_of_water = [poolbook.body_of_water("Pool", "pool", "chlorine")]
    location.access.gate_code = poolbook.Secret("4321#")
    new.locations = [location]
    person = poolbook.contact("Ana Rivera", "owner")
    person.phones = [{"number": "(813) 555-0142", "label": "mobile", "sms_capable": True}]
    new.contacts = [person]
    return book.create_customer(new, OFFICE)
