// The API added with core's own derives, from Swift (the Kotlin MendsTest):
// fresh UUIDv7 ids, the book's time zone, authors by name, unmapped journey
// actions, every problem of a record in one error, clearing a technician's
// phone, batches that land whole or not at all, the documented ranges, a
// book opened read-only, read-only SQL, checked backups and open options.
import Foundation
import Poolbook
import XCTest

final class MendsTests: XCTestCase {
    func testFreshIdsAreTimeOrderedUuidVersion7() {
        let ids = [newCustomerId(), newContactId(), newLocationId(), newBodyOfWaterId(), newTechnicianId(), newEntryId()]
        for id in ids { XCTAssertEqual(Array(id)[14], "7", "version nibble of \(id)") }
        XCTAssertEqual(Set(ids).count, 6)
    }

    func testTimeZoneAndAuthorsByName() throws {
        let book = try unlockedBook()
        XCTAssertEqual(try book.timeZone(), "UTC")
        try book.setTimeZone(name: "America/Phoenix", author: office)
        XCTAssertEqual(try book.timeZone(), "America/Phoenix")
        let bad = expectError(isInvalid) { try book.setTimeZone(name: "Mars/Olympus", author: office) }
        XCTAssertTrue(bad.hasPrefix("invalid time_zone: "), bad)
        let ana = try book.addTechnician(new: NewTechnician(id: newTechnicianId(), name: "Ana Reyes"), author: office)
        XCTAssertEqual(try book.authorName(author: Author(kind: .technician, id: ana.id)), "Ana Reyes")
        XCTAssertEqual(try book.authorName(author: office), "dana@office (office)")
    }

    func testUnmappedActionsAndEveryProblemAtOnce() throws {
        let book = try unlockedBook()
        let customer = try book.createCustomer(new: newCustomer(), author: office)
        _ = try book.recordTouchpoints(
            touchpoints: [
                Touchpoint(
                    id: newEntryId(), customerId: customer.id, at: instant("2026-05-04T09:00:00Z"), channel: .website,
                    direction: .inbound, actor: .customer, action: "brochure_downloaded", properties: [:])
            ],
            author: office)
        let unmapped = try book.unmappedActions()
        XCTAssertEqual(unmapped.map(\.action), ["brochure_downloaded"])
        XCTAssertEqual(unmapped.first?.touchpoints, 1)
        let stored = try book.touchpoints(query: TouchpointQuery(customerId: customer.id, newestFirst: false))
        XCTAssertEqual(stored.count, 1)
        XCTAssertNil(stored.first?.stage)

        let bad = newCustomer(name: " ", phone: "call me")
        let error = expectError(isInvalid) { _ = try book.createCustomer(new: bad, author: office) }
        XCTAssertTrue(error.hasPrefix("invalid display_name: must not be empty; invalid contacts[0].name"), error)
        XCTAssertTrue(error.contains("; invalid contacts[0].phones[0].number: contains letters"), error)
    }

    func testATechniciansPhoneCanBeCleared() throws {
        let book = try unlockedBook()
        let ana = try book.addTechnician(
            new: NewTechnician(id: newTechnicianId(), name: "Ana Reyes", phone: "(602) 555-0100"), author: office)
        XCTAssertEqual(ana.phone, "+16025550100")
        let cleared = try book.updateTechnician(
            id: ana.id, expectedVersion: ana.version, patch: TechnicianPatch(phone: .clear), author: office)
        XCTAssertNil(cleared.phone)
        XCTAssertNil(try book.technician(id: ana.id).phone)
    }

    func testBatchesLandWholeOrNotAtAll() throws {
        let book = try unlockedBook()
        let bad = expectError(isInvalid) {
            _ = try book.createCustomers(
                news: [newCustomer(), newCustomer(name: "Sam Lee", phone: "call me")], author: office)
        }
        XCTAssertTrue(bad.hasPrefix("invalid customers[1].contacts[0].phones[0].number"), bad)
        XCTAssertEqual(try book.listCustomers(query: CustomerQuery(archived: .exclude)).customers.count, 0)
        let pair = try book.createCustomers(
            news: [newCustomer(), newCustomer(name: "Sam Lee", phone: "(813) 555-0143")], author: office)
        XCTAssertEqual(pair.count, 2)
        let maria = pair[0]
        XCTAssertEqual(try book.customer(id: pair[1].id).displayName, "Sam Lee")

        let invoice = Invoice(
            id: newEntryId(), customerId: maria.id, at: instant("2026-10-01T12:00:00Z"), number: "2026-0001",
            issuedOn: day(2026, 10, 1), dueOn: day(2026, 10, 16),
            lines: [InvoiceLine(description: "Weekly pool service", quantity: money("1"), unitPrice: money("165.00"))])
        let payment = Payment(
            id: newEntryId(), customerId: maria.id, at: instant("2026-10-05T12:00:00Z"), receivedOn: day(2026, 10, 5),
            amount: money("100.00"), method: .card,
            applications: [Application(invoiceId: invoice.id, amount: money("100.00"))])
        let stored = try book.recordEntries(entries: [.invoice(invoice), .payment(payment)], author: office)
        XCTAssertEqual(stored.count, 2)
        XCTAssertEqual(try book.balance(customerId: maria.id), money("65.00"))
    }

