"""Every Book operation from Python, with values checked against the store."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

import poolbook
from poolbook import frames
from conftest import KEY, OFFICE, customer_with_pool

UTC = dt.timezone.utc


def test_open_file_context_manager_and_closed(tmp_path):
    path = tmp_path / "book.sqlite"
    with poolbook.Book.open(path) as book:
        book.unlock(KEY)
        created = customer_with_pool(book)
    with pytest.raises(poolbook.ClosedError, match="the book is closed"):
        book.customer(created.id)
    with poolbook.Book.open(str(path)) as again:
        assert again.customer(created.id).display_name == "Rivera Family"
    book.close()  # closing twice is fine


def test_create_read_update_archive_restore(book):
    created = customer_with_pool(book)
    assert created.version == 1
    assert created.contacts[0].phones[0].number == "+18135550142"
    assert isinstance(created.created_at, dt.datetime) and created.created_at.tzinfo is not None
    assert created.billing.rate is None and created.billing.terms_days == 15
    read = book.customer(created.id)
    assert read == created
    updated = book.update_customer(created.id, 1, {"display_name": "Rivera Household", "tags": ["vip"]}, OFFICE)
    assert (updated.version, updated.display_name, updated.tags) == (2, "Rivera Household", ["vip"])
    archived = book.archive_customer(created.id, 2, OFFICE)
    assert archived.archived_at is not None
    restored = book.restore_customer(created.id, archived.version, OFFICE)
    assert restored.archived_at is None
    assert book.customer(created.id).version == restored.version


def test_conflict_and_not_found(book):
    created = customer_with_pool(book)
    book.update_customer(created.id, 1, {"display_name": "B"}, OFFICE)
    with pytest.raises(poolbook.ConflictError) as caught:
        book.update_customer(created.id, 1, {"display_name": "C"}, OFFICE)
    assert "you edited version 1, the book has version 2" in str(caught.value)
    missing = str(uuid.uuid4())
    with pytest.raises(poolbook.NotFoundError, match=f"{missing} not found"):
        book.customer(missing)


def test_validation_error_message_field_and_problem(book):
    new = poolbook.NewCustomer(kind="residential", display_name="   ")
    with pytest.raises(poolbook.ValidationError) as caught:
        book.create_customer(new, OFFICE)
    assert str(caught.value) == "invalid display_name: must not be empty"
    assert caught.value.field == "display_name"
    assert caught.value.problem == "must not be empty"
    assert isinstance(caught.value, poolbook.PoolbookError)
    assert book.list_customers().customers == []


def test_naive_datetime_refused_with_field(book):
    created = customer_with_pool(book)
    visit = poolbook.Visit(customer_id=created.id, location_id=created.locations[0].id, at=dt.datetime(2026, 5, 1, 9))
    with pytest.raises(poolbook.ValidationError) as caught:
        book.record_visit(visit, OFFICE)
    assert caught.value.field == "visit.at"
    assert "naive datetime" in str(caught.value)


def test_secrets_masked_in_repr_str_and_errors(book):
    created = customer_with_pool(book)
    code = created.locations[0].access.gate_code
    assert isinstance(code, poolbook.Secret) and code.is_sealed
    with pytest.raises(ValueError, match="sealed"):
        code.reveal()
    assert repr(code) == "Secret([sealed])" and str(code) == "[redacted]"
    assert "4321#" not in repr(created) and "Secret([sealed])" in repr(created)
    card = book.stop_card(created.locations[0].id)
    assert "4321#" not in repr(card)
    revealed = book.reveal_secret(created.locations[0].id, poolbook.SecretField.GATE_CODE, OFFICE, "at the gate")
    assert revealed is not None and revealed.reveal() == "4321#"
    assert repr(revealed) == "Secret([redacted])" and "4321" not in repr(book.secret_reveals())
    location = created.locations[0]
    location.access.gate_code = poolbook.Secret("x" * 80)
    with pytest.raises(poolbook.ValidationError) as caught:
        book.update_customer(created.id, created.version, {"locations": [location]}, OFFICE)
    assert "x" * 10 not in str(caught.value)


def test_list_search_iterate(demo):
    book, summary = demo
    page = book.list_customers(limit=50)
    assert len(page.customers) == 50 and page.next_after is not None
    every = list(book.iter_customers(limit=37))
    assert len(every) == len(summary.customers) == 200
    assert {c.id for c in every} == set(summary.customers)
    name = every[0].display_name
    hits = book.search_customers(name, 5)
    assert hits and hits[0].customer_id == every[0].id and isinstance(hits[0].score, float)



def test_search_forgives_typos_only_when_nobody_matches_as_typed(book):
    rivera = customer_with_pool(book, "Rivera Family")
    assert [hit.customer_id for hit in book.search_customers("rivrea", 5)] == [rivera.id]
    assert [hit.customer_id for hit in book.search_customers("ana rivra", 5)] == [rivera.id]
    assert book.search_customers("bivera", 5) == [], "the first letter is never a typo"
    riviera = customer_with_pool(book, "Rivrea Pools")
    assert [hit.customer_id for hit in book.search_customers("rivrea", 5)] == [riviera.id]

def test_technicians_route_and_stop_card(demo):
    book, summary = demo
    techs = book.technicians(False)
    assert {t.id for t in techs} == set(summary.technicians)
    assert book.technician(techs[0].id) == techs[0]
    route = book.route(techs[0].id, dt.date(2026, 11, 20))
    assert route.technician.id == techs[0].id
    assert route.date == dt.date(2026, 11, 20)
    assert route.stops
    stop = route.stops[0]
    card = book.stop_card(stop.location_id)
    assert (card.location_id, card.customer_name) == (stop.location_id, stop.customer_name)
    location = next(loc for loc in book.customer(card.customer_id).locations if loc.id == card.location_id)
    assert card.gate_code == location.access.gate_code
    assert card.gate_code is None or card.gate_code.reveal() == location.access.gate_code.reveal()


def test_technician_add_update(book):
    tech = book.add_technician(poolbook.NewTechnician(name="Sam Ortiz"), OFFICE)
    assert tech.name == "Sam Ortiz" and tech.active
    changed = book.update_technician(tech.id, tech.version, {"active": False}, OFFICE)
    assert not changed.active
    assert book.technicians(False) == []
    assert [t.id for t in book.technicians(True)] == [tech.id]


def test_regions_and_transfer(book):
    assert book.default_region().code == "US"
    book.set_default_region("CA", OFFICE)
    assert book.default_region().code == "CA"
    a = customer_with_pool(book, "A")
    b = customer_with_pool(book, "B")
    moved = book.transfer_location(a.locations[0].id, b.id, OFFICE)
    assert moved.from_.locations == [] and len(moved.to.locations) == 2
    assert moved.to_dict()["from"]["id"] == a.id
    assert len(book.customer(b.id).locations) == 2


def test_change_log_and_iterator(book):
    created = customer_with_pool(book)
    book.update_customer(created.id, 1, {"display_name": "New Name"}, OFFICE)
    log = book.change_log(customer_id=created.id)
    actions = [c.action for c in log]
    assert actions[0] == poolbook.ChangeAction.CREATED and actions[-1] == "updated" and actions.count("updated") == 1
    assert {c.author.id for c in log} == {"dana"}
    everything = list(book.iter_change_log(limit=1))
    assert everything[0].entity_id == "data_key", "the fixture's unlock made the book's key"
    assert [c.seq for c in everything[1:]] == [c.seq for c in log]


def test_visit_readings_assessment_and_series(book):
    created = customer_with_pool(book)
    loc = created.locations[0]
    visit = poolbook.Visit(customer_id=created.id, location_id=loc.id, at=dt.datetime(2026, 5, 1, 9, 30, tzinfo=UTC))
    assert visit.outcome == poolbook.VisitOutcome.COMPLETED and visit.readings == poolbook.Readings()
    visit.body_of_water_id = loc.bodies_of_water[0].id
    visit.readings = poolbook.Readings(
        free_chlorine=3.0, ph=7.6, total_alkalinity=90.0, calcium_hardness=300.0, cyanuric_acid=40.0, temperature_f=80.0
    )
    saved = book.record_visit(visit, OFFICE)
    assert saved.readings.ph == 7.6 and saved.at == dt.datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
    assessment = book.assess_visit(saved.id, "tfp")
    assert assessment.saturation_index is not None
    series = book.readings_series(loc.bodies_of_water[0].id)
    assert [p.visit_id for p in series] == [saved.id]
    stored = book.entry(saved.id)
    assert isinstance(stored.entry, poolbook.Visit) and stored.entry.entry == "visit" and stored.entry == saved
    [row] = frames.visit_rows(book, created.id)
    assert (row["visit_id"], row["at"], row["outcome"], row["ph"], row["salt"]) == (
        saved.id, saved.at, poolbook.VisitOutcome.COMPLETED, 7.6, None)
    archived = book.archive_entry(saved.id, OFFICE)
    assert archived.archived_at is not None
    assert frames.visit_rows(book, created.id) == []
    # Its touchpoint leaves the default list, not the book.
    def completed(**fields):
        return [t.action for t in book.touchpoints(customer_id=created.id, **fields) if t.entry_id == saved.id]
    assert completed() == []
    assert completed(include_archived=True) == ["visit_completed"]
    assert book.restore_entry(saved.id, OFFICE).archived_at is None


def test_ledger_invoice_payment_credit(book):
    created = customer_with_pool(book)
    invoice = poolbook.Invoice(
        customer_id=created.id,
        number="A-1",
        issued_on=dt.date(2026, 5, 1),
        due_on=dt.date(2026, 5, 31),
        lines=[poolbook.InvoiceLine(description="Weekly service", quantity=Decimal("4"), unit_price=Decimal("45.00"))],
    )
    inv = book.add_invoice(invoice, OFFICE)
    assert book.balance(created.id) == Decimal("180.00")
    payment = {
        "id": str(uuid.uuid4()), "customer_id": created.id, "at": dt.datetime(2026, 5, 10, tzinfo=UTC),
        "received_on": dt.date(2026, 5, 10), "amount": Decimal("100.00"), "method": "card",
        "reference": None, "applications": [{"invoice_id": inv.id, "amount": Decimal("100.00")}],
    }
    book.record_payment(payment, OFFICE)
    credit = {
        "id": str(uuid.uuid4()), "customer_id": created.id, "at": dt.datetime(2026, 5, 11, tzinfo=UTC),
        "posted_on": dt.date(2026, 5, 11), "kind": "credit", "amount": Decimal("30.00"),
        "reason": "missed week", "invoice_id": inv.id,
    }
    book.add_credit(credit, OFFICE)
    assert book.balance(created.id) == Decimal("50.00")
    [balance] = book.invoice_balances(created.id)
    assert (balance.paid, balance.credited, balance.remaining) == (Decimal("100.00"), Decimal("30.00"), Decimal("50.00"))
    assert book.ledger(created.id).balance == Decimal("50.00")
    statement = book.statement(created.id, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert statement.closing_balance == Decimal("50.00")
    aging = book.aging(created.id, dt.date(2026, 7, 15))
    assert aging.total_due == Decimal("50.00")


def test_messages_issues_notes_feedback(book):
    created = customer_with_pool(book)
    at = dt.datetime(2026, 6, 1, 12, tzinfo=UTC)
    message = {
        "id": str(uuid.uuid4()), "customer_id": created.id, "location_id": None, "at": at,
        "channel": "sms", "direction": "inbound", "contact_id": None, "subject": None, "body": "Pool is green",
    }
    assert book.record_message(message, OFFICE).body == "Pool is green"
    issue = {
        "id": str(uuid.uuid4()), "customer_id": created.id, "location_id": None, "body_of_water_id": None,
        "at": at, "category": "water_quality", "summary": "Algae", "details": None, "status": "open",
        "resolved_at": None, "resolution": None,
    }
    opened = book.open_issue(issue, OFFICE)
    resolved = book.resolve_issue(opened.id, "Shocked the pool", OFFICE)
    assert resolved.status == "resolved" and resolved.resolution == "Shocked the pool"
    note = book.add_note(poolbook.Note(customer_id=created.id, text="Dog is friendly"), OFFICE)
    assert note.text == "Dog is friendly"
    feedback = book.record_feedback(poolbook.Feedback(customer_id=created.id, rating=5), OFFICE)
    assert feedback.rating == 5
    kinds = [i.entry.entry for i in book.iter_timeline(customer_id=created.id) if isinstance(i, poolbook.TimelineItemEntry)]
    assert sorted(kinds) == ["feedback", "issue", "message", "note"]


def test_target_profiles_and_chemistry_functions(book):
    profiles = book.target_profiles()
    assert profiles
    first = profiles[0]
    first.name = first.name + " (ours)"
    assert book.put_target_profile(first, OFFICE).name == first.name
    assert any(p.name == first.name for p in book.target_profiles())
    readings = {"free_chlorine": 3.0, "ph": 7.5, "total_alkalinity": 90.0, "calcium_hardness": 300.0,
                "cyanuric_acid": 40.0, "temperature_f": 80.0}
    csi = poolbook.saturation_index(readings, poolbook.CsiMethod.TFP)
    assert isinstance(csi, poolbook.SaturationIndex)
    assert -1.0 < csi.value < 1.0
    with pytest.raises(poolbook.CannotComputeError) as caught:
        poolbook.saturation_index({"ph": 7.5}, "tfp")
    assert caught.value.needs == ["total alkalinity", "calcium hardness", "temperature"]
    best = poolbook.best_profile(profiles, "pool", "chlorine", None)
    assert best is not None
    flags = poolbook.flag_readings(best, readings, csi)
    assert {f.parameter for f in flags} >= {"free_chlorine", "ph"}


def test_free_functions():
    assert poolbook.normalize_phone("(813) 555-0142", "US", "phone") == "+18135550142"
    with pytest.raises(poolbook.ValidationError) as caught:
        poolbook.normalize_phone("12", "US", "contacts[0].phone")
    assert caught.value.field == "contacts[0].phone"
    assert poolbook.default_stage_map()["page_viewed"] == "awareness"


def test_plan_due_on(demo):
    book, summary = demo
    for cid in summary.customers:
        for location in book.customer(cid).locations:
            plan = location.service_plan
            if plan:
                due = [d for d in range(7) if poolbook.plan_due_on(plan, dt.date(2026, 11, 16) + dt.timedelta(d))]
                assert len(due) >= 1
                return
    pytest.fail("no service plan in the demo")


def test_journey_touchpoints_links_stage_map(book):
    created = customer_with_pool(book)
    at = dt.datetime(2026, 3, 1, 12, tzinfo=UTC)
    tp = poolbook.Touchpoint(
        visitor_id="web-1", at=at, channel=poolbook.JourneyChannel.WEBSITE, direction=poolbook.Direction.INBOUND,
        actor=poolbook.Actor.CUSTOMER, action="page_viewed", properties={"path": "/quote", "ms": 1200},
    )
    report = book.record_touchpoints([tp], OFFICE)
    assert (report.added, report.skipped) == (1, 0)
    [stored] = book.touchpoints(visitor_id="web-1")
    assert (stored.id, stored.at, stored.action) == (tp.id, at, "page_viewed")
    assert stored.properties == {"path": "/quote", "ms": 1200} and stored.stage == poolbook.Stage.AWARENESS
    book.link_visitor("web-1", created.id, OFFICE)
    assert [t.visitor_id for t in book.touchpoints(customer_id=created.id, exclude_operations=True)] == ["web-1"]
    book.unlink_visitor("web-1", OFFICE)
    assert book.touchpoints(customer_id=created.id, exclude_operations=True) == []
    stages = book.stage_map()
    stages["page_viewed"] = "consideration"
    book.set_stage_map(stages, OFFICE)
    assert book.stage_map()["page_viewed"] == "consideration"


def test_import_segment_events(book):
    lines = "\n".join(
        [
            '{"type":"track","event":"Page Viewed","anonymousId":"v-9","timestamp":"2026-03-01T10:00:00Z","messageId":"m1"}',
            "not json",
        ]
    )
    report = book.import_segment_events(lines)
    assert (report.added, report.skipped) == (1, 0)
    assert [(r.line, r.reason[:14]) for r in report.rejected] == [(2, "not valid JSON")]
    assert len(book.touchpoints(visitor_id="v-9")) == 1


def test_reports_funnel_response_attribution_segments(demo):
    book, summary = demo
    steps = [poolbook.FunnelStep(action="page_viewed"), poolbook.FunnelStep(action="estimate_requested")]
    report = book.funnel(poolbook.FunnelDefinition(steps=steps, window_hours=24 * 90))
    assert report.all.steps[0].entered >= report.all.steps[1].entered > 0
    times = book.lead_response_times()
    assert times.leads >= times.answered > 0
    attribution = book.attribution(conversion_action="payment_made")
    assert attribution.conversions > 0
    for model in attribution.models:
        assert abs(sum(float(v) for v in model.by_channel.values()) - attribution.conversions) < 1e-6
        assert all(isinstance(channel, poolbook.JourneyChannel) for channel in model.by_channel)
    segment = poolbook.Segment(name="commercial", rules=[poolbook.SegmentRuleKind(kind=poolbook.CustomerKind.COMMERCIAL)])
    as_of = dt.datetime(2026, 11, 20, tzinfo=UTC)
    members = book.evaluate_segment(segment, as_of)
    commercial = {c.id for c in book.iter_customers(kind="commercial")}
    assert {m.customer_id for m in members} == commercial and commercial


def test_save_segment(book):
    customer_with_pool(book)
    saved = book.save_segment({"name": "homes", "rules": [{"rule": "kind", "kind": "residential"}]}, OFFICE)
    assert saved.name == "homes"
    assert [s.name for s in book.segments()] == ["homes"]
    members = book.segment_members("homes", dt.datetime(2026, 11, 20, tzinfo=UTC))
    assert len(members) == 1


def test_timeline_pages_and_iterator(demo):
    book, summary = demo
    customer = next(c for c in summary.customers if book.timeline(customer_id=c, limit=5).next_cursor)
    first = book.timeline(customer_id=customer, limit=5)
    assert first.next_cursor is not None
    every = list(book.iter_timeline(customer_id=customer, limit=7))
    assert [i.to_dict() for i in every[:5]] == [i.to_dict() for i in first.items]
    ats = [i.entry.at if isinstance(i, poolbook.TimelineItemEntry) else i.at for i in every]
    assert ats == sorted(ats, reverse=True)


def test_iter_touchpoints_pages_newest_first(demo):
    book, summary = demo
    customer = max(summary.customers[:30], key=lambda c: len(book.touchpoints(customer_id=c)))
    every = book.touchpoints(customer_id=customer, newest_first=True)
    assert len(every) > 15
    paged = list(book.iter_touchpoints(page_size=7, customer_id=customer))
    assert [t.id for t in paged] == [t.id for t in every]
    assert all(isinstance(t, poolbook.Touchpoint) and t.at.tzinfo is not None for t in paged)
    assert [t.at for t in paged] == sorted((t.at for t in paged), reverse=True)


def test_wrong_types_name_the_path_to_the_field(book):
    created = customer_with_pool(book)
    visit = poolbook.Visit(customer_id=created.id, location_id=created.locations[0].id, at="yesterday")  # type: ignore[arg-type]
    with pytest.raises(poolbook.ValidationError) as caught:
        book.record_visit(visit, OFFICE)
    assert caught.value.field == "visit.at"
    villa = poolbook.NewCustomer(kind="villa", display_name="Villa Rosa")  # type: ignore[arg-type]
    with pytest.raises(poolbook.ValidationError, match="expected one of: residential, commercial") as caught:
        book.create_customer(villa, OFFICE)
    assert caught.value.field == "new.kind"
    butler = poolbook.NewCustomer(kind="residential", display_name="Hall", contacts=[{"name": "Jo", "role": "butler"}])
    with pytest.raises(poolbook.ValidationError) as caught:
        book.create_customer(butler, OFFICE)
    assert caught.value.field == "new.contacts[0].role"
    assert [c.id for c in book.iter_customers()] == [created.id]


def test_a_technicians_phone_and_email_can_be_set_and_cleared(book):
    ana = book.add_technician(poolbook.NewTechnician(name="Ana Reyes"), OFFICE)
    reachable = book.update_technician(ana.id, ana.version, poolbook.TechnicianPatch(
        phone=poolbook.TextUpdateSet(value="(813) 555-0199"), email=poolbook.TextUpdateSet(value="ana@pools.example")),
        OFFICE)
    assert (reachable.phone, reachable.email) == ("+18135550199", "ana@pools.example")
    cleared = book.update_technician(ana.id, reachable.version, poolbook.TechnicianPatch(
        phone=poolbook.TextUpdateClear(), email=poolbook.TextUpdateClear()), OFFICE)
    assert (cleared.phone, cleared.email) == (None, None)
    assert book.technician(ana.id).phone is None
    kept = book.update_technician(ana.id, cleared.version, poolbook.TechnicianPatch(name="Ana R."), OFFICE)
    assert (kept.name, kept.phone) == ("Ana R.", None)


def test_one_validation_error_lists_every_bad_field(book):
    new = poolbook.NewCustomer(kind=poolbook.CustomerKind.RESIDENTIAL, display_name=" ", contacts=[
        poolbook.Contact(name="Ana Rivera", role=poolbook.ContactRole.OWNER,
                         phones=[poolbook.Phone(number="call me", sms_capable=True)], emails=["ana.example.com"])])
    with pytest.raises(poolbook.ValidationError) as caught:
        book.create_customer(new, OFFICE)
    error = caught.value
    assert error.field == "display_name"
    assert [field for field, _ in error.problems] == [
        "display_name", "contacts[0].phones[0].number", "contacts[0].emails[0]"]
    assert "; invalid contacts[0].emails[0]: not a valid email address" in str(error)
    assert book.list_customers().customers == []


def test_the_books_time_zone_and_authors_by_name(book):
    assert book.time_zone() == "UTC"
    book.set_time_zone("America/Phoenix", OFFICE)
    assert book.time_zone() == "America/Phoenix"
    with pytest.raises(poolbook.ValidationError) as caught:
        book.set_time_zone("Mars/Olympus", OFFICE)
    assert caught.value.field == "time_zone"
    ana = book.add_technician(poolbook.NewTechnician(name="Ana Reyes"), OFFICE)
    assert book.author_name(poolbook.Author.technician(ana.id)) == "Ana Reyes"
    assert book.author_name(OFFICE) == f"{OFFICE.id} (office)"


def test_unmapped_actions_are_stored_without_a_stage_and_listed(book):
    customer = customer_with_pool(book)
    at = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.timezone.utc)
    book.record_touchpoints([
        poolbook.Touchpoint(customer_id=customer.id, at=at, channel="website", direction="inbound",
                            actor="customer", action="brochure_downloaded"),
        poolbook.Touchpoint(customer_id=customer.id, at=at, channel="portal", direction="inbound",
                            actor="customer", action="portal_login"),
    ], OFFICE)
    stages = {t.action: t.stage for t in book.touchpoints(customer_id=customer.id, exclude_operations=True)}
    assert stages == {"brochure_downloaded": None, "portal_login": poolbook.Stage.RETENTION}
    [unmapped] = book.unmapped_actions()
    assert (unmapped.action, unmapped.touchpoints, unmapped.last_at) == ("brochure_downloaded", 1, at)


def test_dir_of_frames_shows_the_frame_functions_only():
    names = dir(frames)
    assert "funnel_frame" in names and "timeline_rows" in names
    assert not {"Any", "Dict", "List", "Mapping", "Enum"} & set(names)
    assert all(callable(getattr(frames, name)) or name == "READING_FIELDS" for name in names)


def test_batches_land_whole_or_not_at_all(book):
    def household(name: str, phone: str) -> poolbook.NewCustomer:
        contact = poolbook.Contact(name=name, role=poolbook.ContactRole.OWNER,
                                   phones=[poolbook.Phone(number=phone, sms_capable=True)])
        return poolbook.NewCustomer(kind=poolbook.CustomerKind.RESIDENTIAL, display_name=name, contacts=[contact])

    with pytest.raises(poolbook.ValidationError) as caught:
        book.create_customers([household("Maria Lopez", "(813) 555-0142"), household("Sam Lee", "call me")], OFFICE)
    assert caught.value.field == "customers[1].contacts[0].phones[0].number"
    assert book.list_customers().customers == []
    maria, sam = book.create_customers(
        [household("Maria Lopez", "(813) 555-0142"), household("Sam Lee", "(813) 555-0143")], OFFICE)
    assert [c.display_name for c in book.list_customers().customers] == ["Maria Lopez", "Sam Lee"]

    day = dt.date(2026, 10, 1)
    invoice = poolbook.Invoice(customer_id=maria.id, number="2026-0001", issued_on=day, due_on=day,
                               lines=[poolbook.InvoiceLine(description="Weekly service", quantity=Decimal("1"),
                                                           unit_price=Decimal("165.00"))])
    payment = poolbook.Payment(customer_id=maria.id, received_on=day, amount=Decimal("100.00"),
                               method=poolbook.PaymentMethod.CARD,
                               applications=[poolbook.Application(invoice_id=invoice.id, amount=Decimal("100.00"))])
    note = poolbook.Note(customer_id=sam.id, text=" ")
    with pytest.raises(poolbook.ValidationError) as caught:
        book.record_entries([invoice, payment, note], OFFICE)
    assert caught.value.field == "entries[2].text"
    assert book.balance(maria.id) == Decimal("0")
    stored = book.record_entries([invoice, payment], OFFICE)
    assert [type(e).__name__ for e in stored] == ["Invoice", "Payment"]
    assert book.balance(maria.id) == Decimal("65.00")
