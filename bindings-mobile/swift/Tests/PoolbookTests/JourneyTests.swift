// Issue 17 from Swift against the compiled library (the Kotlin JourneyTest):
// operations as touchpoints, whole-book counts, receivables, retention, an
// experiment with its confidence interval, drop-off, stages and the
// feedback loop, with their numbers written out.
import Foundation
import Poolbook
import XCTest

final class JourneyTests: XCTestCase {
    /// Ten in the morning, UTC, of a day in 2026 (or `year`).
    private func at(_ month: Int, _ day: Int, _ year: Int = 2026) -> Date {
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return instant("\(year)-\(two(month))-\(two(day))T10:00:00Z")
    }

    private func touch(_ customer: String, _ at: Date, _ action: String, properties: [String: String] = [:])
        -> Touchpoint
    {
        Touchpoint(
            id: newId(), customerId: customer, at: at, channel: .portal, direction: .inbound, actor: .customer,
            action: action, properties: properties)
    }

    func testOperationsAreTouchpointsOnce() throws {
        let book = try unlockedBook()
        var lead = newCustomer()
        lead.status = .lead
        let created = try book.createCustomer(new: lead, author: office)
        let maria = try book.changeStatus(
            customerId: created.id, expectedVersion: created.version, status: .active, reason: nil,
            effectiveAt: at(1, 2), author: office)
        let payment = try book.recordPayment(
            payment: Payment(
                id: newId(), customerId: maria.id, at: at(3, 2), receivedOn: day(2026, 3, 2), amount: money("92.50"),
                method: .card),
            author: office)
        let journey = try book.touchpoints(query: TouchpointQuery(customerId: maria.id, newestFirst: false))
        XCTAssertEqual(journey.map(\.action).sorted(), ["converted", "customer_created", "payment_made"])
        XCTAssertEqual(journey.first { $0.action == "payment_made" }?.entryId, payment.id)
        let already = expectError(isInvalid) {
            _ = try book.changeStatus(
                customerId: maria.id, expectedVersion: maria.version, status: .active, reason: nil, effectiveAt: nil,
                author: office)
        }
        XCTAssertTrue(already.hasPrefix("invalid status: the customer is already active"), already)
        // Converted on January 2: the January cohort, measured on December 1.
        let retention = try book.retention(query: RetentionQuery(asOf: at(12, 1), months: [1]))
        XCTAssertEqual(retention.cohorts.map(\.customers), [1])
    }

    func testWholeBookQuestionsExperimentsAndTheFeedbackLoop() throws {
        let book = try unlockedBook()
        var ids: [String] = []
        for n in 0..<80 {
            var new = newCustomer(name: "P\(n)")
            new.contacts = []
            ids.append(try book.createCustomer(new: new, author: office).id)
        }
        var touchpoints: [Touchpoint] = []
        for (n, id) in ids.enumerated() {
            let variant = n < 40 ? "A" : "B"
            touchpoints.append(
                touch(id, at(1, 5), "reminder_sent", properties: ["experiment": "\"wording\"", "variant": "\"\(variant)\""]))
            if n < 12 || (n >= 40 && n < 64) { touchpoints.append(touch(id, at(1, 8), "payment_made")) }
        }
        _ = try book.recordTouchpoints(touchpoints: touchpoints, author: office)

        let report = try book.experiment(
            definition: ExperimentDefinition(
                name: "wording", variants: ["A", "B"], assignment: .recorded, exposureAction: "reminder_sent",
                goalAction: "payment_made", windowHours: 168))
        XCTAssertEqual(report.variants.map(\.converted), [12, 24])
        let b = report.comparisons[0]
        XCTAssertEqual(b.ciLow, 0.092114, accuracy: 1e-5)
        XCTAssertEqual(b.ciHigh, 0.507886, accuracy: 1e-5)
        XCTAssertEqual(b.verdict, "B converts 30.0 points better than A, 95 % CI 9.2–50.8; enough data")
        XCTAssertEqual(
            try assignVariant(experiment: "wording", variants: ["A", "B"], personId: ids[0]),
            try assignVariant(experiment: "wording", variants: ["A", "B"], personId: ids[0]))

        let counts = try book.countTouchpoints(
            query: TouchpointCountQuery(
                filter: BookFilter(since: at(1, 1), until: at(2, 1), actions: ["payment_made", "reminder_sent"]),
                period: .week, by: [.action]))
        XCTAssertEqual(counts.map { "\($0.group[0]) \($0.touchpoints)" }, ["payment_made 36", "reminder_sent 80"])
        XCTAssertTrue(counts.allSatisfy { $0.periodStart == day(2026, 1, 5) }, "weeks start on Monday")
        let next = try book.nextActions(
            query: NextActionsQuery(step: FunnelStep(action: "reminder_sent", channels: []), withinDays: 7))
        XCTAssertEqual(next.people, 80)
        XCTAssertEqual(next.nothing, 44)
        let stages = try book.stageReport(since: at(1, 1), until: at(2, 1), period: .month)
        XCTAssertEqual(stages.stages.first { $0.stage == .purchase }?.entered, 36)
        let owed = try book.receivables(asOf: day(2026, 3, 1), top: nil)
        XCTAssertEqual(owed.customersOwing, 0)

        let issue = try book.openIssue(
            issue: Issue(
                id: newId(), customerId: ids[0], at: at(1, 9), category: .billing, summary: "Charged twice",
                status: .open),
            author: office)
        let feedback = try book.recordFeedback(
            feedback: Feedback(id: newId(), customerId: ids[0], at: at(1, 9), rating: 1, topics: ["Billing"]),
            author: office)
        XCTAssertEqual(feedback.topics, ["billing"], "topics are snake_case")
        _ = try book.linkFeedbackIssue(feedbackId: feedback.id, issueId: issue.id, author: office)
        _ = try book.resolveIssue(id: issue.id, resolution: "Refunded", author: office)
        XCTAssertEqual(try book.feedbackFollowUps(customerId: ids[0]).first?.whatWeDid, "Refunded")
        XCTAssertEqual(try book.feedbackReport(since: nil, until: nil).first?.fixed, 1)
        XCTAssertEqual(try book.satisfaction(query: SatisfactionQuery()).detractors.count, 1)
    }
}
