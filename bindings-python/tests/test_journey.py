"""Issue 17 from Python: operations as touchpoints, whole-book questions,
retention, satisfaction, engagement, experiments, drop-off, stages and the
feedback loop, on hand-built books whose numbers are written out, and their
DataFrame forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import poolbook
from poolbook import frames
from conftest import OFFICE, address

UTC = dt.timezone.utc


def at(month: int, day: int, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, 10, tzinfo=UTC)


def touch(customer: str, when: dt.datetime, action: str, channel: str = "portal", **properties: object) -> poolbook.Touchpoint:
    return poolbook.Touchpoint(customer_id=customer, at=when, channel=channel, direction="inbound",
                               actor="customer", action=action, properties=dict(properties))


def customers(book: poolbook.Book, *names: str, kind: str = "residential", status: str = "active") -> list:
    news = [poolbook.NewCustomer(kind=kind, display_name=name, status=status) for name in names]
    return [c.id for c in book.create_customers(news, OFFICE)]


def test_operations_are_touchpoints_once_linked_to_their_entries(book):
    new = poolbook.NewCustomer(kind="residential", display_name="Maria Lopez", status="lead")
    maria = book.create_customer(new, OFFICE)
    maria = book.change_status(maria.id, maria.version, "active", None, at(1, 2), OFFICE)
    payment = poolbook.Payment(customer_id=maria.id, at=at(3, 2), received_on=dt.date(2026, 3, 2),
                               amount=Decimal("92.50"), method="card")
    payment = book.record_payment(payment, OFFICE)
    journey = book.touchpoints(customer_id=maria.id)
    assert sorted(t.action for t in journey) == ["converted", "customer_created", "payment_made"]
    [paid] = [t for t in journey if t.action == "payment_made"]
    assert (paid.entry_id, paid.value, paid.channel) == (payment.id, Decimal("92.50"), poolbook.JourneyChannel.PORTAL)
    assert paid.properties == {"method": "card"}
    [converted] = [t for t in journey if t.action == "converted"]
    assert converted.at == at(1, 2)
    page = book.timeline(customer_id=maria.id)
    assert len(page.items) == 1, "the payment once, not again as its touchpoint"
    event = ('{"type":"track","event":"Order Completed","messageId":"m1","userId":"%s",'
             '"timestamp":"2026-03-02T15:00:00Z","properties":{"revenue":92.5}}') % maria.id
    report = book.import_segment_events(event, poolbook.defaults(poolbook.EventMapping), OFFICE)
    assert (report.added, report.matched) == (0, 1)
    with pytest.raises(poolbook.ValidationError) as caught:
        book.change_status(maria.id, maria.version, "active", None, None, OFFICE)
    assert caught.value.field == "status"


def test_whole_book_counts_pages_and_receivables(book):
    a, c = customers(book, "A", "C")
    [b] = customers(book, "B", kind="commercial")
    book.record_touchpoints([
        touch(a, at(1, 5), "portal_login"), touch(a, at(1, 20), "portal_login"), touch(a, at(2, 3), "portal_login"),
        touch(b, at(1, 7), "portal_login"), touch(b, at(2, 10), "portal_login"), touch(c, at(2, 11), "portal_login"),
    ], OFFICE)
    query = poolbook.TouchpointCountQuery(
        filter=poolbook.BookFilter(actions=["portal_login"], since=at(1, 1), until=at(3, 1)),
        period="month", by=[poolbook.CountDimensionCustomerKind()])
    counts = book.count_touchpoints(query)
    assert [(str(c.period_start), c.group, c.touchpoints) for c in counts] == [
        ("2026-01-01", ["commercial"], 1), ("2026-01-01", ["residential"], 2),
        ("2026-02-01", ["commercial"], 1), ("2026-02-01", ["residential"], 2),
    ]
    frame = frames.counts_frame(counts, ["customer_kind"])
    assert list(frame.columns) == ["period_start", "customer_kind", "touchpoints", "value"]
    assert frame.groupby("customer_kind", observed=True)["touchpoints"].sum().to_dict() == {"commercial": 2, "residential": 4}
    first = book.find_touchpoints(channels=["portal"], since=at(1, 1), until=at(3, 1), limit=4)
    second = book.find_touchpoints(poolbook.BookFilter(channels=["portal"], since=at(1, 1), until=at(3, 1)),
                                   first.next_cursor, 4)
    assert [t.at for t in first.touchpoints + second.touchpoints] == [
        at(1, 5), at(1, 7), at(1, 20), at(2, 3), at(2, 10), at(2, 11)]
    assert len(list(book.iter_book_touchpoints(page_size=2, actions=["portal_login"]))) == 6
    invoice = poolbook.Invoice(customer_id=a, at=at(1, 1), number="1", issued_on=dt.date(2026, 1, 1),
                               due_on=dt.date(2026, 1, 15), lines=[poolbook.InvoiceLine(
                                   description="service", quantity=Decimal(1), unit_price=Decimal("100.00"))])
    book.add_invoice(invoice, OFFICE)
    owed = book.receivables(dt.date(2026, 3, 1))
    assert (owed.total_owed, owed.days_31_60, owed.customers_owing) == (Decimal("100.00"), Decimal("100.00"), 1)
    assert frames.receivables_frame(owed)["oldest_days_past_due"].tolist() == [45]
    invoices = book.find_entries(kinds=["invoice"], customer_kinds=["residential"])
    assert [e.number for e in invoices.entries] == ["1"] and invoices.next_cursor is None
    with pytest.raises(poolbook.ValidationError) as caught:
        book.find_touchpoints(since=at(3, 1), until=at(1, 1))
    assert caught.value.field == "until"


def test_retention_cohorts_and_churn_reasons(book):
    c = customers(book, "C1", "C2", "C3", status="lead")

    def status(customer: str, when: dt.datetime, action: str, **properties: object) -> poolbook.Touchpoint:
        return poolbook.Touchpoint(customer_id=customer, at=when, channel="other", direction="inbound",
                                   actor="staff", action=action, properties=dict(properties))

    book.record_touchpoints([
        status(c[0], at(1, 10, 2025), "converted"),
        status(c[1], at(1, 20, 2025), "converted"), status(c[1], at(3, 5, 2025), "churned", reason="price"),
        status(c[2], at(2, 3, 2025), "converted"),
    ], OFFICE)
    report = book.retention(poolbook.RetentionQuery(as_of=at(8, 10, 2025), months=[1, 3, 12]))
    table = [(str(k.month), k.customers, [(x.months, x.measured, x.retained) for x in k.cells]) for k in report.cohorts]
    assert table == [
        ("2025-01-01", 2, [(1, 2, 2), (3, 2, 1), (12, 0, 0)]),
        ("2025-02-01", 1, [(1, 1, 1), (3, 1, 1), (12, 0, 0)]),
    ]
    assert [(r.reason, r.customers) for r in report.churn_reasons] == [("price", 1)]
    frame = frames.retention_frame(report)
    pivot = frame.pivot(index="cohort", columns="months", values="share")
    assert pivot.loc["2025-01-01", 3] == 0.5 and pivot.isna().loc["2025-01-01", 12]
    assert frames.churn_frame(report)["reason"].tolist() == ["price"]
    with pytest.raises(poolbook.ValidationError) as caught:
        book.retention(poolbook.RetentionQuery(as_of=at(8, 10, 2025), months=[0]))
    assert caught.value.field == "months[0]"


def test_experiments_with_a_confidence_interval(book):
    ids = customers(book, *[f"P{n}" for n in range(80)])
    touchpoints = []
    for n, customer in enumerate(ids):
        variant = "A" if n < 40 else "B"
        sent = touch(customer, at(1, 5), "reminder_sent", channel="email", experiment="wording", variant=variant)
        touchpoints.append(sent)
        if (variant == "A" and n < 12) or (variant == "B" and n < 64):
            touchpoints.append(touch(customer, at(1, 8), "payment_made"))
    book.record_touchpoints(touchpoints, OFFICE)
    definition = poolbook.ExperimentDefinition(
        name="wording", variants=["A", "B"], assignment="recorded", exposure_action="reminder_sent",
        goal_action="payment_made", window_hours=7 * 24)
    report = book.experiment(definition)
    assert [(v.variant, v.people, v.converted) for v in report.variants] == [("A", 40, 12), ("B", 40, 24)]
    [b] = report.comparisons
    assert b.ci_low == pytest.approx(0.092114, abs=1e-5) and b.ci_high == pytest.approx(0.507886, abs=1e-5)
    assert b.verdict == "B converts 30.0 points better than A, 95 % CI 9.2–50.8; enough data"
    frame = frames.experiment_frame(report)
    assert frame["rate"].tolist() == [0.3, 0.6] and frame["difference"].isna().tolist() == [True, False]
    assert poolbook.assign_variant("wording", ["A", "B"], ids[0]) == poolbook.assign_variant("wording", ["A", "B"], ids[0])
    with pytest.raises(poolbook.ValidationError) as caught:
        book.experiment(poolbook.ExperimentDefinition(
            name="wording", variants=["A"], assignment="recorded", exposure_action="reminder_sent",
            goal_action="payment_made", window_hours=24))
    assert caught.value.field == "variants"
    funnel = poolbook.FunnelDefinition(steps=[poolbook.FunnelStep(action="reminder_sent"),
                                              poolbook.FunnelStep(action="payment_made")], window_hours=168)
    compared = book.compare_funnel(funnel, poolbook.DateRange(since=at(1, 1), until=at(1, 6)),
                                   poolbook.DateRange(since=at(1, 6), until=at(2, 1)))
    assert compared.before.steps[0].entered == 80 and compared.after.steps[0].entered == 0
    assert frames.comparison_frame(compared)["name"].tolist() == ["reminder_sent → payment_made", "overall"]


def test_drop_off_stages_and_engagement(book):
    p = customers(book, "P1", "P2", "P3")
    book.record_touchpoints([
        touch(p[0], at(3, 1), "email_opened", channel="email", template="statement"),
        touch(p[0], at(3, 2), "statement_viewed"), touch(p[0], at(3, 3), "payment_made"),
        touch(p[1], at(3, 1), "email_opened", channel="email", template="statement"),
        touch(p[1], at(3, 4), "payment_made"),
        touch(p[2], at(3, 1), "email_opened", channel="email", template="reminder"),
    ], OFFICE)
    step = poolbook.FunnelStep(action="email_opened", properties={"template": "statement"})
    report = book.next_actions(poolbook.NextActionsQuery(step=step, within_days=7))
    assert report.people == 2
    assert [(n.action, n.people, n.share) for n in report.next] == [("payment_made", 1, 0.5), ("statement_viewed", 1, 0.5)]
    assert frames.next_actions_frame(report)["action"].tolist() == ["payment_made", "statement_viewed", "(nothing)"]
    stopped = book.last_before_stopping(poolbook.StoppedQuery(as_of=at(4, 30), quiet_days=30))
    assert [(s.action, s.people) for s in stopped.last] == [("payment_made", 2), ("email_opened", 1)]
    stages = book.stage_report(at(3, 1), at(4, 1), "month")
    purchase = next(s for s in stages.stages if s.stage == poolbook.Stage.PURCHASE)
    assert purchase.entered == 2
    assert frames.stage_frame(stages)["entered"].sum() == 2 + 3 + 1  # purchase, awareness, retention
    journey_map = book.journey_map(customer_kind="residential", since=at(3, 1), until=at(4, 1))
    assert (journey_map.group, journey_map.people) == ("kind: residential", 3)
    mapped = frames.journey_map_frame(journey_map)
    assert mapped.loc[mapped["stage"] == "awareness", ["action", "people"]].values.tolist() == [["email_opened", 3]]
    assert mapped.loc[mapped["stage"] == "consideration", "action"].isna().tolist() == [True]
    engagement = book.engagement(poolbook.EngagementQuery(as_of=at(3, 20), window_days=30, quiet_days=15,
                                                          only_quiet=False))
    assert [(e.display_name, e.portal_recent, e.email_recent, e.trend) for e in engagement] == [
        ("P1", 2, 1, poolbook.Trend.UP), ("P2", 1, 1, poolbook.Trend.UP), ("P3", 0, 1, poolbook.Trend.UP)]
    assert frames.engagement_frame(engagement)["quiet"].tolist() == [True, True, True]


def test_feedback_closes_the_loop_and_satisfaction(book):
    new = poolbook.NewCustomer(kind="residential", display_name="Ana")
    location = poolbook.ServiceLocation(address=address())
    new.locations = [location]
    ana = book.create_customer(new, OFFICE)
    now = dt.datetime.now(UTC)
    feedback = poolbook.Feedback(customer_id=ana.id, at=now - dt.timedelta(days=3), rating=2,
                                 topics=["Water Quality"], source="survey")
    feedback = book.record_feedback(feedback, OFFICE)
    assert feedback.topics == ["water_quality"]
    issue = book.open_issue(poolbook.Issue(customer_id=ana.id, at=now - dt.timedelta(days=2),
                                           category="water_quality", summary="Cloudy water"), OFFICE)
    book.link_feedback_issue(feedback.id, issue.id, OFFICE)
    book.resolve_issue(issue.id, "Balanced the water", OFFICE)
    [follow_up] = book.feedback_follow_ups(ana.id)
    assert follow_up.what_we_did == "Balanced the water" and follow_up.days_to_fix == pytest.approx(3.0, abs=0.01)
    [topic] = book.feedback_report()
    assert (topic.topic, topic.feedback, topic.fixed, topic.share_fixed) == ("water_quality", 1, 1, 1.0)
    assert frames.feedback_frame([topic])["median_days_to_fix"].iloc[0] == pytest.approx(3.0, abs=0.01)
    assert book.set_feedback_topics(["Timing", "Portal"], OFFICE) == ["timing", "portal"]
    assert book.feedback_topics() == ["timing", "portal"]
    with pytest.raises(poolbook.ValidationError) as caught:
        book.record_feedback(poolbook.Feedback(customer_id=ana.id, at=now, rating=4, topics=["billing"]), OFFICE)
    assert caught.value.field == "topics[0]"
    satisfaction = book.satisfaction()
    assert (satisfaction.overall.responses, satisfaction.overall.average) == (1, 2.0)
    assert [d.rating for d in satisfaction.detractors] == [2]
    rows = frames.satisfaction_frame(satisfaction)
    assert rows.loc[rows["breakdown"] == "overall", "share_4_5"].tolist() == [0.0]
