// Issue 20 from Swift (the Kotlin ImportExportTest): the lossless book
// file — export, import into an empty book, refusal of a non-empty book and
// of a truncated file naming its line. Spreadsheet import is not in the
// phone library (core's `spreadsheet` feature: an office imports, a phone
// does not).
import Foundation
import Poolbook
import XCTest

final class ImportExportTests: XCTestCase {
    func testABookFileGoesIntoAnEmptyBookWhole() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("poolbook-\(newId())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let book = try unlockedBook()
        let created = try book.createCustomer(new: newCustomer(), author: office)
        let file = dir.appendingPathComponent("book.jsonl").path
        let header = try book.exportBook(path: file)
        XCTAssertTrue(header.counts.contains { $0.table == "customers" && $0.rows == 1 }, "\(header.counts)")

        let copy = try Book.open(path: dir.appendingPathComponent("copy.sqlite").path)
        _ = try copy.importBook(path: file)
        XCTAssertEqual(try copy.customer(id: created.id), try book.customer(id: created.id))
        let refused = errorMessage { _ = try copy.importBook(path: file) }
        XCTAssertTrue(refused.contains("not empty"), refused)

        let lines = try String(contentsOfFile: file, encoding: .utf8)
            .split(separator: "\n").prefix(3).joined(separator: "\n")
        let truncated = dir.appendingPathComponent("truncated.jsonl").path
        try lines.write(toFile: truncated, atomically: true, encoding: .utf8)
        let other = try Book.openInMemory()
        let message = errorMessage { _ = try other.importBook(path: truncated) }
        XCTAssertTrue(message.contains("line 3: ") && message.contains("truncated"), message)
        XCTAssertTrue(try other.listCustomers(query: CustomerQuery(archived: .include)).customers.isEmpty, "the book is unchanged")
    }
}
