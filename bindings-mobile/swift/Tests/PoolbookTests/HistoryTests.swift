// Coverage of the Swift bindings' service history and settings against the
// compiled library (the Kotlin HistoryTest): messages, issues (open,
// resolve), notes, feedback, archiving and restoring entries, reading
// series, technicians, moving a location between customers, target
// profiles, the stage map, visitor links, the default phone region and a
// closed book.
import Foundation
import Poolbook
import XCTest

final class HistoryTests: XCTestCase {
    private func visit(_ customer: Customer, _ at: String, ph: Double) -> Visit {
        Visit(
            id: newId(), customerId: customer.id, locationId: customer.locations[0].id,
            bodyOfWaterId: customer.locations[0].bodiesOfWater[0].id, at: instant(at), outcome: .completed,
            readings: Readings(freeChlorine: 3.0, ph: ph))
    }

    func testEntriesOfTheHistory() throws {
        let book = try unlockedBook()
        let customer = try book.createCustomer(new: newCustomer(), author: office)
        let message = try book.recordMessage(
            message: Message(
                id: newId(), customerId: customer.id, at: instant("2026-11-02T08:00:00Z"), channel: .sms,
                direction: .outbound, body: "On my way"),
            author: office)
        guard case .message(let stored) = try book.entry(id: message.id).entry else {
            return XCTFail("the stored entry is a message")
        }
        XCTAssertEqual(stored.body, "On my way")

        let issue = try book.openIssue(
            issue: Issue(
                id: newId(), customerId: customer.id, at: instant("2026-11-02T09:00:00Z"), category: .equipment,
                summary: "Pump hums", status: .open),
            author: office)
        let resolved = try book.resolveIssue(id: issue.id, resolution: "Replaced capacitor", author: office)
        XCTAssertEqual(resolved.status, .resolved)
        XCTAssertEqual(resolved.resolution, "Replaced capacitor")
        XCTAssertNotNil(resolved.resolvedAt)
        let again = expectError(isInvalid) { _ = try book.resolveIssue(id: issue.id, resolution: "again", author: office) }
        XCTAssertTrue(again.hasPrefix("invalid status"), again)

        let note = try book.addNote(
            note: Note(id: newId(), customerId: customer.id, at: instant("2026-11-03T09:00:00Z"), text: "Prefers mornings"),
            author: office)
        let first = try book.recordVisit(visit: visit(customer, "2026-11-04T10:00:00Z", ph: 7.4), author: office)
        _ = try book.recordVisit(visit: visit(customer, "2026-11-11T10:00:00Z", ph: 7.8), author: office)
        let feedback = try book.recordFeedback(
            feedback: Feedback(
                id: newId(), customerId: customer.id, at: instant("2026-11-04T12:00:00Z"), rating: 5,
                comment: "Sparkling", visitId: first.id),
            author: office)
        guard case .feedback(let rated) = try book.entry(id: feedback.id).entry else {
            return XCTFail("the stored entry is feedback")
        }
        XCTAssertEqual(rated.rating, 5)

        let series = try book.readingsSeries(
            bodyOfWaterId: customer.locations[0].bodiesOfWater[0].id, since: nil, until: nil)
        XCTAssertEqual(series.map(\.readings.ph), [7.4, 7.8])

        let archived = try book.archiveEntry(id: note.id, author: office)
        XCTAssertNotNil(archived.archivedAt)
        XCTAssertEqual(archived.author, office)
        XCTAssertNil(try book.restoreEntry(id: note.id, author: office).archivedAt)

        // An archived visit's touchpoint leaves the default list, not the book.
        _ = try book.archiveEntry(id: first.id, author: office)
        func completed(_ includeArchived: Bool) throws -> Int {
            try book.touchpoints(
                query: TouchpointQuery(customerId: customer.id, newestFirst: false, includeArchived: includeArchived)
            ).filter { $0.entryId == first.id }.count
        }
        XCTAssertEqual(try completed(false), 0)
        XCTAssertEqual(try completed(true), 1)
    }

    func testTechniciansLocationsAndSettings() throws {
        let book = try unlockedBook()
        let tech = try book.addTechnician(
            new: NewTechnician(id: newId(), name: "Ana Reyes", phone: "(813) 555-0100"), author: office)
        XCTAssertEqual(tech.phone, "+18135550100")
        let renamed = try book.updateTechnician(
            id: tech.id, expectedVersion: tech.version, patch: TechnicianPatch(name: "Ana R. Reyes", active: false),
            author: office)
        XCTAssertEqual(try book.technician(id: tech.id).name, "Ana R. Reyes")
        XCTAssertEqual(try book.technicians(includeInactive: false).map(\.id), [])
        XCTAssertEqual(try book.technicians(includeInactive: true).map(\.id), [renamed.id])
        let cleared = try book.updateTechnician(
            id: tech.id, expectedVersion: renamed.version, patch: TechnicianPatch(phone: .clear), author: office)
        XCTAssertNil(cleared.phone)
        XCTAssertEqual(cleared.name, "Ana R. Reyes")
        let emailed = try book.updateTechnician(
            id: tech.id, expectedVersion: cleared.version, patch: TechnicianPatch(email: .set(value: "ana@example.com")),
            author: office)
        XCTAssertEqual(emailed.email, "ana@example.com")

        let maria = try book.createCustomer(new: newCustomer(), author: office)
        let hoa = try book.createCustomer(new: newCustomer(name: "Sunset HOA"), author: office)
        let moved = try book.transferLocation(locationId: maria.locations[0].id, to: hoa.id, author: office)
        XCTAssertTrue(moved.from.locations.isEmpty)
        XCTAssertEqual(moved.to.locations.count, 2)
        XCTAssertEqual(try book.stopCard(locationId: maria.locations[0].id).customerId, hoa.id)

        var profile = try XCTUnwrap(try book.targetProfiles().first)
        profile.name = "Our spas"
        _ = try book.putTargetProfile(profile: profile, author: office)
        XCTAssertEqual(try book.targetProfiles().filter { $0.name == "Our spas" }, [profile])

        var stages = defaultStageMap()
        stages["call"] = .purchase
        try book.setStageMap(map: stages, author: office)
        XCTAssertEqual(try book.stageMap()["call"], .purchase)

        try book.linkVisitor(visitorId: "anon-1", customerId: maria.id, author: office)
        try book.unlinkVisitor(visitorId: "anon-1", author: office)
        let actions = try book.changeLog(query: ChangeLogQuery(entity: .visitor, entityId: "anon-1")).map(\.action)
        XCTAssertEqual(actions, [.linked, .unlinked])

        try book.setDefaultRegion(code: "GB", author: office)
        XCTAssertEqual(
            try book.defaultRegion(),
            Region(code: "GB", callingCode: "44", trunkPrefix: "0", minNationalLength: 9, maxNationalLength: 10))
        let unknown = expectError(isInvalid) { try book.setDefaultRegion(code: "XX", author: office) }
        XCTAssertTrue(unknown.contains("XX") || unknown.contains("region"), unknown)

        try book.close()
        _ = expectError(isClosed) { _ = try book.technicians(includeInactive: true) }
    }
}
