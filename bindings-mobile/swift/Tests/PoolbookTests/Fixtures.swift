// Shared builders for the Swift tests (the Kotlin tests' Fixtures.kt): a
// small customer record, ids, authors, the test key. Values only; every
// operation under test is the binding's.
import Foundation
import XCTest

import Poolbook

func newId() -> String { newEntryId() }

let office = Author(kind: .office, id: "dana@office")

/// A key provider written in Swift, as one over the iOS Keychain would be:
/// hands back its key and remembers the salts it was given.
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
let testKey: KeyProvider = try! staticKeyProvider(key: Data(repeating: 0x42, count: 32))

/// A new in-memory book, unlocked with the test key.
func unlockedBook() throws -> Book {
    let book = try Book.openInMemory()
    try book.unlock(provider: testKey)
    return book
}

/// A book file, opened and unlocked with the test key.
func unlockedBook(path: String) throws -> Book {
    let book = try Book.open(path: path)
    try book.unlock(provider: testKey)
    return book
}

/// The gate code of a location, revealed (and audited) as the office.
func gateCode(_ book: Book, _ locationId: String) throws -> String? {
    try book.revealSecret(locationId: locationId, field: .gateCode, author: office, reason: "a test at the gate")?
        .reveal()
}

/// An instant from ISO 8601 text.
func instant(_ iso: String) -> Date {
    let formatter = ISO8601DateFormatter()
    guard let date = formatter.date(from: iso) else { preconditionFailure("not an instant: \(iso)") }
    return date
}

/// Money from decimal text (never through a Double).
func money(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

/// A day.
func day(_ year: Int, _ month: Int, _ day: Int) -> LocalDate { LocalDate(year: year, month: month, day: day) }

/// A path for a new book file in the temporary folder (removed by the test).
func temporaryBookPath(_ name: String) -> String {
    NSTemporaryDirectory() + "poolbook-\(name)-\(newId()).sqlite"
}

/// Removes a book file and its companions.
func removeBook(_ path: String) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
}

func address(_ line1: String = "12 Palm Way") -> Address {
    Address(line1: line1, line2: nil, city: "Tampa", region: "FL", postalCode: "33602", country: "US")
}

func pool(gallons: Double? = 15000) -> BodyOfWater {
    BodyOfWater(
        id: newId(), name: "Main pool", kind: .pool, gallons: gallons, surface: .plaster, sanitizer: .chlorine,
        setting: .outdoor)
}

func newCustomer(name: String = "Maria Lopez", phone: String = "(813) 555-0142", gallons: Double? = 15000)
    -> NewCustomer
{
    NewCustomer(
        id: newId(), kind: .residential, displayName: name, status: .active,
        billing: Billing(rate: money("85.00"), rateBasis: .perVisit, termsDays: 30),
        tags: ["weekly"], customFields: ["hoa_gate": "north"],
        contacts: [
            Contact(
                id: newId(), name: name, role: .owner,
                phones: [Phone(number: phone, label: "mobile", smsCapable: true)],
                emails: ["maria@example.com"], primary: true)
        ],
        locations: [
            ServiceLocation(
                id: newId(), address: address(), bodiesOfWater: [pool(gallons: gallons)],
                access: AccessDetails(
                    gateCode: MaskedSecret("4417#"), pets: [Pet(name: "Rex", kind: "dog", temperament: .friendly)]))
        ],
        preferences: Preferences(doNotContact: false))
}

/// The message of the PoolbookError the body throws; fails the test when it
/// throws none, or something else.
func errorMessage(
    _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line
) -> String {
    do {
        try body()
        XCTFail("expected a PoolbookError, none was thrown", file: file, line: line)
        return ""
    } catch let error as PoolbookError {
        return message(of: error)
    } catch {
        XCTFail("expected a PoolbookError, got \(error)", file: file, line: line)
        return ""
    }
}

/// The message a PoolbookError carries.
func message(of error: PoolbookError) -> String {
    switch error {
    case .Invalid(let message), .NotFound(let message), .Conflict(let message),
        .UnsupportedSchema(let message), .Closed(let message), .Busy(let message), .ReadOnly(let message),
        .NotABook(let message), .Corrupt(let message), .Locked(let message), .WrongKey(let message),
        .TamperedSecret(let message), .Storage(let message):
        return message
    }
}

/// Runs `body`, which must throw the PoolbookError `kind` matches; gives its message.
func expectError(
    _ kind: (PoolbookError) -> Bool, _ body: () throws -> Void, file: StaticString = #filePath,
    line: UInt = #line
) -> String {
    do {
        try body()
        XCTFail("expected an error, none was thrown", file: file, line: line)
    } catch let error as PoolbookError {
        XCTAssertTrue(kind(error), "unexpected error \(error)", file: file, line: line)
        return message(of: error)
    } catch {
        XCTFail("expected a PoolbookError, got \(error)", file: file, line: line)
    }
    return ""
}

func isInvalid(_ error: PoolbookError) -> Bool { if case .Invalid = error { return true } else { return false } }
func isNotFound(_ error: PoolbookError) -> Bool { if case .NotFound = error { return true } else { return false } }
func isConflict(_ error: PoolbookError) -> Bool { if case .Conflict = error { return true } else { return false } }
func isClosed(_ error: PoolbookError) -> Bool { if case .Closed = error { return true } else { return false } }
func isReadOnly(_ error: PoolbookError) -> Bool { if case .ReadOnly = error { return true } else { return false } }
func isNotABook(_ error: PoolbookError) -> Bool { if case .NotABook = error { return true } else { return false } }
func isLocked(_ error: PoolbookError) -> Bool { if case .Locked = error { return true } else { return false } }
func isWrongKey(_ error: PoolbookError) -> Bool { if case .WrongKey = error { return true } else { return false } }
func isTampered(_ error: PoolbookError) -> Bool {
    if case .TamperedSecret = error { return true } else { return false }
}
