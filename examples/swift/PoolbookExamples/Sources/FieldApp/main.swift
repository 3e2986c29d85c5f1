// A field app's first screen with poolbook from Swift: the book lives in the
// app's own storage folder, its gate codes unlock with a key the host
// keeps, the office's new customer is created once, the technician records
// a visit with no network (it lands in the local file), and the stop card is
// read back. Run it twice on one folder: the second run finds the customer
// and the first visit in the file.
// scripts/check-mobile runs it twice, built with SwiftPM against the package.
import Foundation
import Poolbook

/// The app's key, kept by the host: on iOS, 32 random bytes stored in the
/// Keychain (kSecClassGenericPassword, this device only). Here a file in a
/// separate key folder stands in for the Keychain.
final class AppKeychain: KeyProvider {
    let folder: URL
    init(folder: URL) { self.folder = folder }

    func keyEncryptionKey(salt: Data) -> Data? {
        let file = folder.appendingPathComponent("poolbook.key")
        if let key = try? Data(contentsOf: file) { return key }
        var key = Data(count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in key.indices { key[index] = UInt8.random(in: .min ... .max, using: &generator) }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard (try? key.write(to: file)) != nil else { return nil }
        return key
    }
}

// On iOS: FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0].
guard CommandLine.arguments.count == 2 else {
    print("usage: FieldApp APP_FOLDER")
    exit(2)
}
let appFolder = URL(fileURLWithPath: CommandLine.arguments[1])
let books = appFolder.appendingPathComponent("books")
try FileManager.default.createDirectory(at: books, withIntermediateDirectories: true)
let office = Author(kind: .office, id: "dispatch")
let technician = Author(kind: .technician, id: "ana")

// Every Book call blocks on SQLite: in an app, call it off the main thread
// (a Task.detached or a background DispatchQueue).
let book = try Book.open(path: books.appendingPathComponent("pools.sqlite").path)
try book.unlock(provider: AppKeychain(folder: appFolder.appendingPathComponent("keys")))

// The office's new customer, once: found by name on later runs.
let customer: Customer
if let found = try book.searchCustomers(query: "Maria Lopez", limit: 1).first {
    customer = try book.customer(id: found.customerId)
} else {
    customer = try book.createCustomer(
        new: NewCustomer(
            id: newCustomerId(), kind: .residential, displayName: "Maria Lopez", status: .active,
            billing: Billing(
                rate: Decimal(string: "85.00", locale: Locale(identifier: "en_US_POSIX"))!, rateBasis: .perVisit,
                termsDays: 30),
            customFields: [:],
            contacts: [
                Contact(
                    id: newContactId(), name: "Maria Lopez", role: .owner,
                    phones: [Phone(number: "(602) 555-0142", label: "mobile", smsCapable: true)], primary: true)
            ],
            locations: [
                ServiceLocation(
                    id: newLocationId(),
                    address: Address(
                        line1: "1420 Oak Street", line2: nil, city: "Phoenix", region: "AZ", postalCode: "85018",
                        country: "US"),
                    bodiesOfWater: [
                        BodyOfWater(
                            id: newBodyOfWaterId(), name: "Main pool", kind: .pool, gallons: 18000, sanitizer: .salt,
                            setting: .outdoor)
                    ],
                    access: AccessDetails(
                        gateCode: MaskedSecret("4417#"), pets: [Pet(name: "Rex", kind: "dog", temperament: .nervous)],
                        accessHours: [
                            AccessWindow(
                                days: [.tuesday], start: LocalTime(hour: 8, minute: 0),
                                end: LocalTime(hour: 12, minute: 0))
                        ]))
            ],
            preferences: Preferences(doNotContact: false)),
        author: office)
}
let location = customer.locations[0]

// At the pool, offline: the visit is written to the local file.
_ = try book.recordVisit(
    visit: Visit(
        id: newEntryId(), customerId: customer.id, locationId: location.id,
        bodyOfWaterId: location.bodiesOfWater[0].id, at: Date(), outcome: .completed,
        readings: Readings(freeChlorine: 3.5, ph: 7.6, totalAlkalinity: 80, cyanuricAcid: 70),
        tasks: ["brushed", "emptied baskets"]),
    author: technician)

// The stop card for the next visit: pets and hours first, the gate code sealed.
let card = try book.stopCard(locationId: location.id)
print("\(card.customerName), \(card.address.line1)")
for pet in card.pets { print("  pet: \(pet.name) (\(pet.kind), \(pet.temperament))") }
for window in card.accessHours {
    print("  hours: \(window.days.map { "\($0)" }.joined(separator: ", ")) \(window.start)-\(window.end)")
}
print("  gate code: \(card.gateCode.map { "\($0)" } ?? "none")")
let code = try book.revealSecret(locationId: location.id, field: .gateCode, author: technician, reason: "at the gate")
print("  revealed at the gate (audited): \(code?.reveal() == nil ? "no code" : "yes")")
let visits = try book.timeline(
    query: TimelineQuery(customerId: customer.id, kinds: [.visit], includeChanges: false, limit: 50)
).items.count
print("visits on file: \(visits) (last \(card.lastVisit.map { "\($0.outcome)" } ?? "none"))")
try book.close()
