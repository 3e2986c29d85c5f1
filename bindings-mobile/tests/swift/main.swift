// The Swift checks of poolbook's bindings, against the compiled library (a
// checks program: it runs every check, prints each failure, and exits 1 if
// any failed). The field day: open a book file, fill it with the demo
// company, load a day's route, read a stop card and reveal its gate code,
// record a completed and a skipped visit, read the timeline back, check a
// validation error's text; then the customer record, the ledger in
// Foundation.Decimal, and the journey.
import Foundation
import Poolbook

var failures = 0
func check(_ condition: @autoclosure () throws -> Bool, _ what: String, line: Int = #line) {
    do {
        if try !condition() {
            failures += 1
            print("FAIL line \(line): \(what)")
        }
    } catch {
        failures += 1
        print("FAIL line \(line): \(what): threw \(error)")
    }
}

/// The message of the PoolbookError the body throws ("" if it throws none).
func errorMessage(_ body: () throws -> Void) -> String {
    do {
        try body()
        return ""
    } catch let error as PoolbookError {
        switch error {
        case .Invalid(let message), .NotFound(let message), .Conflict(let message),
            .UnsupportedSchema(let message), .Closed(let message), .Busy(let message), .ReadOnly(let message),
            .NotABook(let message), .Corrupt(let message), .Locked(let message), .WrongKey(let message),
            .TamperedSecret(let message), .Storage(let message):
            return message
        }
    } catch {
        return "unexpected error \(error)"
    }
}

func newId() -> String { newEntryId() }
let office = Author(kind: .office, id: "dana@office")

/// A key provider written in Swift, as one over the iOS Keychain would be.
final class Keychain: KeyProvider, @unchecked Sendable {
    let key: Data?
    private let lock = NSLock()
    private var given: [Data] = []
    init(_ key: Data?) { self.key = key }
    /// The salts the book handed over, in order.
    var salts: [Data] { lock.withLock { given } }
    func keyEncryptionKey(salt: Data) -> Data? {
        lock.withLock { given.append(salt) }
        return key
    }
}

/// The key every test book is sealed with.
let testKey = Keychain(Data(repeating: 0x42, count: 32))

/// Opens a book file, unlocked with the test key.
func unlockedBook(path: String) throws -> Book {
    let book = try Book.open(path: path)
    try book.unlock(provider: testKey)
    return book
}

/// A new in-memory book, unlocked with the test key.
func unlockedBook() throws -> Book {
    let book = try Book.openInMemory()
    try book.unlock(provider: testKey)
    return book
}

