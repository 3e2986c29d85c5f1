// Per-area coverage of the Swift bindings against the compiled library (the
// Kotlin CoverageTest): the customer record (create, read, update,
// conflict, archive, restore, list, search, change log), times of day, one
// book shared across threads, closing, the ledger in Foundation.Decimal,
// the journey (touchpoints, import, funnel, response times, attribution,
// segments) over the demo company, and the chemistry functions.
import Foundation
import Poolbook
import XCTest

final class CoverageTests: XCTestCase {
    /// The demo company, built once for the tests that only read it.
    static let demo: Book = {
        let book = try! unlockedBook()
        var options = defaultDemoOptions()
        options.customers = 60
        options.technicians = 2
        options.weeks = 12
        _ = try! populateDemo(book: book, options: options)
        return book
    }()

    func testCustomerRecordLifecycle() throws {
        let book = try unlockedBook()
        let created = try book.createCustomer(new: newCustomer(), author: office)
        XCTAssertEqual(created.version, 1)
        XCTAssertEqual(created.displayName, "Maria Lopez")
        XCTAssertEqual(created.billing.rate, money("85.00"))
        XCTAssertEqual(created.customFields, ["hoa_gate": "north"])
        XCTAssertEqual(created.contacts[0].phones[0].number, "+18135550142")
        XCTAssertEqual(created.locations[0].access.gateCode?.isSealed, true)
        XCTAssertEqual(try gateCode(book, created.locations[0].id), "4417#")
        XCTAssertEqual(try book.customer(id: created.id), created)

        let renamed = try book.updateCustomer(
            id: created.id, expectedVersion: 1, patch: CustomerPatch(displayName: "Maria L. Lopez"), author: office)
        XCTAssertEqual(renamed.version, 2)
        XCTAssertEqual(try book.customer(id: created.id).displayName, "Maria L. Lopez")

        let stale = expectError(isConflict) {
            _ = try book.updateCustomer(
                id: created.id, expectedVersion: 1, patch: CustomerPatch(tags: ["vip"]), author: office)
        }
        XCTAssertTrue(stale.contains("version 1"), stale)

        let archived = try book.archiveCustomer(id: created.id, expectedVersion: 2, author: office)
        XCTAssertNotNil(archived.archivedAt)
        let live = CustomerQuery(archived: .exclude)
        XCTAssertFalse(try book.listCustomers(query: live).customers.contains { $0.id == created.id })
        XCTAssertEqual(
            try book.listCustomers(query: CustomerQuery(archived: .only)).customers.map(\.id), [created.id])
        let restored = try book.restoreCustomer(id: created.id, expectedVersion: archived.version, author: office)
        XCTAssertNil(restored.archivedAt)
        XCTAssertEqual(try book.listCustomers(query: live).customers.map(\.id), [created.id])

        let missing = expectError(isNotFound) { _ = try book.customer(id: newId()) }
        XCTAssertTrue(missing.hasPrefix("customer "), missing)

        let gallons = expectError(isInvalid) {
            _ = try book.createCustomer(new: newCustomer(name: "Bad Pool", gallons: -5), author: office)
        }
        XCTAssertTrue(gallons.contains("gallons"), gallons)
    }

    func testTimesOfDayAndPreferencesRoundTrip() throws {
        let book = try unlockedBook()
        var new = newCustomer()
        let window = AccessWindow(
            days: [.monday, .thursday], start: LocalTime(hour: 8, minute: 0),
            end: LocalTime(hour: 12, minute: 30, second: 15))
        new.locations[0].access.accessHours = [window]
        let quiet = TimeWindow(start: LocalTime(hour: 21, minute: 0), end: LocalTime(hour: 7, minute: 0))
        new.preferences = Preferences(preferredServiceDay: .thursday, quietHours: quiet, language: "es", doNotContact: false)
        let created = try book.createCustomer(new: new, author: office)
        let stored = try book.customer(id: created.id)
        XCTAssertEqual(stored.locations[0].access.accessHours, [window])
        XCTAssertEqual(stored.preferences.quietHours, quiet)
        XCTAssertEqual(stored.locations[0].access.accessHours[0].end.iso, "12:30:15")
        XCTAssertEqual(LocalTime(parsing: "07:05"), LocalTime(hour: 7, minute: 5))
        XCTAssertNil(LocalTime(parsing: "seven"))
        XCTAssertLessThan(LocalTime(hour: 7, minute: 0), LocalTime(hour: 21, minute: 0))

        // A time the library cannot hold is a thrown error, not a crash, and changes nothing.
        var late = newCustomer(name: "Late Gate")
        late.locations[0].access.accessHours = [
            AccessWindow(days: [.monday], start: LocalTime(hour: 25, minute: 0), end: LocalTime(hour: 26, minute: 0))
        ]
        XCTAssertThrowsError(try book.createCustomer(new: late, author: office))
        XCTAssertEqual(try book.listCustomers(query: CustomerQuery(archived: .exclude)).customers.count, 1)
    }

