"""The outbox from Python (issue 21): due messages with their exact words, sending a batch, replies and
opt-outs, templates checked when saved, the outbox as a DataFrame and reply rates per template variant."""

from __future__ import annotations

import datetime as dt
from typing import Tuple

import pytest

import poolbook
from poolbook import frames

from conftest import OFFICE, address

UTC = dt.timezone.utc


def notified_customer(book: poolbook.Book) -> Tuple[poolbook.Customer, poolbook.Contact]:
    """Maria Lopez in Phoenix; her tenant Luis (not the first number) gets an SMS 12 hours before each Tuesday visit."""
    book.set_time_zone("America/Phoenix", OFFICE)
    tech = book.add_technician(poolbook.NewTechnician(name="Carlos Vega"), OFFICE)
    owner = poolbook.Contact(
        name="Maria Lopez", role=poolbook.ContactRole.OWNER, primary=True,
        phones=[poolbook.Phone(number="602 555 0101", sms_capable=True)],
    )
    luis = poolbook.Contact(
        name="Luis Lopez", role=poolbook.ContactRole.TENANT,
        phones=[poolbook.Phone(number="602 555 0102", sms_capable=True)],
    )
    location = poolbook.ServiceLocation(address=address("1420 Oak Street"))
    location.service_plan = poolbook.ServicePlan(
        frequency=poolbook.Frequency.WEEKLY, preferred_weekday=poolbook.Weekday.TUESDAY,
        technician_id=tech.id, starts_on=dt.date(2026, 5, 4),
    )
    new = poolbook.NewCustomer(kind=poolbook.CustomerKind.RESIDENTIAL, display_name="Maria Lopez")
    new.contacts = [owner, luis]
    new.locations = [location]
    new.preferences.notify_before_visit = poolbook.VisitNotice(
        channel=poolbook.ContactChannel.SMS, contact_id=luis.id, lead_time_minutes=720
    )
    new.preferences.quiet_hours = poolbook.TimeWindow(start=dt.time(21, 0), end=dt.time(8, 0))
    return book.create_customer(new, OFFICE), luis


NOW = dt.datetime(2026, 5, 11, 12, 0, tzinfo=UTC)  # Monday 05:00 in Phoenix


def test_due_messages_name_the_contact_address_time_and_words_and_a_sent_batch_is_not_due_again(
    book: poolbook.Book,
) -> None:
    maria, luis = notified_customer(book)
    outbox = book.due_messages(NOW, 36 * 60)
    assert outbox.suppressed == []
    [notice] = outbox.due
    assert notice.key == f"visit_notice:{maria.locations[0].id}:2026-05-12:{luis.id}:sms"
    assert notice.rule == poolbook.OutboxRule.VISIT_NOTICE
    assert notice.contact_id == luis.id
    assert notice.address == "+16025550102"
    # 08:00 Tuesday less 12 hours: 20:00 Monday in Phoenix, before quiet hours.
    assert notice.send_at == dt.datetime(2026, 5, 12, 3, 0, tzinfo=UTC)
    assert notice.body == "Hi Luis, Carlos will service your pool on Tuesday, May 12. Reply STOP to opt out."
    assert (notice.template, notice.variant, notice.language) == ("visit_notice", "a", "en")

    # The office app sends the batch and reports each message sent.
    sent_at = dt.datetime(2026, 5, 12, 3, 0, 4, tzinfo=UTC)
    records = [book.mark_sent(message, sent_at, OFFICE) for message in outbox.due]
    assert [r.status for r in records] == [poolbook.OutboxStatus.SENT]
    assert book.due_messages(NOW, 36 * 60).due == []
    assert book.stop_card(maria.locations[0].id).customer_notified_at == sent_at
    delivered = book.mark_delivered(records[0].key, sent_at + dt.timedelta(seconds=3), OFFICE)
    assert delivered.status == poolbook.OutboxStatus.DELIVERED
    with pytest.raises(poolbook.ValidationError) as refused:
        book.mark_sent(notice, sent_at, OFFICE)
    assert refused.value.field == "message.key"