    func testValuesOutsideTheDocumentedRangesAreRefused() throws {
        let book = try unlockedBook()
        let maria = try book.createCustomer(new: newCustomer(), author: office)
        let invoice = Invoice(
            id: newEntryId(), customerId: maria.id, at: instant("2026-03-01T12:00:00Z"), number: "2026-0001",
            issuedOn: day(2026, 3, 1), dueOn: day(2026, 3, 15),
            lines: [
                InvoiceLine(
                    description: "Service", quantity: money("1"), unitPrice: money("79228162514264337593543950335"))
            ])
        let tooMuch = expectError(isInvalid) { _ = try book.addInvoice(invoice: invoice, author: office) }
        XCTAssertTrue(tooMuch.hasPrefix("invalid lines[0].unit_price: must be at most 1000000000"), tooMuch)
        XCTAssertEqual(try book.balance(customerId: maria.id), money("0"))
        let quiet = Segment(name: "quiet", rules: [.noTouchpointFor(days: 4_294_967_295)])
        let days = expectError(isInvalid) { _ = try book.saveSegment(segment: quiet, author: office) }
        XCTAssertTrue(days.hasPrefix("invalid rules[0].days: must be at most 36525 days"), days)
        let yearOne = Visit(
            id: newEntryId(), customerId: maria.id, locationId: maria.locations[0].id,
            at: instant("0001-01-01T00:30:00Z"), outcome: .completed, readings: Readings())
        let at = expectError(isInvalid) { _ = try book.recordVisit(visit: yearOne, author: office) }
        XCTAssertTrue(at.hasPrefix("invalid at: must be from 1900-01-01 to 2199-12-31"), at)
    }

    func testABookOpenedReadOnlyRefusesWritesByKind() throws {
        let path = temporaryBookPath("readonly")
        defer { removeBook(path) }
        let writer = try unlockedBook(path: path)
        let maria = try writer.createCustomer(new: newCustomer(), author: office)
        try writer.close()

        let reader = try Book.openReadOnly(path: path)
        try reader.unlock(provider: testKey)
        XCTAssertEqual(try reader.customer(id: maria.id).displayName, maria.displayName)
        let refused = expectError(isReadOnly) { _ = try reader.createCustomer(new: newCustomer(), author: office) }
        XCTAssertTrue(refused.hasPrefix("the book is read-only: "), refused)
        let report = try reader.checkIntegrity()
        XCTAssertTrue(report.ok, "\(report.problems)")
        XCTAssertEqual(report.customersChecked, 1)
        try reader.close()

        let notes = temporaryBookPath("notes")
        defer { removeBook(notes) }
        try String(repeating: "Gate code is on the fridge. ", count: 200).write(
            toFile: notes, atomically: true, encoding: .utf8)
        _ = expectError(isNotABook) { _ = try Book.open(path: notes) }
    }

    func testSqlReadsThroughTheBooksOwnConnectionAndRefusesWritesAndSecrets() throws {
        let book = try unlockedBook()
        _ = try book.createCustomer(new: newCustomer(), author: office)
        let rows = try book.sql(
            query: "SELECT count(*) AS n, ?1 AS t, ?2 AS r FROM customers",
            params: [.text(value: "oak"), .real(value: 2.5)])
        XCTAssertEqual(rows.columns, ["n", "t", "r"])
        XCTAssertEqual(rows.rows, [[.integer(value: 1), .text(value: "oak"), .real(value: 2.5)]])
        for query in ["DELETE FROM customers", "SELECT gate_code FROM location_secrets", "PRAGMA busy_timeout = 1"] {
            let error = expectError(isInvalid) { _ = try book.sql(query: query, params: []) }
            XCTAssertTrue(error.hasPrefix("invalid query: "), "\(query): \(error)")
        }
        XCTAssertEqual(try book.listCustomers(query: CustomerQuery(archived: .exclude)).customers.count, 1)
    }

    func testABackupIsACheckedCopyThatRestoresByOpeningIt() throws {
        let path = temporaryBookPath("book")
        let target = temporaryBookPath("backup")
        defer {
            removeBook(path)
            removeBook(target)
        }
        let book = try unlockedBook(path: path)
        let maria = try book.createCustomer(new: newCustomer(), author: office)
        let report = try book.backupTo(path: target)
        XCTAssertEqual(report.path, target)
        XCTAssertEqual(report.customers, 1)
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: target)[.size] as? NSNumber)
        XCTAssertEqual(report.bytes, size.uint64Value)
        let again = expectError(isInvalid) { _ = try book.backupTo(path: target) }
        XCTAssertTrue(again.hasPrefix("invalid path: "), again)
        try book.close()

        let restored = try Book.open(path: target)
        XCTAssertEqual(try restored.customer(id: maria.id), maria)
        XCTAssertTrue(try restored.checkIntegrity().ok)
    }

    func testOpenWithTakesABusyTimeoutAndACheckOnOpen() throws {
        let path = temporaryBookPath("open")
        defer { removeBook(path) }
        let writer = try unlockedBook(path: path)
        _ = try writer.createCustomer(new: newCustomer(), author: office)
        try writer.close()
        let options = OpenOptions(readOnly: true, busyTimeoutMs: 250, checkOnOpen: .always)
        let book = try Book.openWith(path: path, options: options)
        try book.unlock(provider: testKey)
        XCTAssertEqual(try book.listCustomers(query: CustomerQuery(archived: .exclude)).customers.count, 1)
        _ = expectError(isReadOnly) { _ = try book.createCustomer(new: newCustomer(), author: office) }
        try book.close()
        let error = expectError(isInvalid) {
            _ = try Book.openWith(path: path, options: OpenOptions(busyTimeoutMs: 700_000, checkOnOpen: .smallFiles))
        }
        XCTAssertTrue(error.hasPrefix("invalid options.busy_timeout_ms"), error)
    }
}