/// The gate code of a location, revealed (and audited) as the office.
func gateCode(_ book: Book, _ locationId: String) throws -> String? {
    try book.revealSecret(locationId: locationId, field: .gateCode, author: office, reason: "a check at the gate")?.reveal()
}
func instant(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
func money(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

func newCustomer(name: String = "Maria Lopez", gallons: Double? = 15000) -> NewCustomer {
    NewCustomer(
        id: newId(), kind: .residential, displayName: name, status: .active,
        billing: Billing(rate: money("85.00"), rateBasis: .perVisit, termsDays: 30),
        tags: ["weekly"], customFields: ["hoa_gate": "north"],
        contacts: [
            Contact(
                id: newId(), name: name, role: .owner,
                phones: [Phone(number: "(813) 555-0142", label: "mobile", smsCapable: true)],
                emails: ["maria@example.com"], primary: true)
        ],
        locations: [
            ServiceLocation(
                id: newId(),
                address: Address(
                    line1: "12 Palm Way", line2: nil, city: "Tampa", region: "FL", postalCode: "33602",
                    country: "US"),
                bodiesOfWater: [
                    BodyOfWater(
                        id: newId(), name: "Main pool", kind: .pool, gallons: gallons, surface: .plaster,
                        sanitizer: .chlorine, setting: .outdoor)
                ],
                access: AccessDetails(gateCode: MaskedSecret("4417#")))
        ],
        preferences: Preferences(doNotContact: false))
}

func fieldDay() throws {
    let path = NSTemporaryDirectory() + "poolbook-fieldday-\(newId()).db"
    defer { try? FileManager.default.removeItem(atPath: path) }
    var completedId = ""
    do {
        let book = try unlockedBook(path: path)
        var options = defaultDemoOptions()
        options.customers = 40
        options.technicians = 2
        options.weeks = 4
        let summary = try populateDemo(book: book, options: options)
        check(summary.technicians.count == 2, "two technicians")

        var found: (Route, StopCard)?
        search: for tech in summary.technicians {
            for back in 0..<14 {
                let day = Calendar(identifier: .gregorian).date(
                    byAdding: .day, value: -back, to: LocalDate(year: 2026, month: 11, day: 20).dateComponents.date!)!
                let parts = Calendar(identifier: .gregorian).dateComponents([.year, .month, .day], from: day)
                let route = try book.route(
                    technicianId: tech, date: LocalDate(year: parts.year!, month: parts.month!, day: parts.day!))
                if let stop = route.stops.first(where: { $0.gateCode != nil && !$0.bodiesOfWater.isEmpty }) {
                    found = (route, stop)
                    break search
                }
            }
        }
        guard let (route, stop) = found else {
            check(false, "a route with a coded gate")
            return
        }

        let card = try book.stopCard(locationId: stop.locationId)
        let sealed = card.gateCode!
        check(sealed.isSealed && "\(sealed)" == "[sealed]" && sealed.reveal() == nil, "the gate code reads back sealed")
        let technician = Author(kind: .technician, id: route.technician.id)
        let gate = try book.revealSecret(
            locationId: stop.locationId, field: .gateCode, author: technician, reason: "at the gate")!.reveal()!
        check(!gate.isEmpty && gate != "[redacted]", "revealSecret gives the code")
        check(!"\(card)".contains(gate), "a printed stop card does not carry the gate code")
        check(!String(reflecting: card).contains(gate), "a debug-printed stop card does not either")
        let audit = try book.secretReveals(query: SecretRevealQuery(locationId: stop.locationId))
        check(audit.count == 1 && audit[0].reason == "at the gate" && audit[0].author == technician, "the reveal is audited")

        let tech = route.technician
        let author = Author(kind: .technician, id: tech.id)
        let body = card.bodiesOfWater[0].body
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
        check(assessment.readings == readings, "the assessment reads the readings back")
        check(assessment.at == instant("2026-11-21T15:30:00Z"), "the assessment's instant")
        if case .computed(let index) = saturationIndex(readings: readings, method: .tfp) {
            check(abs(assessment.saturationIndex!.value - index.value) < 1e-12, "the CSI reads back")
            check(abs(index.value) < 0.6, "a balanced pool's CSI is near zero")
        } else {
            check(false, "the CSI computes")
        }

        let skipped = try book.recordVisit(
            visit: Visit(
                id: newId(), customerId: card.customerId, locationId: card.locationId, bodyOfWaterId: body.id,
                technicianId: tech.id, at: instant("2026-11-21T16:10:00Z"), outcome: .skipped,
                skipReason: .lockedGate, readings: Readings(), notes: "gate locked, no answer"),
            author: author)

        let page = try book.timeline(
            query: TimelineQuery(
                customerId: card.customerId, locationId: nil, kinds: [.visit], includeChanges: false, limit: 10))
        let visits: [Visit] = page.items.compactMap {
            if case .entry(let entry, _) = $0, case .visit(let visit) = entry { return visit }
            return nil
        }
        check(visits.prefix(2).map(\.id) == [skipped.id, completed.id], "the timeline, newest first")
        check(visits.first?.skipReason == .lockedGate, "the skipped visit's reason")
        check(visits.dropFirst().first?.readings == readings, "the completed visit's readings")
        check(try book.stopCard(locationId: stop.locationId).lastVisit?.visitId == skipped.id, "the card's last visit")

        var bad = completed
        bad.id = newId()
        bad.readings.ph = -1
        let message = errorMessage { _ = try book.recordVisit(visit: bad, author: author) }
        check(message.hasPrefix("invalid ") && message.contains("ph"), "a validation error names the field: \(message)")
        let phone = errorMessage { _ = try normalizePhone(input: "call the office", regionCode: "US", field: "contacts[0].phones[0].number") }
        check(phone.hasPrefix("invalid contacts[0].phones[0].number"), "the phone error names the field: \(phone)")
        try book.close()
        check(errorMessage { _ = try book.technicians(includeInactive: true) } == "the book is closed", "a closed book says so")
    }
    let reopened = try Book.open(path: path)
    if case .visit(let visit) = try reopened.entry(id: completedId).entry {
        check(visit.readings.ph == 7.6, "the file keeps the visit")
    } else {
        check(false, "the stored entry is a visit")
    }
}

func customerRecord() throws {
    let book = try unlockedBook()
    let created = try book.createCustomer(new: newCustomer(), author: office)
    check(created.version == 1, "a new customer is version 1")
    check(created.billing.rate == money("85.00"), "the rate is a Decimal")
    check(created.contacts[0].phones[0].number == "+18135550142", "phones are normalised")
    check(created.locations[0].access.gateCode?.isSealed == true, "the gate code is stored sealed")
    check(try gateCode(book, created.locations[0].id) == "4417#", "the gate code is kept")
    check(try book.customer(id: created.id) == created, "the customer reads back")
    let renamed = try book.updateCustomer(
        id: created.id, expectedVersion: 1, patch: CustomerPatch(displayName: "Maria L. Lopez"), author: office)
    check(renamed.version == 2, "an update bumps the version")
    let conflict = errorMessage {
        _ = try book.updateCustomer(id: created.id, expectedVersion: 1, patch: CustomerPatch(tags: ["vip"]), author: office)
    }
    check(conflict.hasPrefix("conflict:"), "a stale update is a conflict: \(conflict)")
    let archived = try book.archiveCustomer(id: created.id, expectedVersion: 2, author: office)
    check(archived.archivedAt != nil, "archived")
    check(try book.listCustomers(query: CustomerQuery(archived: .exclude)).customers.isEmpty, "archived customers are not listed")
    let restored = try book.restoreCustomer(id: created.id, expectedVersion: archived.version, author: office)
    check(restored.archivedAt == nil, "restored")
    check(try book.searchCustomers(query: "lopez", limit: 10).first?.customerId == created.id, "search finds her")
    let log = try book.changeLog(query: ChangeLogQuery(customerId: created.id))
    let customerLog = log.filter { $0.entity == .customer }.map(\.action)
    check(customerLog == [.created, .updated, .archived, .restored], "the change log: \(customerLog)")
    let gallons = errorMessage { _ = try book.createCustomer(new: newCustomer(name: "Bad", gallons: -5), author: office) }
    check(gallons.contains("gallons"), "negative gallons name the field: \(gallons)")
}

func historyAndTechnicians() throws {
    let book = try unlockedBook()
    let customer = try book.createCustomer(new: newCustomer(), author: office)
    let issue = try book.openIssue(
        issue: Issue(
            id: newId(), customerId: customer.id, at: instant("2026-11-02T09:00:00Z"), category: .equipment,
            summary: "Pump hums", status: .open),
        author: office)
    let resolved = try book.resolveIssue(id: issue.id, resolution: "Replaced capacitor", author: office)
    check(resolved.status == .resolved && resolved.resolution == "Replaced capacitor", "an issue resolves")
    let note = try book.addNote(
        note: Note(id: newId(), customerId: customer.id, at: instant("2026-11-03T09:00:00Z"), text: "Prefers mornings"),
        author: office)
    check(try book.archiveEntry(id: note.id, author: office).archivedAt != nil, "a note archives")
    let tech = try book.addTechnician(
        new: NewTechnician(id: newId(), name: "Ana Reyes", phone: "(813) 555-0100"), author: office)
    check(tech.phone == "+18135550100", "a technician's phone is normalised")
    let cleared = try book.updateTechnician(
        id: tech.id, expectedVersion: tech.version, patch: TechnicianPatch(phone: .clear), author: office)
    check(cleared.phone == nil, "a technician's phone clears")
    let window = AccessWindow(days: [.monday], start: "08:00:00", end: "12:30:00")
    var location = customer.locations[0]
    location.access.accessHours = [window]
    let updated = try book.updateCustomer(
        id: customer.id, expectedVersion: customer.version, patch: CustomerPatch(locations: [location]), author: office)
    check(updated.locations[0].access.accessHours == [window], "access hours round-trip as HH:MM:SS")
}

func ledger() throws {
    let book = try unlockedBook()
    let customer = try book.createCustomer(new: newCustomer(), author: office)
    let invoice = try book.addInvoice(
        invoice: Invoice(
            id: newId(), customerId: customer.id, at: instant("2026-11-01T12:00:00Z"), number: "INV-1001",
            issuedOn: LocalDate(year: 2026, month: 11, day: 1), dueOn: LocalDate(year: 2026, month: 11, day: 30),
            lines: [InvoiceLine(description: "Weekly service", quantity: 4, unitPrice: money("85.00"))],
            taxRate: money("0.075")),
        author: office)
    _ = try book.recordPayment(
        payment: Payment(
            id: newId(), customerId: customer.id, at: instant("2026-11-10T12:00:00Z"),
            receivedOn: LocalDate(year: 2026, month: 11, day: 10), amount: money("100.00"), method: .card,
            applications: [Application(invoiceId: invoice.id, amount: money("100.00"))]),
        author: office)
    check(try book.balance(customerId: customer.id) == money("265.50"), "365.50 invoiced − 100.00 paid")
    let line = try book.invoiceBalances(customerId: customer.id)[0]
    check(line.total == money("365.50") && line.remaining == money("265.50"), "the invoice balance")
    check(line.dueOn == LocalDate(year: 2026, month: 11, day: 30), "the due day reads back")
    let aging = try book.aging(customerId: customer.id, asOf: LocalDate(year: 2027, month: 1, day: 15))
    check(aging.days31To60 == money("265.50"), "aged 31–60 days")
    let ledger = try book.ledger(customerId: customer.id)
    check(ledger.balance() == money("265.50"), "the ledger object's balance")
    check(ledger.balanceOn(day: LocalDate(year: 2026, month: 11, day: 5)) == money("365.50"), "the balance on a day")
    check(ledger.invoiceBalances().map(\.invoiceId) == [invoice.id], "the ledger's invoices")
    check(ledger.isOverdue(asOf: LocalDate(year: 2027, month: 1, day: 15)), "overdue in January")
    check(!ledger.isOverdue(asOf: LocalDate(year: 2026, month: 11, day: 20)), "not overdue before the due day")
}

func journey() throws {
    let book = try unlockedBook()
    var options = defaultDemoOptions()
    options.customers = 60
    options.technicians = 2
    options.weeks = 12
    _ = try populateDemo(book: book, options: options)
    let funnel = try book.funnel(
        definition: FunnelDefinition(
            steps: [FunnelStep(action: "estimate_requested", channels: []), FunnelStep(action: "payment_made", channels: [])],
            windowHours: 24 * 90))
    check(funnel.all.steps.map(\.action) == ["estimate_requested", "payment_made"], "the funnel's steps")
    check(funnel.all.steps[0].entered > 0 && funnel.all.steps[1].entered <= funnel.all.steps[0].entered, "a funnel narrows")
    let response = try book.leadResponseTimes(query: ResponseTimeQuery(targetMinutes: 60))
    check(response.leads > 0 && response.answered <= response.leads, "lead response times")
    let attribution = try book.attribution(
        query: AttributionQuery(conversionAction: "payment_made", lookbackDays: 30, halfLifeDays: 7))
    check(attribution.conversions > 0 && attribution.models.count == 5, "attribution under five models")
    let segment = try book.saveSegment(
        segment: Segment(name: "residential", rules: [.kind(kind: .residential)]), author: office)
    let members = try book.segmentMembers(name: segment.name, asOf: instant("2026-11-20T00:00:00Z"))
    check(!members.isEmpty, "the segment has members")
    let customer = try book.createCustomer(new: newCustomer(), author: office)
    let report = try book.recordTouchpoints(
        touchpoints: [
            Touchpoint(
                id: newId(), customerId: customer.id, at: instant("2026-11-02T09:00:00Z"), channel: .website,
                direction: .inbound, actor: .customer, action: "estimate_requested", properties: [:],
                sourceSystem: "web", sourceEventId: "evt-1")
        ], author: office)
    check(report.added == 1, "a touchpoint is recorded")
    check(try book.touchpoints(query: TouchpointQuery(customerId: customer.id, newestFirst: true)).count == 1, "and read back")
}

func mends() throws {
    let ids = [newCustomerId(), newContactId(), newLocationId(), newBodyOfWaterId(), newTechnicianId(), newEntryId()]
    check(ids.allSatisfy { Array($0)[14] == "7" }, "fresh ids are UUIDv7")
    let book = try unlockedBook()
    check(try book.timeZone() == "UTC", "UTC until set")
    try book.setTimeZone(name: "America/Phoenix", author: office)
    check(try book.timeZone() == "America/Phoenix", "the time zone reads back")
    check(errorMessage { try book.setTimeZone(name: "Mars/Olympus", author: office) }.hasPrefix("invalid time_zone: "),
          "a bad zone names the field")
    let ana = try book.addTechnician(
        new: NewTechnician(id: newTechnicianId(), name: "Ana Reyes", phone: "(602) 555-0100"), author: office)
    check(try book.authorName(author: Author(kind: .technician, id: ana.id)) == "Ana Reyes", "an author by name")
    let cleared = try book.updateTechnician(
        id: ana.id, expectedVersion: ana.version, patch: TechnicianPatch(phone: .clear), author: office)
    check(cleared.phone == nil, "a technician's phone can be cleared")
    let customer = try book.createCustomer(new: newCustomer(), author: office)
    _ = try book.recordTouchpoints(
        touchpoints: [
            Touchpoint(
                id: newEntryId(), customerId: customer.id, at: instant("2026-05-04T09:00:00Z"), channel: .website,
                direction: .inbound, actor: .customer, action: "brochure_downloaded", properties: [:])
        ], author: office)
    let unmapped = try book.unmappedActions()
    check(unmapped.count == 1 && unmapped[0].action == "brochure_downloaded" && unmapped[0].touchpoints == 1,
          "an unmapped action is listed")
    let message = errorMessage { _ = try book.createCustomer(new: newCustomer(name: " "), author: office) }
    check(message.hasPrefix("invalid display_name: must not be empty; invalid contacts[0].name"),
          "one error names every bad field: \(message)")
    let batchError = errorMessage {
        _ = try book.createCustomers(news: [newCustomer(), newCustomer(name: " ")], author: office)
    }
    check(batchError.hasPrefix("invalid customers[1].display_name"), "a batch names the bad record: \(batchError)")
    let pair = try book.createCustomers(news: [newCustomer(name: "Sam Lee"), newCustomer(name: "Ana Rivera")], author: office)
    let note = Note(id: newEntryId(), customerId: pair[0].id, at: instant("2026-10-01T12:00:00Z"), text: "Gate sticks")
    let stored = try book.recordEntries(entries: [.note(note)], author: office)
    let read = try book.entry(id: note.id)
    check(stored.count == 1 && read.entry == .note(note), "a batch of one entry")
    let quiet = Segment(name: "quiet", rules: [.noTouchpointFor(days: 4294967295)])
    check(errorMessage { _ = try book.saveSegment(segment: quiet, author: office) }
        .hasPrefix("invalid rules[0].days: must be at most 36525 days"), "a day count beyond a century is refused")
    let yearOne = Note(id: newEntryId(), customerId: pair[0].id, at: instant("0001-01-01T00:30:00Z"), text: "Too early")
    check(errorMessage { _ = try book.addNote(note: yearOne, author: office) }
        .hasPrefix("invalid at: must be from 1900-01-01 to 2199-12-31"), "an instant outside the range is refused")

    let path = NSTemporaryDirectory() + "poolbook-readonly-\(newId()).db"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try unlockedBook(path: path)
    let maria = try writer.createCustomer(new: newCustomer(), author: office)
    try writer.close()
    let reader = try Book.openReadOnly(path: path)
    try reader.unlock(provider: testKey)
    check(try reader.customer(id: maria.id).displayName == maria.displayName, "a read-only book reads")
    let report = try reader.checkIntegrity()
    check(report.ok && report.customersChecked == 1, "a sound book's integrity check finds nothing")
    do {
        _ = try reader.createCustomer(new: newCustomer(), author: office)
        check(false, "a read-only book refuses a write")
    } catch PoolbookError.ReadOnly(let message) {
        check(message.hasPrefix("the book is read-only: "), "the write is refused as read-only: \(message)")
    }

    let rows = try reader.sql(query: "SELECT count(*) AS n, ?1 AS t FROM customers", params: [.text(value: "oak")])
    check(rows.columns == ["n", "t"] && rows.rows == [[.integer(value: 1), .text(value: "oak")]], "sql reads the book: \(rows)")
    for query in ["DELETE FROM customers", "SELECT gate_code FROM location_secrets"] {
        check(errorMessage { _ = try reader.sql(query: query, params: []) }.hasPrefix("invalid query: "), "sql refuses \(query)")
    }
    let checked = try Book.openWith(path: path, options: OpenOptions(readOnly: true, busyTimeoutMs: 250, checkOnOpen: .always))
    check(try checked.sql(query: "SELECT count(*) FROM customers", params: []).rows == [[.integer(value: 1)]],
          "a book opened with options reads")
    check(errorMessage { _ = try Book.openWith(path: path, options: OpenOptions(busyTimeoutMs: 700_000, checkOnOpen: .smallFiles)) }
        .hasPrefix("invalid options.busy_timeout_ms"), "a busy timeout beyond ten minutes is refused")
}

/// Issue 16 from Swift: codes sealed under a Swift key provider, the locked,
/// wrong-key and tampered-or-moved errors, audited reveals, key rotation.
func sealing() throws {
    let path = NSTemporaryDirectory() + "poolbook-sealed-\(newId()).db"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let keychain = Keychain(Data(repeating: 7, count: 32))
    let first = try Book.open(path: path)
    check(!first.isUnlocked(), "a book opens locked")
    try first.unlock(provider: keychain)
    let maria = try first.createCustomer(new: newCustomer(), author: office)
    try first.close()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    check(bytes.range(of: Data("4417#".utf8)) == nil, "the file holds no code")

    let book = try Book.open(path: path)
    let home = maria.locations[0].id
    check(errorMessage { _ = try gateCode(book, home) }.hasPrefix("the book is locked: "), "a locked book cannot reveal")
    do {
        try book.unlock(provider: Keychain(Data(repeating: 8, count: 32)))
        check(false, "a wrong key is refused")
    } catch PoolbookError.WrongKey(let message) {
        check(!message.contains("4417"), "the wrong-key error holds no secret")
    }
    do {
        try book.unlock(provider: Keychain(nil))
        check(false, "a provider with no key leaves the book locked")
    } catch PoolbookError.Locked {
    }
    try book.unlock(provider: keychain)
    check(keychain.salts.count == 2 && keychain.salts[0] == keychain.salts[1], "the stored salt is handed back")
    check(try gateCode(book, home) == "4417#", "the right key reveals the code")
    check(try book.revealSecret(locationId: home, field: .alarmCode, author: office, reason: "no alarm") == nil,
          "no alarm code, nothing to reveal")
    let audit = try book.secretReveals(query: SecretRevealQuery(authorId: office.id))
    check(audit.count == 1 && audit[0].field == .gateCode, "one audit row per reveal")

    let ann = try book.createCustomer(new: newCustomer(name: "Ann Lee"), author: office)
    var forged = ann.locations[0]
    forged.access.gateCode = try book.customer(id: maria.id).locations[0].access.gateCode
    check(errorMessage {
        _ = try book.updateCustomer(id: ann.id, expectedVersion: ann.version, patch: CustomerPatch(locations: [forged]), author: office)
    }.hasPrefix("invalid locations[0].access.gate_code"), "a sealed code moved to another location is refused")

    try book.rotateKeyEncryptionKey(provider: try staticKeyProvider(key: Data(repeating: 9, count: 32)), author: office)
    try book.rotateDataKey(provider: try passphraseKeyProviderWithCost(passphrase: "a long enough passphrase", memoryKib: 64, iterations: 1), author: office)
    check(try gateCode(book, home) == "4417#", "codes open after both rotations")
    book.lock()
    check(!book.isUnlocked(), "lock forgets the key")
    try book.close()

    // One flipped byte inside Maria's sealed gate code in the file: that code alone fails to open.
    let reopened = try unlockedBookWith(path: path, key: try passphraseKeyProviderWithCost(
        passphrase: "a long enough passphrase", memoryKib: 64, iterations: 1))
    let keyId = try reopened.changeLog(query: ChangeLogQuery(entity: .setting, entityId: "data_key"))
        .last!.changes[0].after.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    try reopened.close()
    let file = try Data(contentsOf: URL(fileURLWithPath: path))
    var marker = Data([1])
    var digits = Substring(keyId)
    while !digits.isEmpty {
        marker.append(UInt8(digits.prefix(2), radix: 16)!)
        digits = digits.dropFirst(2)
    }
    // The key id starts the wrapped data key and both sealed codes: damage
    // each in turn, and the copy that still unlocks has one code damaged.
    let blobs = file.ranges(of: marker)
    check(blobs.count == 3, "the wrapped key and two sealed codes carry the key id: \(blobs.count)")
    var damagedCodes = 0
    for blob in blobs {
        var copy = file
        copy[blob.upperBound + 24 + 2] ^= 1
        try copy.write(to: URL(fileURLWithPath: path))
        let damaged = try Book.open(path: path)
        do {
            try damaged.unlock(provider: try passphraseKeyProviderWithCost(
                passphrase: "a long enough passphrase", memoryKib: 64, iterations: 1))
        } catch PoolbookError.WrongKey {
            continue  // the wrapped key was damaged: it is the canary
        }
        let failures = [home, ann.locations[0].id].filter { location in
            errorMessage { _ = try gateCode(damaged, location) }.hasPrefix("a sealed secret failed to open")
        }
        check(failures.count == 1, "exactly the damaged code fails to open: \(failures)")
        damagedCodes += 1
    }
    check(damagedCodes == 2, "each sealed code, damaged, fails alone")
}

/// Opens a book file and unlocks it with `key`.
/// Issue 20: the lossless book file (spreadsheet import is not in the
/// phone library: core's `spreadsheet` feature).
func importExport() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("poolbook-\(newId())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let book = try unlockedBook()
    let created = try book.createCustomer(new: newCustomer(), author: office)
    let file = dir.appendingPathComponent("book.jsonl").path
    let header = try book.exportBook(path: file)
    check(header.counts.contains { $0.table == "customers" && $0.rows == 1 }, "the header counts the customers")
    let copy = try Book.open(path: dir.appendingPathComponent("copy.sqlite").path)
    _ = try copy.importBook(path: file)
    check(try copy.customer(id: created.id) == book.customer(id: created.id), "the copy holds the same record")
    check(errorMessage { _ = try copy.importBook(path: file) }.contains("not empty"), "a non-empty book is refused")
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").prefix(3).joined(separator: "\n")
    let truncated = dir.appendingPathComponent("truncated.jsonl").path
    try lines.write(toFile: truncated, atomically: true, encoding: .utf8)
    let other = try Book.openInMemory()
    let message = errorMessage { _ = try other.importBook(path: truncated) }
    check(message.contains("line 3: ") && message.contains("truncated"), "a truncated file is refused naming its line: \(message)")
}

func unlockedBookWith(path: String, key: KeyProvider) throws -> Book {
    let book = try Book.open(path: path)
    try book.unlock(provider: key)
    return book
}

for (name, run) in [("field day", fieldDay), ("customer record", customerRecord), ("history", historyAndTechnicians), ("ledger", ledger), ("journey", journey), ("mends", mends), ("sealing", sealing), ("import and export", importExport)] {
    do { try run() } catch {
        failures += 1
        print("FAIL \(name): threw \(error)")
    }
}
if failures > 0 {
    print("swift checks: \(failures) failed")
    exit(1)
}
print("swift checks: all passed")