def test_a_stop_reply_records_the_opt_out_and_reply_rates_count_it(book: poolbook.Book) -> None:
    maria, luis = notified_customer(book)
    [notice] = book.due_messages(NOW, 36 * 60).due
    record = book.mark_sent(notice, dt.datetime(2026, 5, 12, 3, 0, tzinfo=UTC), OFFICE)
    reply = poolbook.InboundReply(
        customer_id=maria.id, contact_id=luis.id, channel=poolbook.ContactChannel.SMS, body="Stop",
        at=dt.datetime(2026, 5, 12, 3, 5, tzinfo=UTC), in_reply_to=record.key,
    )
    outcome = book.record_reply(reply, OFFICE)
    assert outcome.kind == poolbook.ReplyKind.STOP and outcome.opted_out
    assert outcome.message.direction == poolbook.Direction.INBOUND
    stored = book.customer(maria.id)
    consent = [c for c in stored.contacts if c.id == luis.id][0].consents[0]
    assert (consent.channel, consent.status, consent.method) == (
        poolbook.ContactChannel.SMS, poolbook.ConsentStatus.OPTED_OUT, "reply STOP"
    )
    assert stored.preferences.notify_before_visit is None
    [replied] = book.outbox_records(keys=[record.key])
    assert replied.reply_kind == poolbook.ReplyKind.STOP
    [rate] = book.reply_rates()
    assert (rate.template, rate.variant, rate.sent, rate.replied, rate.stopped, rate.rate) == (
        "visit_notice", "a", 1, 1, 1, 1.0
    )
    pd = pytest.importorskip("pandas")
    rates = frames.reply_rate_frame(book)
    assert list(rates["rate"]) == [1.0] and str(rates["sent"].dtype) == "int64"
    book.mark_failed(record.key, "number not in service", dt.datetime(2026, 5, 12, 4, 0, tzinfo=UTC), OFFICE)
    [failed] = book.outbox_records(status="failed")
    assert failed.failure == "number not in service"
    assert isinstance(rates, pd.DataFrame)


def test_the_outbox_as_a_dataframe_shows_due_and_held_back_messages(book: poolbook.Book) -> None:
    pd = pytest.importorskip("pandas")
    maria, luis = notified_customer(book)
    # A second customer who asked not to be contacted: a skipped visit's notice is held back.
    quiet = poolbook.NewCustomer(kind=poolbook.CustomerKind.RESIDENTIAL, display_name="Dee Nott")
    quiet.contacts = [poolbook.Contact(
        name="Dee Nott", role=poolbook.ContactRole.OWNER, primary=True,
        phones=[poolbook.Phone(number="602 555 0105", sms_capable=True)],
    )]
    quiet.locations = [poolbook.ServiceLocation(address=address("9 Elm Street"))]
    quiet.preferences.do_not_contact = True
    dee = book.create_customer(quiet, OFFICE)
    visit = poolbook.Visit(
        customer_id=dee.id, location_id=dee.locations[0].id, at=dt.datetime(2026, 5, 11, 11, 0, tzinfo=UTC),
        outcome=poolbook.VisitOutcome.SKIPPED, skip_reason=poolbook.SkipReason.DOG_OUT,
    )
    book.record_visit(visit, OFFICE)
    rows = frames.outbox_rows(book, NOW, 36 * 60)
    assert [(r["rule"], r.get("address"), r["suppressed"] if "suppressed" in r else None) for r in rows] == [
        (poolbook.OutboxRule.VISIT_NOTICE, "+16025550102", None),
        (poolbook.OutboxRule.SKIPPED_VISIT, None, "suppressed: Dee Nott asked not to be contacted"),
    ]
    frame = frames.outbox_frame(book, NOW, 36 * 60)
    assert list(frame["rule"]) == ["visit_notice", "skipped_visit"]
    assert frame["send_at"].iloc[0] == pd.Timestamp("2026-05-12T03:00:00Z")
    assert pd.isna(frame["send_at"].iloc[1])
    assert frame["suppressed"].iloc[1] == "suppressed: Dee Nott asked not to be contacted"
    assert str(frame["send_at"].dtype).startswith("datetime64") and str(frame["rule"].dtype) == "category"


def test_templates_are_checked_when_saved(book: poolbook.Book) -> None:
    assert poolbook.template_fields(poolbook.OutboxRule.PARTIAL_PAYMENT) == [
        "first_name", "customer_name", "payment_amount", "remaining_balance", "invoice_numbers",
    ]
    bad = poolbook.MessageTemplate(
        rule=poolbook.OutboxRule.VISIT_NOTICE, variant="b",
        translations=[poolbook.TemplateText(language="en", body="Gate code {{gate_code}}"),
                      poolbook.TemplateText(language="es", body="Código {{gate_code}}")],
    )
    with pytest.raises(poolbook.ValidationError) as refused:
        book.save_message_template(bad, OFFICE)
    assert refused.value.field == "translations[0].body"
    assert "unknown field {{gate_code}}" in str(refused.value)
    good = poolbook.MessageTemplate(
        rule=poolbook.OutboxRule.VISIT_NOTICE, variant="b",
        translations=[poolbook.TemplateText(language="en", body="{{first_name}}: pool day {{visit_date}}"),
                      poolbook.TemplateText(language="es", body="{{first_name}}: visita {{visit_date}}")],
    )
    book.save_message_template(good, OFFICE)
    variants = [t.variant for t in book.message_templates() if t.rule == poolbook.OutboxRule.VISIT_NOTICE]
    assert variants == ["b"]
    book.remove_message_template(poolbook.OutboxRule.VISIT_NOTICE, "b", OFFICE)
    settings = book.outbox_settings()
    assert settings.languages == ["en", "es"]
    settings.office_email = "office@bluewater.example"
    assert book.set_outbox_settings(settings, OFFICE).office_email == "office@bluewater.example"
