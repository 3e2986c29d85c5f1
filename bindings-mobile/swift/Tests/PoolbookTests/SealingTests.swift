// Issue 16 from Swift (the Kotlin SealingTest): gate codes sealed under a
// key a Swift object provides (as an iOS Keychain-backed provider would),
// the locked, wrong-key and tampered errors, audited reveals, key rotation,
// and a sealed code moved to another location refused.
import Foundation
import Poolbook
import XCTest

final class SealingTests: XCTestCase {
    /// A passphrase provider cheap enough for tests.
    private func passphrase() throws -> KeyProvider {
        try passphraseKeyProviderWithCost(passphrase: "a long enough passphrase", memoryKib: 19456, iterations: 2)
    }

    func testASwiftKeyProviderSealsCodesThatNeverReachTheFile() throws {
        let path = temporaryBookPath("sealed")
        defer { removeBook(path) }
        let keychain = Keychain(Data(repeating: 7, count: 32))
        let first = try Book.open(path: path)
        XCTAssertFalse(first.isUnlocked())
        try first.unlock(provider: keychain)
        XCTAssertTrue(first.isUnlocked())
        let maria = try first.createCustomer(new: newCustomer(), author: office)
        try first.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertNil(bytes.range(of: Data("4417#".utf8)), "the file holds no code")

        let book = try Book.open(path: path)
        let home = maria.locations[0].id
        let locked = expectError(isLocked) {
            _ = try book.revealSecret(locationId: home, field: .gateCode, author: office, reason: "at the gate")
        }
        XCTAssertTrue(locked.hasPrefix("the book is locked: "), locked)
        let wrong = expectError(isWrongKey) { try book.unlock(provider: Keychain(Data(repeating: 8, count: 32))) }
        XCTAssertFalse(wrong.contains("4417"))
        _ = expectError(isLocked) { try book.unlock(provider: Keychain(nil)) }
        try book.unlock(provider: keychain)
        XCTAssertEqual(keychain.salts.count, 2)
        XCTAssertEqual(keychain.salts[0], keychain.salts[1], "the book hands back its stored salt")
        let code = try book.revealSecret(locationId: home, field: .gateCode, author: office, reason: "at the gate")
        XCTAssertEqual(code?.reveal(), "4417#")
        XCTAssertNil(try book.revealSecret(locationId: home, field: .alarmCode, author: office, reason: "no alarm"))
        let audit = try book.secretReveals(query: SecretRevealQuery(authorId: office.id))
        XCTAssertEqual(audit.map(\.reason), ["at the gate"])
        XCTAssertEqual(audit.map(\.field), [.gateCode])
        XCTAssertFalse("\(audit)".contains("4417"))

        try book.rotateKeyEncryptionKey(
            provider: try staticKeyProvider(key: Data(repeating: 9, count: 32)), author: office)
        try book.rotateDataKey(provider: try passphrase(), author: office)
        XCTAssertEqual(try gateCode(book, home), "4417#")
        book.lock()
        XCTAssertFalse(book.isUnlocked())
        try book.close()

        let reopened = try Book.open(path: path)
        _ = expectError(isWrongKey) { try reopened.unlock(provider: keychain) }
        try reopened.unlock(provider: try passphrase())
        XCTAssertEqual(try gateCode(reopened, home), "4417#")
        try reopened.close()
    }

    func testATamperedBlobIsItsOwnError() throws {
        let path = temporaryBookPath("tamper")
        defer { removeBook(path) }
        let writer = try unlockedBook(path: path)
        let maria = try writer.createCustomer(new: newCustomer(), author: office)
        let home = maria.locations[0].id

        // Another location's sealed code, pasted into this one, is refused: it opens only where it was sealed.
        let ann = try writer.createCustomer(new: newCustomer(name: "Ann Lee"), author: office)
        var forged = ann.locations[0]
        forged.access.gateCode = try writer.customer(id: maria.id).locations[0].access.gateCode
        let moved = expectError(isInvalid) {
            _ = try writer.updateCustomer(
                id: ann.id, expectedVersion: ann.version, patch: CustomerPatch(locations: [forged]), author: office)
        }
        XCTAssertTrue(moved.hasPrefix("invalid locations[0].access.gate_code"), moved)
        XCTAssertEqual(try gateCode(writer, home), "4417#")
        let annHome = ann.locations[0].id
        let keyId = try writer.changeLog(query: ChangeLogQuery(entity: .setting, entityId: "data_key"))
        XCTAssertEqual(keyId.count, 1)
        let keyHex = keyId[0].changes[0].after.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        try writer.close()

        // The key id starts the wrapped data key and both sealed codes: damage
        // each in turn; the wrapped key is the canary (a wrong key), each code fails alone.
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        var marker = Data([1])
        var digits = Substring(keyHex)
        while !digits.isEmpty {
            marker.append(try XCTUnwrap(UInt8(digits.prefix(2), radix: 16)))
            digits = digits.dropFirst(2)
        }
        var starts: [Int] = []
        var from = file.startIndex
        while let found = file.range(of: marker, in: from..<file.endIndex) {
            starts.append(found.lowerBound)
            from = found.lowerBound + 1
        }
        XCTAssertEqual(starts.count, 3, "the wrapped key and two sealed codes carry the key id")
        var damagedCodes = 0
        for start in starts {
            var copy = file
            copy[start + marker.count + 24 + 2] ^= 1
            try copy.write(to: URL(fileURLWithPath: path))
            let damaged = try Book.open(path: path)
            defer { try? damaged.close() }
            do {
                try damaged.unlock(provider: testKey)
            } catch PoolbookError.WrongKey {
                continue  // the wrapped key was damaged: it is the canary
            }
            let failed = [home, annHome].filter { location in
                do {
                    _ = try gateCode(damaged, location)
                    return false
                } catch PoolbookError.TamperedSecret {
                    return true
                } catch {
                    return false
                }
            }
            XCTAssertEqual(failed.count, 1, "exactly the damaged code fails to open")
            if let location = failed.first {
                let error = expectError(isTampered) { _ = try gateCode(damaged, location) }
                XCTAssertTrue(error.contains(location), error)
            }
            damagedCodes += 1
        }
        XCTAssertEqual(damagedCodes, 2)
    }
}
