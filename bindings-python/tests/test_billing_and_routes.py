"""Billing from the record, routes in driving order, technician turnover and the stop card's
preferences, from Python, with values checked against the store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import poolbook
from conftest import OFFICE, address


def served(book, name, tech, longitude=None, basis=poolbook.RateBasis.PER_VISIT, rate="45.00"):
    """A customer on a weekly Tuesday plan with ``tech``, at (0, ``longitude``) if given."""
    new = poolbook.NewCustomer(kind=poolbook.CustomerKind.RESIDENTIAL, display_name=name)
    new.billing.rate = Decimal(rate)
    new.billing.rate_basis = basis
    location = poolbook.ServiceLocation(address=address(f"{len(name)} Ocotillo Rd"))
    location.service_plan = poolbook.ServicePlan(
        frequency=poolbook.Frequency.WEEKLY, preferred_weekday=poolbook.Weekday.TUESDAY,
        technician_id=tech.id, starts_on=dt.date(2026, 1, 6), bills_chemicals=True,
    )
    if longitude is not None:
        location.coordinates = poolbook.GeoPoint(latitude=0.0, longitude=longitude)
    new.locations = [location]
    return book.create_customer(new, OFFICE)


def test_draft_issue_void_refund_and_apply(book):
    book.set_time_zone("America/Phoenix", OFFICE)
    settings = book.billing_settings()
    assert settings.first_invoice_number == 1001 and settings.tax_rate is None
    settings.tax_rate = Decimal("0.0825")
    settings.chemical_prices = [
        poolbook.ChemicalPrice(product="liquid chlorine", unit=poolbook.DoseUnit.GALLONS, unit_price=Decimal("5.25")),
    ]
    assert book.set_billing_settings(settings, OFFICE).tax_rate == Decimal("0.0825")
    ana = book.add_technician(poolbook.NewTechnician(name="Ana Reyes"), OFFICE)
    avery = served(book, "Avery", ana)
    location = avery.locations[0].id
    # 09:00 in Phoenix is 16:00 UTC.
    first = poolbook.Visit(customer_id=avery.id, location_id=location,
                           at=dt.datetime(2026, 3, 3, 16, tzinfo=dt.timezone.utc),
                           outcome=poolbook.VisitOutcome.COMPLETED)
    first.chemicals = [poolbook.ChemicalDose(product="Liquid Chlorine", amount=2.5, unit=poolbook.DoseUnit.GALLONS)]
    first = book.record_visit(first, OFFICE)
    skipped = book.record_visit(poolbook.Visit(
        customer_id=avery.id, location_id=location, at=dt.datetime(2026, 3, 10, 16, tzinfo=dt.timezone.utc),
        outcome=poolbook.VisitOutcome.SKIPPED, skip_reason=poolbook.SkipReason.WEATHER), OFFICE)

    march = poolbook.BillingPeriod(from_=dt.date(2026, 3, 1), to=dt.date(2026, 3, 31))
    drafts = book.draft_invoices(march, issued_on=dt.date(2026, 4, 1))
    assert [d.customer_name for d in drafts] == ["Avery"]
    lines = [(l.description, l.quantity, l.unit_price, l.tax_rate, l.visit_ids) for l in drafts[0].invoice.lines]
    assert lines == [
        ("Service visit 2026-03-03", Decimal(1), Decimal("45.00"), None, [first.id]),
        ("Liquid Chlorine, 2.5 gal (2026-03-03)", Decimal("2.5"), Decimal("5.25"), Decimal("0.0825"), [first.id]),
        ("Service visit 2026-03-10, skipped (weather): no charge", Decimal(1), Decimal("0.00"), None, [skipped.id]),
    ]
    # 45.00 + 13.13 (2.5 × 5.25 = 13.125, half away from zero); tax 1.08.
    assert (drafts[0].subtotal, drafts[0].tax, drafts[0].total) == (Decimal("58.13"), Decimal("1.08"), Decimal("59.21"))
    assert drafts[0].invoice.due_on == dt.date(2026, 4, 16)

    issued = book.issue_invoices(drafts, OFFICE)
    assert [i.number for i in issued] == ["1001"]
    assert book.balance(avery.id) == Decimal("59.21")
    assert book.draft_invoices(march, issued_on=dt.date(2026, 4, 1)) == []
    with pytest.raises(poolbook.ValidationError) as stale:
        book.issue_invoices(drafts, OFFICE)
    assert stale.value.field == "drafts[0]"

    payment = book.record_payment(poolbook.Payment(customer_id=avery.id, received_on=dt.date(2026, 4, 5),
                                                   amount=Decimal("100.00"), method=poolbook.PaymentMethod.CARD), OFFICE)
    applied = book.apply_payment(payment.id, issued[0].id, Decimal("59.21"), dt.date(2026, 4, 20), OFFICE)
    assert applied.applications[0].applied_on == dt.date(2026, 4, 20)
    before = book.aging(avery.id, dt.date(2026, 4, 15))
    assert (before.current, before.unapplied) == (Decimal("59.21"), Decimal("100.00"))
    refund = book.refund_payment(payment.id, Decimal("40.79"), dt.date(2026, 4, 21), "overpaid", OFFICE)
    assert refund.kind == poolbook.CreditKind.REFUND and refund.payment_id == payment.id
    statement = book.statement(avery.id, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert [(l.description, l.amount) for l in statement.lines] == [
        ("Invoice 1001", Decimal("59.21")), ("Payment (card)", Decimal("-100.00")), ("Refund: overpaid", Decimal("40.79")),
    ]
    assert statement.closing_balance == Decimal("0.00")
    with pytest.raises(poolbook.ValidationError) as paid:
        book.void_invoice(issued[0].id, dt.date(2026, 4, 22), "no", OFFICE)
    assert paid.value.field == "invoice_id"


def test_ordered_route_turnover_and_stop_card(book):
    book.set_time_zone("America/Phoenix", OFFICE)
    ana = book.add_technician(poolbook.NewTechnician(name="Ana Reyes"), OFFICE)
    ben = book.add_technician(poolbook.NewTechnician(name="Ben Ortiz"), OFFICE)
    for name, longitude in [("Adams", 0.03), ("Baker", 0.01), ("Clark", None), ("Davis", 0.02)]:
        served(book, name, ana, longitude)
    tuesday = dt.date(2026, 3, 3)
    route = book.ordered_route(
        ana.id, tuesday, start=poolbook.GeoPoint(latitude=0.0, longitude=0.0),
        end=poolbook.GeoPoint(latitude=0.0, longitude=0.04), depart_at=dt.time(8, 0),
        average_speed_kmh=30.0, service_minutes=30,
    )
    assert [s.card.customer_name for s in route.stops] == ["Baker", "Davis", "Adams", "Clark"]
    assert [s.arrival_local for s in route.stops] == [dt.time(8, 2, 13), dt.time(8, 34, 27), dt.time(9, 6, 40), None]
    assert route.stops[0].arrival == dt.datetime(2026, 3, 3, 15, 2, 13, tzinfo=dt.timezone.utc)
    assert route.stops[3].no_coordinates and route.stops[3].leg_km is None
    # Four 0.01° legs (1.11195 km each) against eight in name order (Adams, Baker, Davis).
    assert route.distance_km == pytest.approx(4 * 1.111951, abs=1e-3)
    assert route.name_order_distance_km == pytest.approx(8 * 1.111951, abs=1e-3)

    with pytest.raises(poolbook.ValidationError) as left:
        book.update_technician(ana.id, ana.version, poolbook.TechnicianPatch(active=False), OFFICE)
    assert left.value.field == "active" and "4 service plans" in str(left.value)
    moved = book.reassign_plans(ana.id, ben.id, OFFICE)
    assert len(moved) == 4
    assert book.ordered_route(ben.id, tuesday).stops[0].card.service_plan.technician_id == ben.id
    ana = book.deactivate_technician(ana.id, ana.version, None, OFFICE)
    assert not ana.active
    with pytest.raises(poolbook.ValidationError) as inactive:
        book.ordered_route(ana.id, tuesday)
    assert inactive.value.field == "technician_id"
    ben = book.deactivate_technician(ben.id, ben.version, None, OFFICE)
    davis = book.list_customers().customers[-1]
    assert davis.locations[0].service_plan.technician_id is None

    prefs = poolbook.Preferences(water_concerns=["algae"], preferred_channel=poolbook.ContactChannel.EMAIL,
                                 language="es-MX", preferred_service_day=poolbook.Weekday.TUESDAY)
    updated = book.update_customer(davis.id, davis.version, {"preferences": prefs}, OFFICE)
    card = book.stop_card(updated.locations[0].id)
    assert (card.water_concerns, card.preferred_channel, card.language) == (["algae"], poolbook.ContactChannel.EMAIL, "es-MX")
    assert card.coordinates == poolbook.GeoPoint(latitude=0.0, longitude=0.02)
    assert card.recent_visits == []
