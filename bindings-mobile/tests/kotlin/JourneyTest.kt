// Issue 17 from Kotlin against the compiled library: operations written as
// touchpoints, whole-book questions and receivables, retention,
// satisfaction, engagement, experiments, drop-off, stages and the feedback
// loop, with their numbers written out.
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class JourneyTest {
    private fun at(month: Int, day: Int, year: Int = 2026): Instant =
        Instant.parse("%04d-%02d-%02dT10:00:00Z".format(year, month, day))

    private fun touch(customer: String, at: Instant, action: String, channel: JourneyChannel = JourneyChannel.PORTAL,
                      actor: Actor = Actor.CUSTOMER, properties: Map<String, String> = emptyMap()) = Touchpoint(
        id = newId(), customerId = customer, at = at, channel = channel, direction = Direction.INBOUND,
        actor = actor, action = action, properties = properties,
    )

    private fun customers(book: Book, vararg names: String, kind: CustomerKind = CustomerKind.RESIDENTIAL): List<String> =
        book.createCustomers(names.map { newCustomer(name = it).copy(kind = kind, contacts = emptyList()) }, office).map { it.id }

    @Test
    fun operationsAreTouchpointsOnce() {
        Book.openInMemory().unlocked().use { book ->
            val lead = book.createCustomer(newCustomer().copy(status = LifecycleStatus.LEAD), office)
            val active = book.changeStatus(lead.id, lead.version, LifecycleStatus.ACTIVE, null, at(1, 2), office)
            val payment = book.recordPayment(
                Payment(id = newId(), customerId = active.id, at = at(3, 2), receivedOn = LocalDate.of(2026, 3, 2),
                        amount = BigDecimal("92.50"), method = PaymentMethod.CARD),
                office,
            )
            val journey = book.touchpoints(TouchpointQuery(customerId = active.id, newestFirst = false))
            assertEquals(listOf("converted", "customer_created", "payment_made"), journey.map { it.action }.sorted())
            val paid = journey.single { it.action == "payment_made" }
            assertEquals(payment.id, paid.entryId)
            assertEquals(JourneyChannel.PORTAL, paid.channel)
            assertEquals(0, BigDecimal("92.50").compareTo(paid.value))
            assertEquals(at(1, 2), journey.single { it.action == "converted" }.at)
            val again = assertThrows(PoolbookException.Invalid::class.java) {
                book.changeStatus(active.id, active.version, LifecycleStatus.ACTIVE, null, null, office)
            }
            assertTrue(again.message!!, again.message!!.startsWith("invalid status: the customer is already active"))
        }
    }

    @Test
    fun wholeBookQuestionsAndReceivables() {
        Book.openInMemory().unlocked().use { book ->
            val (a, c) = customers(book, "A", "C")
            val (b) = customers(book, "B", kind = CustomerKind.COMMERCIAL)
            book.recordTouchpoints(listOf(
                touch(a, at(1, 5), "portal_login"), touch(a, at(1, 20), "portal_login"), touch(a, at(2, 3), "portal_login"),
                touch(b, at(1, 7), "portal_login"), touch(b, at(2, 10), "portal_login"), touch(c, at(2, 11), "portal_login"),
            ), office)
            val filter = BookFilter(actions = listOf("portal_login"), since = at(1, 1), until = at(3, 1))
            val counts = book.countTouchpoints(TouchpointCountQuery(filter, Period.MONTH, listOf(CountDimension.CustomerKind)))
            assertEquals(
                listOf("2026-01-01 commercial 1", "2026-01-01 residential 2", "2026-02-01 commercial 1", "2026-02-01 residential 2"),
                counts.map { "${it.periodStart} ${it.group.single()} ${it.touchpoints}" },
            )
            val first = book.findTouchpoints(filter, null, 4u)
            val second = book.findTouchpoints(filter, first.nextCursor, 4u)
            assertEquals(6, first.touchpoints.size + second.touchpoints.size)
            assertNull(second.nextCursor)
            book.addInvoice(
                Invoice(id = newId(), customerId = a, at = at(1, 1), number = "1", issuedOn = LocalDate.of(2026, 1, 1),
                        dueOn = LocalDate.of(2026, 1, 15), lines = listOf(InvoiceLine("service", BigDecimal.ONE, BigDecimal("100.00")))),
                office,
            )
            val owed = book.receivables(LocalDate.of(2026, 3, 1), null)
            assertEquals(0, BigDecimal("100.00").compareTo(owed.totalOwed))
            assertEquals(0, BigDecimal("100.00").compareTo(owed.days3160))
            assertEquals(45L, owed.topDebtors.single().oldestDaysPastDue)
            val entries = book.findEntries(BookFilter(kinds = listOf(EntryKind.INVOICE)), null, null)
            assertEquals(1, entries.entries.size)
        }
    }

    @Test
    fun retentionSatisfactionAndEngagement() {
        Book.openInMemory().unlocked().use { book ->
            val c = customers(book, "C1", "C2", "C3")
            book.recordTouchpoints(listOf(
                touch(c[0], at(1, 10, 2025), "converted", JourneyChannel.OTHER, Actor.STAFF),
                touch(c[1], at(1, 20, 2025), "converted", JourneyChannel.OTHER, Actor.STAFF),
                touch(c[1], at(3, 5, 2025), "churned", JourneyChannel.OTHER, Actor.STAFF, mapOf("reason" to "\"price\"")),
                touch(c[2], at(2, 3, 2025), "converted", JourneyChannel.OTHER, Actor.STAFF),
            ), office)
            val report = book.retention(RetentionQuery(asOf = at(8, 10, 2025), months = listOf(1u, 3u)))
            assertEquals(
                listOf("2025-01-01: 2/2 1/2", "2025-02-01: 1/1 1/1"),
                report.cohorts.map { k -> "${k.month}: " + k.cells.joinToString(" ") { "${it.retained}/${it.measured}" } },
            )
            assertEquals("price", report.churnReasons.single().reason)

            book.recordFeedback(Feedback(id = newId(), customerId = c[0], at = at(3, 3, 2025), rating = 2u, topics = listOf("billing")), office)
            book.recordFeedback(Feedback(id = newId(), customerId = c[1], at = at(3, 4, 2025), rating = 5u), office)
            val satisfaction = book.satisfaction(SatisfactionQuery())
            assertEquals(3.5, satisfaction.overall.average, 1e-9)
            assertEquals(0.5, satisfaction.overall.share45, 1e-9)
            assertEquals(listOf(2.toUByte()), satisfaction.detractors.map { it.rating })

            book.recordTouchpoints(listOf(touch(c[2], at(3, 10), "portal_login")), office)
            val engagement = book.engagement(EngagementQuery(asOf = at(3, 20), windowDays = 30u, quietDays = 30u))
            assertEquals(listOf(true, true, false), engagement.map { it.quiet })
            assertEquals(Trend.UP, engagement[2].trend)
        }
    }

    @Test
    fun experimentsDropOffStagesAndTheFeedbackLoop() {
        Book.openInMemory().unlocked().use { book ->
            val ids = customers(book, *Array(80) { "P$it" })
            val touchpoints = mutableListOf<Touchpoint>()
            ids.forEachIndexed { n, id ->
                val variant = if (n < 40) "A" else "B"
                touchpoints += touch(id, at(1, 5), "reminder_sent", JourneyChannel.EMAIL,
                                     properties = mapOf("experiment" to "\"wording\"", "variant" to "\"$variant\""))
                if ((n < 40 && n < 12) || (n >= 40 && n < 64)) touchpoints += touch(id, at(1, 8), "payment_made")
            }
            book.recordTouchpoints(touchpoints, office)
            val definition = ExperimentDefinition(
                name = "wording", variants = listOf("A", "B"), assignment = Assignment.RECORDED,
                exposureAction = "reminder_sent", goalAction = "payment_made", windowHours = 168u,
            )
            val report = book.experiment(definition)
            assertEquals(listOf(12uL, 24uL), report.variants.map { it.converted })
            val b = report.comparisons.single()
            assertEquals(0.092114, b.ciLow, 1e-5)
            assertEquals(0.507886, b.ciHigh, 1e-5)
            assertEquals("B converts 30.0 points better than A, 95 % CI 9.2–50.8; enough data", b.verdict)
            assertEquals(assignVariant("wording", listOf("A", "B"), ids[0]), assignVariant("wording", listOf("A", "B"), ids[0]))
            val one = assertThrows(PoolbookException.Invalid::class.java) { book.experiment(definition.copy(variants = listOf("A"))) }
            assertTrue(one.message!!, one.message!!.startsWith("invalid variants"))
            val funnel = FunnelDefinition(listOf(FunnelStep("reminder_sent"), FunnelStep("payment_made")), 168u)
            val compared = book.compareFunnel(funnel, DateRange(at(1, 1), at(1, 7)), DateRange(at(1, 7), at(2, 1)))
            assertEquals(80uL, compared.before.steps[0].entered)

            val next = book.nextActions(NextActionsQuery(step = FunnelStep("reminder_sent"), withinDays = 7u))
            assertEquals(80uL, next.people)
            assertEquals(listOf("payment_made" to 36uL), next.next.map { it.action to it.people })
            assertEquals(44uL, next.nothing)
            val stopped = book.lastBeforeStopping(StoppedQuery(asOf = at(3, 1), quietDays = 30u))
            assertEquals(36uL, stopped.last.single { it.action == "payment_made" }.people)
            val stages = book.stageReport(at(1, 1), at(2, 1), Period.MONTH)
            assertEquals(36uL, stages.stages.single { it.stage == Stage.PURCHASE }.entered)
            val map = book.journeyMap(JourneyMapQuery(customerKind = CustomerKind.RESIDENTIAL, since = at(1, 1), until = at(2, 1)))
            assertEquals("kind: residential", map.group)

            val issue = book.openIssue(
                Issue(id = newId(), customerId = ids[0], at = at(1, 9), category = IssueCategory.BILLING,
                      summary = "Charged twice", status = IssueStatus.OPEN),
                office,
            )
            val feedback = book.recordFeedback(
                Feedback(id = newId(), customerId = ids[0], at = at(1, 9), rating = 1u, topics = listOf("Billing"),
                         source = FeedbackSource.SUPPORT_MESSAGE),
                office,
            )
            assertEquals(listOf("billing"), feedback.topics)
            book.linkFeedbackIssue(feedback.id, issue.id, office)
            book.resolveIssue(issue.id, "Refunded the second charge", office)
            assertEquals("Refunded the second charge", book.feedbackFollowUps(ids[0]).single().whatWeDid)
            val topic = book.feedbackReport(null, null).single()
            assertEquals("billing" to 1uL, topic.topic to topic.fixed)
            assertEquals(listOf("timing", "portal"), book.setFeedbackTopics(listOf("Timing", "Portal"), office))
            assertEquals(listOf("timing", "portal"), book.feedbackTopics())
        }
    }
}
