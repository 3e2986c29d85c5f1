"""Data quality from Python: duplicate candidates with their explanation,
verdicts, merge and unmerge, the quality report, and their DataFrames."""

from __future__ import annotations

import datetime as dt

import pytest

import poolbook
from poolbook import frames

from conftest import OFFICE, address


def person(book: poolbook.Book, name: str, phone: str, line1: str, email: str = "") -> poolbook.Customer:
    contact = poolbook.Contact(
        name=name, role=poolbook.ContactRole.OWNER, primary=True,
        phones=[poolbook.Phone(number=phone, sms_capable=True)], emails=[email] if email else [],
    )
    new = poolbook.NewCustomer(
        kind=poolbook.CustomerKind.RESIDENTIAL, display_name=name, contacts=[contact],
        locations=[poolbook.ServiceLocation(address=address(line1))],
    )
    return book.create_customer(new, OFFICE)


def strangers(book: poolbook.Book, count: int = 40) -> None:
    firsts = ["alma", "boris", "cleo", "dmitri", "esme", "farid", "gwen", "hugo", "ines", "jorge", "kenji"]
    lasts = ["abbot", "brandt", "castillo", "dunmore", "eriksen", "gallo", "hollis", "jansen", "moreau"]
    for i in range(count):
        name = f"{firsts[i % len(firsts)]} {lasts[(i // len(firsts) + i) % len(lasts)]}"
        person(book, name, f"813-{200 + i:03d}-{1000 + i * 37:04d}", f"{100 + i * 3} Birch Way")


def test_candidates_are_explained_and_sum_to_their_weight(book: poolbook.Book) -> None:
    strangers(book)
    maria = person(book, "Maria Lopez", "+1 (555) 010-2233", "1420 Oak Street", "maria.lopez@gmail.com")
    again = person(book, "Lopez, Maria", "555.010.2233", "1420 Oak St", "marialopez@gmail.com")
    candidates = book.duplicate_candidates()
    assert len(candidates) == 1
    found = candidates[0]
    assert {found.a, found.b} == {maria.id, again.id}
    assert found.band == poolbook.MatchBand.LIKELY
    assert found.probability > 0.99
    assert found.prior + sum(line.weight for line in found.comparisons) == pytest.approx(found.weight, abs=1e-9)
    phone = next(line for line in found.comparisons if line.field == "phone")
    assert (phone.level, phone.a_value) == ("exact", "+15550102233")
    mine = book.duplicate_candidates(customer_id=again.id)
    assert mine[0].weight == found.weight

    frame = frames.duplicate_frame(book)
    assert list(frame["a_name"]) == [found.a_name] and frame["probability"][0] == found.probability
    lines = frames.duplicate_comparison_frame(book)
    assert lines["weight"].sum() + found.prior == pytest.approx(found.weight)
    assert "street" in set(lines["field"])
    assert frames.duplicate_rows(book, customer_id=maria.id)[0]["band"] == "likely"
    assert {row["field"] for row in frames.duplicate_comparison_rows(book)} >= {"phone", "email", "street"}

    typed = poolbook.NewCustomer(
        kind=poolbook.CustomerKind.RESIDENTIAL, display_name="Mary Lopez",
        contacts=[poolbook.Contact(name="Mary Lopez", role=poolbook.ContactRole.OWNER,
                                   phones=[poolbook.Phone(number="5550102233", sms_capable=True)])],
    )
    while_typing = book.duplicate_candidates(record=typed)
    assert {maria.id, again.id} <= {c.a for c in while_typing} | {c.b for c in while_typing}


def test_a_rejected_pair_stays_hidden(book: poolbook.Book) -> None:
    strangers(book)
    senior = person(book, "Robert Hale", "555-010-4400", "88 Palm Ave")
    junior = person(book, "Robert Hale", "555-010-4401", "88 Palm Avenue")
    assert len(book.duplicate_candidates()) == 1
    book.decide_duplicate(junior.id, senior.id, poolbook.DuplicateVerdict.NOT_DUPLICATE, OFFICE)
    assert book.duplicate_candidates() == []
    with pytest.raises(poolbook.ValidationError) as caught:
        book.decide_duplicate(senior.id, senior.id, "same", OFFICE)
    assert caught.value.field == "b"


def test_merge_and_unmerge_give_both_records_back(book: poolbook.Book) -> None:
    survivor = person(book, "Maria Lopez", "555-010-2233", "1420 Oak Street")
    absorbed = person(book, "Mary Lopez", "555-010-7788", "9 Bay Road")
    book.add_note(poolbook.Note(customer_id=absorbed.id, text="Spa cover torn"), OFFICE)
    outcome = book.merge_customers(survivor.id, absorbed.id, poolbook.MergePicks(), OFFICE)
    assert outcome.moved_entries == 1
    assert len(outcome.survivor.contacts) == 2 and len(outcome.survivor.locations) == 2
    assert book.resolve_customer(absorbed.id).id == survivor.id
    assert book.customer(absorbed.id).archived_at is not None
    with pytest.raises(poolbook.ValidationError, match="already merged"):
        book.merge_customers(survivor.id, absorbed.id, poolbook.MergePicks(), OFFICE)

    undone = book.unmerge_customer(absorbed.id, OFFICE)
    assert undone.kept_edits == []
    back = book.customer(absorbed.id)
    assert back.archived_at is None
    assert back.contacts == absorbed.contacts and back.locations == absorbed.locations
    assert book.customer(survivor.id).contacts == survivor.contacts
    assert book.resolve_customer(absorbed.id).id == absorbed.id


def test_the_quality_report_and_its_frames(book: poolbook.Book) -> None:
    person(book, "Tia Typo", "813-555-0142", "11 Fig St", "tia@gmial.com")
    report = book.quality_report(dt.datetime.now(dt.timezone.utc))
    assert report.customers == 1
    typo = [f for f in report.findings if f.rule == "email_domain_typo"]
    assert len(typo) == 1 and typo[0].field == "contacts[0].emails[0]" and "gmail.com" in typo[0].message
    assert len(report.counts) == len(set(c.rule for c in report.counts)) > 20
    assert frames.finding_rows(report)[0]["severity"] in ("critical", "warning", "info")
    findings = frames.finding_frame(report)
    assert "email_domain_typo" in set(findings["rule"])
    rates = frames.fill_rate_frame(report)
    assert rates.set_index("field").loc["contacts.emails", "rate"] == 1.0
    with pytest.raises(poolbook.ValidationError):
        book.quality_report(dt.datetime(2026, 1, 1))  # naive datetimes are refused
