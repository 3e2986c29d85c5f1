// Issue 19 from Swift (the Kotlin QualityTest): duplicate candidates with
// their explained score and a verdict, merge and unmerge, and the quality
// report.
import Foundation
import Poolbook
import XCTest

final class QualityTests: XCTestCase {
    /// A customer with one phone, an optional email and one service address.
    private func person(
        _ book: Book, _ name: String, _ phone: String, _ line1: String, email: String? = nil
    ) throws -> Customer {
        var new = newCustomer(name: name)
        new.contacts[0].phones = [Phone(number: phone, label: nil, smsCapable: true)]
        new.contacts[0].emails = email.map { [$0] } ?? []
        new.locations = [
            ServiceLocation(id: newId(), address: address(line1), bodiesOfWater: [], access: AccessDetails())
        ]
        return try book.createCustomer(new: new, author: office)
    }

    func testCandidatesMergeUnmergeAndTheReport() throws {
        let book = try unlockedBook()
        let firsts = ["alma", "boris", "cleo", "dmitri", "esme", "farid", "gwen", "hugo"]
        let lasts = ["abbot", "brandt", "castillo", "dunmore", "eriksen", "gallo", "hollis"]
        for i in 0..<30 {
            _ = try person(
                book, "\(firsts[i % firsts.count]) \(lasts[(i / firsts.count + i) % lasts.count])",
                "813-\(200 + i)-\(1000 + i * 37)", "\(100 + i * 3) Birch Way")
        }
        let maria = try person(
            book, "Maria Lopez", "+1 (555) 010-2233", "1420 Oak Street", email: "maria.lopez@gmail.com")
        let again = try person(book, "Lopez, Maria", "555.010.2233", "1420 Oak St", email: "marialopez@gmail.com")

        let found = try book.duplicateCandidates(query: DuplicateQuery())
        XCTAssertEqual(found.count, 1, "one candidate pair")
        let pair = try XCTUnwrap(found.first)
        XCTAssertEqual(Set([pair.a, pair.b]), Set([maria.id, again.id]), "Maria's two records pair up")
        XCTAssertEqual(pair.band, .likely)
        let sum = pair.prior + pair.comparisons.map(\.weight).reduce(0, +)
        XCTAssertEqual(sum, pair.weight, accuracy: 1e-9, "the explanation sums to the weight")
        XCTAssertEqual(pair.comparisons.first { $0.field == "phone" }?.level, "exact")
        try book.decideDuplicate(a: pair.a, b: pair.b, verdict: .notDuplicate, author: office)
        XCTAssertTrue(try book.duplicateCandidates(query: DuplicateQuery()).isEmpty, "a rejected pair stays hidden")

        let outcome = try book.mergeCustomers(
            survivor: maria.id, absorbed: again.id, picks: MergePicks(), author: office)
        XCTAssertEqual(outcome.survivor.contacts.count, 2, "the merged record has both contacts")
        XCTAssertEqual(try book.resolveCustomer(id: again.id).id, maria.id, "the absorbed id resolves")
        let twice = errorMessage {
            _ = try book.mergeCustomers(survivor: maria.id, absorbed: again.id, picks: MergePicks(), author: office)
        }
        XCTAssertTrue(twice.contains("already merged"), twice)
        let undone = try book.unmergeCustomer(absorbed: again.id, author: office)
        XCTAssertTrue(undone.keptEdits.isEmpty, "nothing was edited since the merge")
        XCTAssertEqual(try book.customer(id: again.id).contacts, again.contacts)
        XCTAssertEqual(try book.customer(id: maria.id).contacts, maria.contacts)

        let typo = try person(book, "Tia Typo", "813-555-0199", "11 Fig St", email: "tia@gmial.com")
        let report = try book.qualityReport(asOf: Date())
        let finding = try XCTUnwrap(report.findings.first { $0.rule == "email_domain_typo" })
        XCTAssertEqual(finding.customerId, typo.id)
        XCTAssertEqual(finding.field, "contacts[0].emails[0]")
        XCTAssertEqual(finding.severity, .warning, "a typo is a warning")
        XCTAssertGreaterThan(report.counts.count, 20, "every rule is counted")
    }
}