    func testOneBookSharedAcrossThreads() throws {
        let book = Self.demo
        let lock = NSLock()
        var hits: [Int] = []
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let count = (try? book.searchCustomers(query: "a", limit: 5).count) ?? -1
            lock.withLock { hits.append(count) }
        }
        XCTAssertEqual(hits.count, 8)
        XCTAssertTrue(hits.allSatisfy { $0 == hits[0] && $0 > 0 }, "\(hits)")
    }

    func testClosingTheBookReleasesIt() throws {
        let book = try unlockedBook()
        XCTAssertEqual(try book.defaultRegion().code, "US")
        try book.close()
        XCTAssertEqual(expectError(isClosed) { _ = try book.defaultRegion() }, "the book is closed")
    }

    func testSearchAndChangeLog() throws {
        let book = try unlockedBook()
        let maria = try book.createCustomer(new: newCustomer(), author: office)
        _ = try book.createCustomer(new: newCustomer(name: "Sunset HOA", phone: "(813) 555-0199"), author: office)
        XCTAssertEqual(try book.searchCustomers(query: "lopez", limit: 10).first?.customerId, maria.id)
        XCTAssertEqual(try book.searchCustomers(query: "555-0142", limit: 10).first?.customerId, maria.id)
        XCTAssertTrue(try book.searchCustomers(query: "nobody-by-this-name", limit: 10).isEmpty)
        XCTAssertEqual(try book.searchCustomers(query: "lpoez", limit: 10).map(\.customerId), [maria.id], "a typo is forgiven")

        var location = maria.locations[0]
        location.access.gateCode = MaskedSecret("9001*")
        _ = try book.updateCustomer(
            id: maria.id, expectedVersion: 1, patch: CustomerPatch(locations: [location]), author: office)

        let log = try book.changeLog(query: ChangeLogQuery(customerId: maria.id))
        XCTAssertEqual(log.filter { $0.entity == .customer }.map(\.action), [.created])
        XCTAssertEqual(log.filter { $0.entity == .location }.map(\.action), [.created, .updated])
        XCTAssertEqual(
            Set(log.filter { $0.action == .created }.map(\.entity)), [.customer, .contact, .location, .bodyOfWater])
        XCTAssertTrue(log.allSatisfy { $0.author == office && $0.customerId == maria.id })
        let secretChanges = log.filter { $0.action == .updated }.flatMap(\.changes).filter(\.secret)
        XCTAssertEqual(secretChanges.count, 1)
        XCTAssertTrue(secretChanges[0].field.hasSuffix("gate_code"))
        XCTAssertFalse(secretChanges[0].before.contains("4417#") || secretChanges[0].after.contains("9001*"))
        XCTAssertEqual(try gateCode(book, maria.locations[0].id), "9001*")

        let customerRows = try book.changeLog(query: ChangeLogQuery(entity: .customer))
        XCTAssertFalse(customerRows.isEmpty)
        XCTAssertTrue(customerRows.allSatisfy { $0.entity == .customer })
        let invalid = expectError(isInvalid) { _ = try book.changeLog(query: ChangeLogQuery(entityId: maria.id)) }
        XCTAssertEqual(invalid, "invalid entity: is required with entity_id")
    }

    func testLedgerInDecimal() throws {
        let book = try unlockedBook()
        let customer = try book.createCustomer(new: newCustomer(), author: office)
        let invoice = try book.addInvoice(
            invoice: Invoice(
                id: newId(), customerId: customer.id, at: instant("2026-11-01T12:00:00Z"), number: "INV-1001",
                issuedOn: day(2026, 11, 1), dueOn: day(2026, 11, 30),
                lines: [InvoiceLine(description: "Weekly service", quantity: money("4"), unitPrice: money("85.00"))],
                taxRate: money("0.075")),
            author: office)
        _ = try book.recordPayment(
            payment: Payment(
                id: newId(), customerId: customer.id, at: instant("2026-11-10T12:00:00Z"),
                receivedOn: day(2026, 11, 10), amount: money("100.00"), method: .card,
                applications: [Application(invoiceId: invoice.id, amount: money("100.00"))]),
            author: office)
        _ = try book.addCredit(
            credit: Credit(
                id: newId(), customerId: customer.id, at: instant("2026-11-12T12:00:00Z"), postedOn: day(2026, 11, 12),
                kind: .credit, amount: money("15.50"), reason: "missed visit", invoiceId: invoice.id),
            author: office)
        // 4 × 85.00 = 340.00, + 7.5 % tax = 365.50; − 100.00 paid − 15.50 credited = 250.00.
        XCTAssertEqual(try book.balance(customerId: customer.id), money("250.00"))
        let ledger = try book.ledger(customerId: customer.id)
        XCTAssertEqual(ledger.balance(), money("250.00"))
        XCTAssertEqual(ledger.balanceOn(day: day(2026, 11, 5)), money("365.50"))
        XCTAssertEqual(ledger.unapplied(), money("0"))
        XCTAssertEqual(ledger.invoiceBalances().map(\.invoiceId), [invoice.id])
        XCTAssertTrue(ledger.isOverdue(asOf: day(2027, 1, 15)))
        XCTAssertFalse(ledger.isOverdue(asOf: day(2026, 11, 20)))
        let november = try ledger.statement(from: day(2026, 11, 1), to: day(2026, 11, 30))
        XCTAssertEqual(november.closingBalance, money("250.00"))

        let lines = try book.invoiceBalances(customerId: customer.id)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines[0].total, money("365.50"))
        XCTAssertEqual(lines[0].paid, money("100.00"))
        XCTAssertEqual(lines[0].credited, money("15.50"))
        XCTAssertEqual(lines[0].remaining, money("250.00"))
        XCTAssertEqual(lines[0].dueOn, day(2026, 11, 30))

        let statement = try book.statement(customerId: customer.id, from: day(2026, 11, 1), to: day(2026, 11, 30))
        XCTAssertEqual(statement.lines.map(\.kind), [.invoice, .payment, .credit])
        XCTAssertEqual(statement.closingBalance, money("250.00"))
        let aging = try book.aging(customerId: customer.id, asOf: day(2027, 1, 15))
        XCTAssertEqual(aging.days31To60, money("250.00"))
        XCTAssertEqual(aging.totalDue, money("250.00"))
    }

    func testJourneyTouchpointsAndImport() throws {
        let book = try unlockedBook()
        let customer = try book.createCustomer(new: newCustomer(), author: office)
        let touch = Touchpoint(
            id: newId(), customerId: customer.id, at: instant("2026-11-02T09:00:00Z"), channel: .website,
            direction: .inbound, actor: .customer, action: "estimate_requested", campaign: "fall-promo",
            properties: ["page": "\"/estimate\""], sourceSystem: "web", sourceEventId: "evt-1")
        XCTAssertEqual(try book.recordTouchpoints(touchpoints: [touch], author: office).added, 1)
        var again = touch
        again.id = newId()
        XCTAssertEqual(try book.recordTouchpoints(touchpoints: [again], author: office).skipped, 1)
        let stored = try book.touchpoints(query: TouchpointQuery(customerId: customer.id, newestFirst: false, excludeOperations: true))
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored[0].campaign, "fall-promo")
        XCTAssertEqual(stored[0].properties["page"], "\"/estimate\"")
        XCTAssertEqual(stored[0].stage ?? defaultStageMap()["estimate_requested"], defaultStageMap()["estimate_requested"])

        try book.linkVisitor(visitorId: "anon-7", customerId: customer.id, author: office)
        let events = [
            #"{"type":"track","event":"Email Opened","messageId":"m-1","userId":"\#(customer.id)","timestamp":"2026-11-03T10:00:00Z"}"#,
            "not json",
            #"{"type":"page","messageId":"m-2","anonymousId":"anon-7","timestamp":"2026-11-03T10:05:00Z","properties":{"path":"/pricing"}}"#,
        ].joined(separator: "\n")
        let report = try book.importSegmentEvents(input: events, mapping: defaultEventMapping(), author: office)
        XCTAssertEqual(report.added, 2)
        XCTAssertEqual(report.rejected.map(\.line), [2])
        XCTAssertEqual(
            try book.importSegmentEvents(input: events, mapping: defaultEventMapping(), author: office).added, 0)
        XCTAssertEqual(try book.touchpoints(query: TouchpointQuery(customerId: customer.id, newestFirst: true, excludeOperations: true)).count, 3)
        XCTAssertEqual(try book.stageMap(), defaultStageMap())
    }

    func testJourneyReportsOverTheDemo() throws {
        let demo = Self.demo
        let funnel = try demo.funnel(
            definition: FunnelDefinition(
                steps: [
                    FunnelStep(action: "estimate_requested", channels: []),
                    FunnelStep(action: "payment_made", channels: []),
                ],
                windowHours: 24 * 90))
        XCTAssertEqual(funnel.all.steps.map(\.action), ["estimate_requested", "payment_made"])
        XCTAssertGreaterThan(funnel.all.steps[0].entered, 0)
        XCTAssertLessThanOrEqual(funnel.all.steps[1].entered, funnel.all.steps[0].entered)
        XCTAssertEqual(funnel.all.steps[0].entered, funnel.new.steps[0].entered + funnel.returning.steps[0].entered)

        let response = try demo.leadResponseTimes(query: ResponseTimeQuery(targetMinutes: 60))
        XCTAssertGreaterThan(response.leads, 0)
        XCTAssertLessThanOrEqual(response.answered, response.leads)
        XCTAssertTrue((0.0...1.0).contains(response.withinTarget))

        let attribution = try demo.attribution(
            query: AttributionQuery(conversionAction: "payment_made", lookbackDays: 30, halfLifeDays: 7))
        XCTAssertGreaterThan(attribution.conversions, 0)
        XCTAssertEqual(
            Set(attribution.models.map(\.model)), [.firstTouch, .lastTouch, .linear, .positionBased, .timeDecay])
        let firstTouch = try XCTUnwrap(attribution.models.first { $0.model == .firstTouch })
        XCTAssertGreaterThan(firstTouch.byChannel.values.reduce(Decimal(0), +), 0)

        let segment = try demo.saveSegment(
            segment: Segment(name: "residential", rules: [.kind(kind: .residential)]), author: office)
        XCTAssertEqual(try demo.segments().map(\.name), ["residential"])
        let members = try demo.segmentMembers(name: segment.name, asOf: instant("2026-11-20T00:00:00Z"))
        XCTAssertFalse(members.isEmpty)
        let residential = try demo.listCustomers(
            query: CustomerQuery(kind: .residential, archived: .exclude, limit: 500))
        XCTAssertEqual(Set(residential.customers.map(\.id)), Set(members.map(\.customerId)))
        XCTAssertEqual(try demo.evaluateSegment(segment: segment, asOf: instant("2026-11-20T00:00:00Z")), members)
    }

    func testChemistryFunctions() throws {
        let profiles = try Self.demo.targetProfiles()
        let profile = try XCTUnwrap(
            bestProfile(profiles: profiles, kind: .pool, sanitizer: .chlorine, surface: .plaster))
        let readings = Readings(
            freeChlorine: 0.5, ph: 8.4, totalAlkalinity: 90, cyanuricAcid: 40, calciumHardness: 300, temperatureF: 80)
        let flags = flagReadings(profile: profile, readings: readings, csi: nil)
        XCTAssertTrue(flags.contains { $0.parameter == .ph && $0.level == .high })
        XCTAssertTrue(flags.contains { $0.parameter == .freeChlorine && $0.level == .low })
        guard case .cannotCompute(let needs, _) = saturationIndex(readings: Readings(ph: 7.5), method: .tfp) else {
            return XCTFail("a CSI without alkalinity, hardness and temperature cannot compute")
        }
        XCTAssertEqual(needs, ["total alkalinity", "calcium hardness", "temperature"])
        let plan = ServicePlan(frequency: .weekly, preferredWeekday: .tuesday, startsOn: day(2026, 1, 6))
        XCTAssertTrue(planDueOn(plan: plan, date: day(2026, 11, 17)))
        XCTAssertFalse(planDueOn(plan: plan, date: day(2026, 11, 18)))
        XCTAssertEqual(try normalizePhone(input: "813.555.0142", regionCode: "US", field: "phone"), "+18135550142")
        XCTAssertEqual(try Self.demo.defaultRegion().code, "US")
    }
}
