// Issue 21 from Swift against the compiled library (the Kotlin OutboxTest):
// an office app reads the due messages and sends the batch; the stop card
// says when the customer was notified; a STOP reply records the opt-out; a
// template with an unknown field is refused.
import Foundation
import Poolbook
import XCTest

final class OutboxTests: XCTestCase {
    func testAnOfficeAppSendsTheBatchAndAStopReplyOptsOut() throws {
        let book = try unlockedBook()
        try book.setTimeZone(name: "America/Phoenix", author: office)
        let tech = try book.addTechnician(
            new: NewTechnician(id: newTechnicianId(), name: "Carlos Vega"), author: office)
        let owner = Contact(
            id: newContactId(), name: "Maria Lopez", role: .owner,
            phones: [Phone(number: "602 555 0101", label: nil, smsCapable: true)], primary: true)
        let luis = Contact(
            id: newContactId(), name: "Luis Lopez", role: .tenant,
            phones: [Phone(number: "602 555 0102", label: nil, smsCapable: true)], primary: false)
        var new = newCustomer()
        new.contacts = [owner, luis]
        new.locations = [
            ServiceLocation(
                id: newLocationId(),
                address: Address(
                    line1: "1420 Oak Street", line2: nil, city: "Phoenix", region: "AZ", postalCode: "85004",
                    country: "US"),
                access: AccessDetails(),
                servicePlan: ServicePlan(
                    frequency: .weekly, preferredWeekday: .tuesday, technicianId: tech.id,
                    startsOn: day(2026, 5, 4)))
        ]
        new.preferences = Preferences(
            notifyBeforeVisit: VisitNotice(channel: .sms, contactId: luis.id, leadTimeMinutes: 720),
            quietHours: TimeWindow(start: LocalTime(hour: 21, minute: 0), end: LocalTime(hour: 8, minute: 0)),
            doNotContact: false)
        let maria = try book.createCustomer(new: new, author: office)
        let now = instant("2026-05-11T12:00:00Z")
        let outbox = try book.dueMessages(at: now, horizonMinutes: 36 * 60)
        XCTAssertTrue(outbox.suppressed.isEmpty, "\(outbox)")
        XCTAssertEqual(outbox.due.count, 1, "one notice is due")
        let notice = outbox.due[0]
        XCTAssertEqual(notice.contactId, luis.id, "to Luis, not the first contact")
        XCTAssertEqual(notice.address, "+16025550102", "Luis's number")
        XCTAssertEqual(notice.sendAt, instant("2026-05-12T03:00:00Z"), "12 hours before 08:00 in Phoenix")
        XCTAssertEqual(
            notice.body, "Hi Luis, Carlos will service your pool on Tuesday, May 12. Reply STOP to opt out.")
        let sentAt = instant("2026-05-12T03:00:04Z")
        let sent = try outbox.due.map { try book.markSent(message: $0, sentAt: sentAt, author: office) }
        XCTAssertEqual(sent.map { $0.status }, [.sent], "the batch is recorded as sent")
        XCTAssertTrue(try book.dueMessages(at: now, horizonMinutes: 36 * 60).due.isEmpty, "and is not due again")
        XCTAssertEqual(
            try book.stopCard(locationId: maria.locations[0].id).customerNotifiedAt, sentAt,
            "the stop card says when the customer was notified")
        let twice = expectError(isInvalid) { _ = try book.markSent(message: notice, sentAt: sentAt, author: office) }
        XCTAssertTrue(twice.hasPrefix("invalid message.key: was already marked sent"), twice)
        let outcome = try book.recordReply(
            reply: InboundReply(
                customerId: maria.id, contactId: luis.id, channel: .sms, body: "STOP",
                at: instant("2026-05-12T03:05:00Z"), inReplyTo: sent[0].key),
            author: office)
        XCTAssertEqual(outcome.kind, .stop)
        XCTAssertTrue(outcome.optedOut, "STOP opts out")
        let consent = try XCTUnwrap(try book.customer(id: maria.id).contacts.first { $0.id == luis.id }).consents
        XCTAssertEqual(consent.count, 1, "\(consent)")
        XCTAssertEqual(consent.first?.status, .optedOut, "the opt-out is recorded for Luis and SMS")
        XCTAssertEqual(consent.first?.method, "reply STOP")
        XCTAssertEqual(
            templateFields(rule: .balanceOverdue),
            ["first_name", "customer_name", "remaining_balance", "invoice_numbers", "due_date"])
        let bad = MessageTemplate(
            rule: .visitNotice, variant: "b",
            translations: [
                TemplateText(language: "en", subject: nil, body: "Code {{gate_code}}"),
                TemplateText(language: "es", subject: nil, body: "Código {{gate_code}}"),
            ])
        let refused = expectError(isInvalid) { _ = try book.saveMessageTemplate(template: bad, author: office) }
        XCTAssertTrue(refused.hasPrefix("invalid translations[0].body: uses the unknown field {{gate_code}}"), refused)
    }
}
