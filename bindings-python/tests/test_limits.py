"""Issue 15's findings through the binding: values outside the documented
ranges are refused naming the field (no PanicException, nothing committed),
and a secret never shows in an error, a pickle or a hash."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from decimal import Decimal

import pytest

import poolbook
from conftest import KEY, OFFICE, customer_with_pool


def test_a_secret_of_the_wrong_type_is_refused_without_its_value(book: poolbook.Book) -> None:
    new = {
        "kind": "residential",
        "display_name": "Ann Rivera",
        "locations": [
            {
                "address": {"line1": "12 Palm Way", "city": "Tampa", "region": "FL", "postal_code": "33602", "country": "US"},
                "access": {"gate_code": 4417},
            }
        ],
    }
    with pytest.raises(poolbook.ValidationError) as caught:
        book.create_customer(new, OFFICE)
    assert "4417" not in str(caught.value)
    assert "gate_code" in caught.value.field
    assert "must be text" in str(caught.value)
    assert book.list_customers().customers == []


def test_a_secret_is_not_pickled_and_hashes_unlike_its_value(book: poolbook.Book) -> None:
    customer = customer_with_pool(book)
    code = customer.locations[0].access.gate_code
    assert code is not None and code.is_sealed
    plain = poolbook.Secret("4321#")
    assert hash(plain) != hash(plain.reveal())
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(code)
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(customer)
    copied = copy.deepcopy(customer)
    assert copied == customer and copied.locations[0].access.gate_code == code


def test_money_beyond_the_range_is_a_validation_error_not_a_panic(book: poolbook.Book) -> None:
    customer = customer_with_pool(book)
    day = dt.date(2026, 3, 1)
    invoice = poolbook.Invoice(
        customer_id=customer.id,
        number="2026-0001",
        issued_on=day,
        due_on=day + dt.timedelta(days=14),
        lines=[poolbook.InvoiceLine(description="Service", quantity=Decimal(1), unit_price=Decimal("79228162514264337593543950335"))],
    )
    with pytest.raises(poolbook.ValidationError) as caught:
        book.add_invoice(invoice, OFFICE)
    assert caught.value.field == "lines[0].unit_price"
    assert book.balance(customer.id) == Decimal(0)
    assert book.aging(customer.id, day).total_due == Decimal(0)


def test_a_segment_day_count_beyond_a_century_is_refused(book: poolbook.Book) -> None:
    segment = poolbook.Segment(name="quiet", rules=[poolbook.SegmentRuleNoTouchpointFor(days=4294967295)])
    with pytest.raises(poolbook.ValidationError) as caught:
        book.save_segment(segment, OFFICE)
    assert caught.value.field == "rules[0].days"
    assert book.segments() == []


def test_an_instant_python_cannot_hold_is_refused_before_it_is_stored(book: poolbook.Book) -> None:
    customer = customer_with_pool(book)
    line = '{"type":"track","event":"page_viewed","anonymousId":"v-2","messageId":"m-1","timestamp":"0001-01-01T00:30:00+01:00"}'
    report = book.import_segment_events(line, author=OFFICE)
    assert report.added == 0 and len(report.rejected) == 1
    plan = poolbook.ServicePlan(frequency="weekly", starts_on=dt.date(9999, 1, 1))
    location = customer.locations[0]
    location.service_plan = plan
    with pytest.raises(poolbook.ValidationError) as caught:
        book.update_customer(customer.id, customer.version, {"locations": [location]}, OFFICE)
    assert caught.value.field == "locations[0].service_plan.starts_on"
    assert book.customer(customer.id).version == customer.version
    # What is stored reads back through every conversion.
    frames = poolbook.frames.timeline_rows(book, customer_id=customer.id)
    assert isinstance(frames, list)


def test_storage_errors_by_kind_and_a_read_only_book(tmp_path) -> None:
    path = tmp_path / "book.sqlite"
    with poolbook.Book.open(path) as book:
        book.unlock(KEY)
        created = customer_with_pool(book)
    before = path.read_bytes()
    with poolbook.Book.open_read_only(path) as book:
        book.unlock(KEY)
        assert book.customer(created.id).display_name == created.display_name
        with pytest.raises(poolbook.ReadOnlyError) as caught:
            customer_with_pool(book)
        assert isinstance(caught.value, poolbook.StorageError)
        assert str(caught.value).startswith("the book is read-only: ")
    assert path.read_bytes() == before

    text = tmp_path / "notes.sqlite"
    text.write_text("Gate code is on the fridge. " * 200)
    with pytest.raises(poolbook.NotABookError) as caught:
        poolbook.Book.open(text)
    assert "fridge" not in str(caught.value)


def test_queries_are_bounded(book: poolbook.Book) -> None:
    customer = customer_with_pool(book)
    with pytest.raises(poolbook.ValidationError) as caught:
        book.search_customers("oak " * 50_000)
    assert caught.value.field == "query"
    with pytest.raises(poolbook.ValidationError) as caught:
        book.search_customers("oak\0st")
    assert caught.value.field == "query"
    with pytest.raises(poolbook.ValidationError) as caught:
        list(book.iter_touchpoints(page_size=0, customer_id=customer.id))
    assert caught.value.field == "page_size"
    with pytest.raises(poolbook.ValidationError) as caught:
        book.change_log(limit=10**9)
    assert caught.value.field == "limit"


def test_an_integrity_check_reports_damage_and_changes_nothing(tmp_path) -> None:
    import sqlite3

    path = tmp_path / "book.sqlite"
    with poolbook.Book.open(path) as book:
        book.unlock(KEY)
        created = customer_with_pool(book)
        report = book.check_integrity()
        assert report.ok and report.problems == [] and report.customers_checked == 1
    damage = sqlite3.connect(path)
    damage.execute("UPDATE contacts SET phones = 'not json' WHERE customer_id = ?", (created.id,))
    damage.commit()
    damage.close()
    before = path.read_bytes()
    with poolbook.Book.open_read_only(path) as book:
        report = book.check_integrity()
    assert not report.ok
    assert [p.area for p in report.problems] == ["customer"]
    assert created.id in report.problems[0].detail
    assert path.read_bytes() == before


def test_an_integrity_check_right_after_a_rename_finds_the_book_sound(tmp_path) -> None:
    # Issue 15: the first check after a write reported an FTS5 checksum
    # mismatch on the search index that was not there.
    with poolbook.Book.open(tmp_path / "book.sqlite") as book:
        book.unlock(KEY)
        created = customer_with_pool(book)
        renamed = book.update_customer(created.id, created.version, {"display_name": "Rivera Household"}, OFFICE)
        first, second = book.check_integrity(), book.check_integrity()
        assert first.ok, first.problems
        assert second.ok, second.problems
        assert [hit.customer_id for hit in book.search_customers("Household")] == [renamed.id]


def test_nan_and_infinity_are_refused_naming_the_field(book: poolbook.Book) -> None:
    customer = customer_with_pool(book)
    location = customer.locations[0]
    for bad in (float("nan"), float("inf"), -float("inf")):
        visit = poolbook.Visit(
            customer_id=customer.id,
            location_id=location.id,
            at=dt.datetime(2026, 5, 1, 9, tzinfo=dt.timezone.utc),
            body_of_water_id=location.bodies_of_water[0].id,
            readings=poolbook.Readings(ph=bad),
        )
        with pytest.raises(poolbook.ValidationError) as caught:
            book.record_visit(visit, OFFICE)
        assert caught.value.field == "visit.readings.ph"
        assert "finite" in str(caught.value)
    payment = poolbook.Payment(customer_id=customer.id, received_on=dt.date(2026, 5, 1), amount=Decimal("NaN"), method="card")
    with pytest.raises(poolbook.ValidationError) as caught:
        book.record_payment(payment, OFFICE)
    assert caught.value.field == "payment.amount"
    assert poolbook.frames.visit_rows(book, customer.id) == []


def test_nested_lists_and_overlong_event_lines_are_bounded(book: poolbook.Book) -> None:
    wide = poolbook.NewCustomer(kind="hoa", display_name="Desert Palms HOA")
    for n in range(10):
        location = poolbook.ServiceLocation(address=poolbook.Address(line1=f"{n} Palm Way", city="Tampa", region="FL", postal_code="33602", country="US"))
        location.bodies_of_water = [
            poolbook.BodyOfWater(name=f"Pool {b}", kind="pool", sanitizer="salt", equipment=[poolbook.Equipment(kind="pump")] * 10)
            for b in range(10)
        ]
        wide.locations.append(location)
    with pytest.raises(poolbook.ValidationError) as caught:
        book.create_customer(wide, OFFICE)
    assert caught.value.field == "customer" and "at most 1000" in str(caught.value)
    assert book.list_customers().customers == []
    line = '{"type":"page","anonymousId":"v-1","messageId":"m-1","timestamp":"2026-06-01T10:00:00Z","properties":{"p":"%s"}}' % ("x" * 70_000)
    report = book.import_segment_events(line + "\n", author=OFFICE)
    assert report.added == 0 and [r.line for r in report.rejected] == [1]
    assert "longer than 65536 bytes" in report.rejected[0].reason
