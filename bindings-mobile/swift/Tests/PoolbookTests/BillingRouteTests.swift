// Issue 18 from Swift (the Kotlin BillingRouteTest): invoices drafted from
// rates, visits and priced chemicals, issued under the book's sequence and
// never billed twice; payments applied on their own day, refunds, a paid
// invoice not voided; a technician's day in driving order with arrivals in
// the book's time zone; turnover; the stop card's preferences.
import Foundation
import Poolbook
import XCTest

final class BillingRouteTests: XCTestCase {
    /// A customer on a weekly Tuesday plan with `tech`, at (0, `longitude`) when given.
    private func served(_ book: Book, _ name: String, _ tech: Technician, _ longitude: Double?) throws -> Customer {
        var new = newCustomer(name: name)
        new.billing = Billing(rate: money("45.00"), rateBasis: .perVisit, termsDays: 15)
        new.locations = [
            ServiceLocation(
                id: newId(),
                address: Address(
                    line1: "\(name.count) Ocotillo Rd", line2: nil, city: "Phoenix", region: "AZ",
                    postalCode: "85004", country: "US"),
                coordinates: longitude.map { GeoPoint(latitude: 0, longitude: $0) },
                access: AccessDetails(),
                servicePlan: ServicePlan(
                    frequency: .weekly, preferredWeekday: .tuesday, technicianId: tech.id,
                    startsOn: day(2026, 1, 6), billsChemicals: true))
        ]
        return try book.createCustomer(new: new, author: office)
    }

