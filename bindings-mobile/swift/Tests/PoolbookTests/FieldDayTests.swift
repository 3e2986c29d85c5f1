// The technician's field day from Swift, against the compiled library (the
// Kotlin FieldDayTest): open a book file, fill it with the demo company,
// load a day's route, read a stop card and reveal its gate code, record a
// completed and a skipped visit, read the timeline back, check a validation
// error's text, and find the day in the file after reopening it.
import Foundation
import Poolbook
import XCTest

final class FieldDayTests: XCTestCase {
    func testFieldDay() throws {
        let path = temporaryBookPath("fieldday")
        defer { removeBook(path) }
        var completedId = ""
        do {
            let book = try unlockedBook(path: path)
            var options = defaultDemoOptions()
            options.customers = 40
            options.technicians = 2
            options.weeks = 4
            let summary = try populateDemo(book: book, options: options)
            XCTAssertEqual(summary.technicians.count, 2)
            XCTAssertEqual(summary.customers.count, 40)

            // The first day (going back from the demo's last day) with a stop behind a coded gate.
            let calendar = Calendar(identifier: .gregorian)
            let through = calendar.date(from: day(2026, 11, 20).dateComponents)!
            var found: (Route, StopCard)?
            search: for tech in summary.technicians {
                for back in 0..<14 {
                    let date = calendar.date(byAdding: .day, value: -back, to: through)!
                    let parts = calendar.dateComponents([.year, .month, .day], from: date)
                    let route = try book.route(technicianId: tech, date: day(parts.year!, parts.month!, parts.day!))
                    if let stop = route.stops.first(where: { $0.gateCode != nil && !$0.bodiesOfWater.isEmpty }) {
                        found = (route, stop)
                        break search
                    }
                }
            }
            let (route, stop) = try XCTUnwrap(found, "a route with a stop behind a coded gate")
            XCTAssertFalse(route.stops.isEmpty)
            XCTAssertTrue(summary.technicians.contains(route.technician.id))

            // The stop card at the gate: masked until revealed.
            let card = try book.stopCard(locationId: stop.locationId)
            XCTAssertEqual(card.customerName, stop.customerName)
            let sealed = try XCTUnwrap(card.gateCode)
            XCTAssertTrue(sealed.isSealed)
            XCTAssertEqual("\(sealed)", "[sealed]")
            XCTAssertNil(sealed.reveal())
            let technician = Author(kind: .technician, id: route.technician.id)
            let gate = try XCTUnwrap(
                try book.revealSecret(
                    locationId: stop.locationId, field: .gateCode, author: technician, reason: "at the gate")?
                    .reveal())
            XCTAssertFalse(gate.isEmpty)
            XCTAssertNotEqual(gate, "[redacted]")
            XCTAssertFalse("\(card)".contains(gate), "a printed stop card must not carry the gate code")
            XCTAssertFalse(String(reflecting: card).contains(gate), "nor a debug-printed one")
            XCTAssertTrue("\(card)".contains("[sealed]"))
            let audit = try book.secretReveals(query: SecretRevealQuery(locationId: stop.locationId))
            XCTAssertEqual(audit.map(\.reason), ["at the gate"])
            XCTAssertEqual(audit.first?.author, technician)

            let tech = route.technician
            let author = Author(kind: .technician, id: tech.id)
            let body = card.bodiesOfWater[0].body

            // A completed visit with readings; its assessment reads back.
            let readings = Readings(
                freeChlorine: 3.0, combinedChlorine: 0.2, ph: 7.6, totalAlkalinity: 90, cyanuricAcid: 40,
                calciumHardness: 300, temperatureF: 80)
            let completed = try book.recordVisit(
                visit: Visit(
                    id: newId(), customerId: card.customerId, locationId: card.locationId, bodyOfWaterId: body.id,
                    technicianId: tech.id, at: instant("2026-11-21T15:30:00Z"), outcome: .completed,
                    readings: readings, measuredBy: .photometer,
                    chemicals: [ChemicalDose(product: "Liquid chlorine", amount: 1.5, unit: .gallons)],
                    tasks: ["brushed", "skimmed"], durationMinutes: 25),
                author: author)
            completedId = completed.id
            let assessment = try book.assessVisit(visitId: completed.id, method: .tfp)
            XCTAssertEqual(assessment.readings, readings)
            XCTAssertEqual(assessment.at, instant("2026-11-21T15:30:00Z"))
            guard case .computed(let expected) = saturationIndex(readings: readings, method: .tfp) else {
                return XCTFail("the CSI computes")
            }
            let index = try XCTUnwrap(assessment.saturationIndex)
            XCTAssertEqual(index.value, expected.value, accuracy: 1e-12)
            XCTAssertEqual(index.method, .tfp)
            XCTAssertTrue((-0.6...0.6).contains(index.value), "a balanced pool's CSI is near zero")

            // A skipped visit: the gate was locked.
            let skipped = try book.recordVisit(
                visit: Visit(
                    id: newId(), customerId: card.customerId, locationId: card.locationId, bodyOfWaterId: body.id,
                    technicianId: tech.id, at: instant("2026-11-21T16:10:00Z"), outcome: .skipped,
                    skipReason: .lockedGate, readings: Readings(), notes: "gate locked, no answer"),
                author: author)

            // The timeline, newest first, has both.
            let page = try book.timeline(
                query: TimelineQuery(
                    customerId: card.customerId, locationId: nil, kinds: [.visit], includeChanges: false, limit: 10))
            let visits: [Visit] = page.items.compactMap {
                if case .entry(let entry, _) = $0, case .visit(let visit) = entry { return visit }
                return nil
            }
            XCTAssertEqual(visits.prefix(2).map(\.id), [skipped.id, completed.id])
            XCTAssertEqual(visits[0].skipReason, .lockedGate)
            XCTAssertEqual(visits[0].notes, "gate locked, no answer")
            XCTAssertEqual(visits[1].outcome, .completed)
            XCTAssertEqual(visits[1].readings, readings)
            XCTAssertEqual(visits[1].chemicals, [ChemicalDose(product: "Liquid chlorine", amount: 1.5, unit: .gallons)])

            // The stop card now shows the latest visit.
            XCTAssertEqual(try book.stopCard(locationId: stop.locationId).lastVisit?.visitId, skipped.id)

            // Validation errors name the field.
            var bad = completed
            bad.id = newId()
            bad.readings.ph = -1
            let message = expectError(isInvalid) { _ = try book.recordVisit(visit: bad, author: author) }
            XCTAssertTrue(message.contains("ph"), message)
            let phone = expectError(isInvalid) {
                _ = try normalizePhone(input: "call the office", regionCode: "US", field: "contacts[0].phones[0].number")
            }
            XCTAssertTrue(phone.hasPrefix("invalid contacts[0].phones[0].number"), phone)

            // A closed book says so.
            try book.close()
            XCTAssertEqual(expectError(isClosed) { _ = try book.technicians(includeInactive: true) }, "the book is closed")
        }

        // The file keeps the day.
        let reopened = try unlockedBook(path: path)
        guard case .visit(let visit) = try reopened.entry(id: completedId).entry else {
            return XCTFail("the stored entry is a visit")
        }
        XCTAssertEqual(visit.readings.ph, 7.6)
        try reopened.close()
    }
}