    func testBillingRoutesTurnoverAndTheStopCard() throws {
        let book = try unlockedBook()
        try book.setTimeZone(name: "America/Phoenix", author: office)
        var settings = try book.billingSettings()
        settings.taxRate = money("0.0825")
        settings.chemicalPrices = [
            ChemicalPrice(product: "liquid chlorine", unit: .gallons, unitPrice: money("5.25"))
        ]
        _ = try book.setBillingSettings(settings: settings, author: office)
        let ana = try book.addTechnician(new: NewTechnician(id: newId(), name: "Ana Reyes"), author: office)
        let ben = try book.addTechnician(new: NewTechnician(id: newId(), name: "Ben Ortiz"), author: office)
        let avery = try served(book, "Avery", ana, nil)
        _ = try book.recordVisit(
            visit: Visit(
                id: newId(), customerId: avery.id, locationId: avery.locations[0].id,
                at: instant("2026-03-03T16:00:00Z"), outcome: .completed, readings: Readings(),
                chemicals: [ChemicalDose(product: "Liquid Chlorine", amount: 2.5, unit: .gallons)]),
            author: office)

        // A month's invoice, drafted, issued, and never drafted again.
        let march = BillingPeriod(from: day(2026, 3, 1), to: day(2026, 3, 31))
        let april1 = DraftOptions(issuedOn: day(2026, 4, 1))
        let drafts = try book.draftInvoices(period: march, options: april1)
        XCTAssertEqual(
            drafts.first?.invoice.lines.map(\.description),
            ["Service visit 2026-03-03", "Liquid Chlorine, 2.5 gal (2026-03-03)"])
        XCTAssertEqual(drafts.first?.total, money("59.21"), "45.00 + 13.13 + 1.08 tax")
        let issued = try book.issueInvoices(drafts: drafts, author: office)
        XCTAssertEqual(issued.map(\.number), ["1001"], "numbered from the book's sequence")
        XCTAssertTrue(try book.draftInvoices(period: march, options: april1).isEmpty, "nothing is billed twice")
        let stale = errorMessage { _ = try book.issueInvoices(drafts: drafts, author: office) }
        XCTAssertTrue(stale.contains("drafts[0]"), stale)

        // Paid on its own day, the overpayment refunded, a paid invoice not voided.
        let payment = try book.recordPayment(
            payment: Payment(
                id: newId(), customerId: avery.id, at: instant("2026-04-05T19:00:00Z"),
                receivedOn: day(2026, 4, 5), amount: money("100.00"), method: .card),
            author: office)
        let applied = try book.applyPayment(
            paymentId: payment.id, invoiceId: issued[0].id, amount: money("59.21"), on: day(2026, 4, 20),
            author: office)
        XCTAssertEqual(applied.applications[0].appliedOn, day(2026, 4, 20), "the application's day")
        _ = try book.refundPayment(
            paymentId: payment.id, amount: money("40.79"), on: day(2026, 4, 21), reason: "overpaid",
            author: office)
        let statement = try book.statement(customerId: avery.id, from: day(2026, 4, 1), to: day(2026, 4, 30))
        XCTAssertEqual(statement.lines.map(\.description), ["Invoice 1001", "Payment (card)", "Refund: overpaid"])
        XCTAssertEqual(statement.closingBalance, money("0.00"), "settled")
        let paid = errorMessage {
            _ = try book.voidInvoice(invoiceId: issued[0].id, on: day(2026, 4, 22), reason: "no", author: office)
        }
        XCTAssertTrue(paid.contains("refund the payment or credit the invoice"), paid)

        // A day in driving order, arrivals in Phoenix time.
        for (name, longitude) in [("Adams", 0.03), ("Baker", 0.01), ("Clark", nil), ("Davis", 0.02)]
            as [(String, Double?)]
        {
            _ = try served(book, name, ben, longitude)
        }
        let tuesday = day(2026, 3, 3)
        let options = RouteOptions(
            start: GeoPoint(latitude: 0, longitude: 0), end: GeoPoint(latitude: 0, longitude: 0.04),
            departAt: LocalTime(hour: 8, minute: 0), averageSpeedKmh: 30, serviceMinutes: 30)
        let route = try book.orderedRoute(technicianId: ben.id, date: tuesday, options: options)
        XCTAssertEqual(route.stops.map { $0.card.customerName }, ["Baker", "Davis", "Adams", "Clark"], "driving order")
        let arrivals: [LocalTime?] = [
            LocalTime(hour: 8, minute: 2, second: 13), LocalTime(hour: 8, minute: 34, second: 27),
            LocalTime(hour: 9, minute: 6, second: 40), nil,
        ]
        XCTAssertEqual(route.stops.map { $0.arrivalLocal }, arrivals, "arrivals in Phoenix time")
        XCTAssertEqual(route.stops[0].arrival, instant("2026-03-03T15:02:13Z"), "the first arrival as an instant")
        XCTAssertTrue(route.stops[3].noCoordinates, "no coordinates: last, flagged")
        XCTAssertEqual(route.distanceKm, 4 * 1.111951, accuracy: 1e-3, "four legs of 0.01°")
        XCTAssertEqual(route.nameOrderDistanceKm, 8 * 1.111951, accuracy: 1e-3, "eight in name order")

        // Turnover: plans left behind are named, then moved.
        let left = errorMessage {
            _ = try book.updateTechnician(
                id: ben.id, expectedVersion: ben.version, patch: TechnicianPatch(active: false), author: office)
        }
        XCTAssertTrue(left.contains("4 service plans still naming this technician"), left)
        XCTAssertEqual(try book.reassignPlans(from: ben.id, to: ana.id, author: office).count, 4, "every plan moves")
        let gone = try book.deactivateTechnician(id: ben.id, expectedVersion: ben.version, plansTo: nil, author: office)
        XCTAssertFalse(gone.active, "deactivated")
        let inactive = errorMessage {
            _ = try book.orderedRoute(technicianId: ben.id, date: tuesday, options: RouteOptions())
        }
        XCTAssertFalse(inactive.isEmpty, "no route for an inactive technician")

        // The stop card: the last visits, preferences, coordinates.
        let card = try book.stopCard(locationId: avery.locations[0].id)
        XCTAssertNil(card.recentVisits.first?.technicianName, "the visit named no technician")
        XCTAssertEqual(card.recentVisits.count, 1)
        XCTAssertEqual(card.lastVisit, card.recentVisits.first, "the last visit is the first of the last three")
        let davis = try XCTUnwrap(try book.listCustomers(query: CustomerQuery(archived: .exclude)).customers.last)
        let updated = try book.updateCustomer(
            id: davis.id, expectedVersion: davis.version,
            patch: CustomerPatch(
                preferences: Preferences(
                    preferredChannel: .email, preferredServiceDay: .tuesday, language: "es-MX",
                    waterConcerns: ["algae"], doNotContact: false)),
            author: office)
        let davisCard = try book.stopCard(locationId: updated.locations[0].id)
        XCTAssertEqual(davisCard.waterConcerns, ["algae"])
        XCTAssertEqual(davisCard.preferredChannel, .email)
        XCTAssertEqual(davisCard.language, "es-MX", "the customer's language")
        XCTAssertEqual(davisCard.coordinates, GeoPoint(latitude: 0, longitude: 0.02), "the location's coordinates")
    }
}
