// Per-area coverage of the Kotlin bindings against the compiled library:
// the customer record (create, read, update, conflict, archive, restore,
// list, search, change log), the ledger with BigDecimal money, and the
// journey (touchpoints, import, funnel, response times, attribution,
// segments) over the demo company.
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import org.junit.AfterClass
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.BeforeClass
import org.junit.Test
import poolbook.*

class CoverageTest {
    companion object {
        lateinit var demo: Book

        @BeforeClass @JvmStatic
        fun openDemo() {
            demo = Book.openInMemory().unlocked()
            populateDemo(demo, defaultDemoOptions().copy(customers = 60u, technicians = 2u, weeks = 12u))
        }

        @AfterClass @JvmStatic
        fun closeDemo() = demo.close()
    }

    @Test
    fun customerRecordLifecycle() {
        Book.openInMemory().unlocked().use { book ->
            val created = book.createCustomer(newCustomer(), office)
            assertEquals(1L, created.version)
            assertEquals("Maria Lopez", created.displayName)
            assertEquals(0, BigDecimal("85.00").compareTo(created.billing.rate))
            assertEquals(mapOf("hoa_gate" to "north"), created.customFields)
            assertEquals("+18135550142", created.contacts[0].phones[0].number)
            assertTrue(created.locations[0].access.gateCode!!.isSealed)
            assertEquals("4417#", book.gateCodeOf(created.locations[0].id))
            assertEquals(created, book.customer(created.id))

            val renamed = book.updateCustomer(created.id, 1L, CustomerPatch(displayName = "Maria L. Lopez"), office)
            assertEquals(2L, renamed.version)
            assertEquals("Maria L. Lopez", book.customer(created.id).displayName)

            val stale = assertThrows(PoolbookException.Conflict::class.java) {
                book.updateCustomer(created.id, 1L, CustomerPatch(tags = listOf("vip")), office)
            }
            assertTrue(stale.message, stale.message!!.contains("version 1"))

            val archived = book.archiveCustomer(created.id, 2L, office)
            assertNotNull(archived.archivedAt)
            val live = CustomerQuery(archived = ArchivedFilter.EXCLUDE)
            assertTrue(book.listCustomers(live).customers.none { it.id == created.id })
            assertEquals(listOf(created.id), book.listCustomers(CustomerQuery(archived = ArchivedFilter.ONLY)).customers.map { it.id })
            val restored = book.restoreCustomer(created.id, archived.version, office)
            assertNull(restored.archivedAt)
            assertEquals(listOf(created.id), book.listCustomers(live).customers.map { it.id })

            val missing = assertThrows(PoolbookException.NotFound::class.java) { book.customer(newId()) }
            assertTrue(missing.message!!.startsWith("customer "))

            val gallons = assertThrows(PoolbookException.Invalid::class.java) {
                book.createCustomer(newCustomer(name = "Bad Pool", gallons = -5.0), office)
            }
            assertTrue(gallons.message, gallons.message!!.contains("gallons"))
        }
    }

    @Test
    fun timesOfDayAndPreferencesRoundTrip() {
        Book.openInMemory().unlocked().use { book ->
            val base = newCustomer()
            val location = base.locations[0]
            val window = AccessWindow(days = listOf(Weekday.MONDAY, Weekday.THURSDAY), start = LocalTime.of(8, 0), end = LocalTime.of(12, 30, 15))
            val created = book.createCustomer(
                base.copy(
                    locations = listOf(location.copy(access = location.access.copy(accessHours = listOf(window)))),
                    preferences = Preferences(
                        preferredServiceDay = Weekday.THURSDAY, quietHours = TimeWindow(LocalTime.of(21, 0), LocalTime.of(7, 0)),
                        language = "es", doNotContact = false,
                    ),
                ),
                office,
            )
            assertEquals(listOf(window), book.customer(created.id).locations[0].access.accessHours)
            assertEquals(TimeWindow(LocalTime.of(21, 0), LocalTime.of(7, 0)), book.customer(created.id).preferences.quietHours)
        }
    }

    @Test
    fun oneBookSharedAcrossThreads() {
        val pool = Executors.newFixedThreadPool(4)
        val hits = (1..8).map { pool.submit<Int> { demo.searchCustomers("a", 5u).size } }.map { it.get(30, TimeUnit.SECONDS) }
        pool.shutdown()
        assertTrue(hits.all { it == hits[0] && it > 0 })
    }

    @Test
    fun closingTheKotlinObjectReleasesIt() {
        val book = Book.openInMemory().unlocked()
        book.use { assertEquals("US", it.defaultRegion().code) }
        assertThrows(IllegalStateException::class.java) { book.defaultRegion() }
    }

    @Test
    fun searchAndChangeLog() {
        Book.openInMemory().unlocked().use { book ->
            val maria = book.createCustomer(newCustomer(), office)
            book.createCustomer(newCustomer(name = "Sunset HOA", phone = "(813) 555-0199"), office)
            assertEquals(maria.id, book.searchCustomers("lopez", 10u).first().customerId)
            assertEquals(maria.id, book.searchCustomers("555-0142", 10u).first().customerId)
            assertTrue(book.searchCustomers("nobody-by-this-name", 10u).isEmpty())
            assertEquals("a typo is forgiven", listOf(maria.id), book.searchCustomers("lpoez", 10u).map { it.customerId })

            val location = maria.locations[0]
            val newAccess = location.access.copy(gateCode = MaskedSecret("9001*"))
            book.updateCustomer(maria.id, 1L, CustomerPatch(locations = listOf(location.copy(access = newAccess))), office)

            val log = book.changeLog(ChangeLogQuery(customerId = maria.id))
            assertEquals(listOf(ChangeAction.CREATED), log.filter { it.entity == EntityKind.CUSTOMER }.map { it.action })
            assertEquals(
                listOf(ChangeAction.CREATED, ChangeAction.UPDATED),
                log.filter { it.entity == EntityKind.LOCATION }.map { it.action },
            )
            assertEquals(
                setOf(EntityKind.CUSTOMER, EntityKind.CONTACT, EntityKind.LOCATION, EntityKind.BODY_OF_WATER),
                log.filter { it.action == ChangeAction.CREATED }.map { it.entity }.toSet(),
            )
            assertTrue(log.all { it.author == office && it.customerId == maria.id })
            val gateChange = log.filter { it.action == ChangeAction.UPDATED }.flatMap { it.changes }.single { it.secret }
            assertTrue(gateChange.field.endsWith("gate_code"))
            assertFalse(gateChange.before.contains("4417#") || gateChange.after.contains("9001*"))
            assertEquals("9001*", book.gateCodeOf(maria.locations[0].id))

            val customerRows = book.changeLog(ChangeLogQuery(entity = EntityKind.CUSTOMER))
            assertTrue(customerRows.isNotEmpty() && customerRows.all { it.entity == EntityKind.CUSTOMER })
            val invalid = assertThrows(PoolbookException.Invalid::class.java) {
                book.changeLog(ChangeLogQuery(entityId = maria.id))
            }
            assertEquals("invalid entity: is required with entity_id", invalid.message)
        }
    }

    @Test
    fun ledgerInBigDecimal() {
        Book.openInMemory().unlocked().use { book ->
            val customer = book.createCustomer(newCustomer(), office)
            val invoice = book.addInvoice(
                Invoice(
                    id = newId(), customerId = customer.id, at = Instant.parse("2026-11-01T12:00:00Z"), number = "INV-1001",
                    issuedOn = LocalDate.of(2026, 11, 1), dueOn = LocalDate.of(2026, 11, 30),
                    lines = listOf(InvoiceLine("Weekly service", BigDecimal("4"), BigDecimal("85.00"))),
                    taxRate = BigDecimal("0.075"),
                ),
                office,
            )
            book.recordPayment(
                Payment(
                    id = newId(), customerId = customer.id, at = Instant.parse("2026-11-10T12:00:00Z"),
                    receivedOn = LocalDate.of(2026, 11, 10), amount = BigDecimal("100.00"), method = PaymentMethod.CARD,
                    applications = listOf(Application(invoice.id, BigDecimal("100.00"))),
                ),
                office,
            )
            book.addCredit(
                Credit(
                    id = newId(), customerId = customer.id, at = Instant.parse("2026-11-12T12:00:00Z"),
                    postedOn = LocalDate.of(2026, 11, 12), kind = CreditKind.CREDIT, amount = BigDecimal("15.50"),
                    reason = "missed visit", invoiceId = invoice.id,
                ),
                office,
            )
            // 4 × 85.00 = 340.00, + 7.5 % tax = 365.50; − 100.00 paid − 15.50 credited = 250.00.
            assertEquals(0, BigDecimal("250.00").compareTo(book.balance(customer.id)))
            book.ledger(customer.id).use { ledger ->
                assertEquals(0, BigDecimal("250.00").compareTo(ledger.balance()))
                assertEquals(0, BigDecimal("365.50").compareTo(ledger.balanceOn(LocalDate.of(2026, 11, 5))))
                assertEquals(0, BigDecimal.ZERO.compareTo(ledger.unapplied()))
                assertEquals(listOf(invoice.id), ledger.invoiceBalances().map { it.invoiceId })
                assertTrue(ledger.isOverdue(LocalDate.of(2027, 1, 15)))
                assertFalse(ledger.isOverdue(LocalDate.of(2026, 11, 20)))
                val november = ledger.statement(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30))
                assertEquals(0, BigDecimal("250.00").compareTo(november.closingBalance))
            }
            val line = book.invoiceBalances(customer.id).single()
            assertEquals(0, BigDecimal("365.50").compareTo(line.total))
            assertEquals(0, BigDecimal("100.00").compareTo(line.paid))
            assertEquals(0, BigDecimal("15.50").compareTo(line.credited))
            assertEquals(0, BigDecimal("250.00").compareTo(line.remaining))
            assertEquals(LocalDate.of(2026, 11, 30), line.dueOn)

            val statement = book.statement(customer.id, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 30))
            assertEquals(listOf(EntryKind.INVOICE, EntryKind.PAYMENT, EntryKind.CREDIT), statement.lines.map { it.kind })
            assertEquals(0, BigDecimal("250.00").compareTo(statement.closingBalance))
            val aging = book.aging(customer.id, LocalDate.of(2027, 1, 15))
            assertEquals(0, BigDecimal("250.00").compareTo(aging.days31To60))
            assertEquals(0, BigDecimal("250.00").compareTo(aging.totalDue))
        }
    }

    @Test
    fun journeyTouchpointsAndImport() {
        Book.openInMemory().unlocked().use { book ->
            val customer = book.createCustomer(newCustomer(), office)
            val touch = Touchpoint(
                id = newId(), customerId = customer.id, at = Instant.parse("2026-11-02T09:00:00Z"),
                channel = JourneyChannel.WEBSITE, direction = Direction.INBOUND, actor = Actor.CUSTOMER,
                action = "estimate_requested", campaign = "fall-promo", properties = mapOf("page" to "\"/estimate\""),
                sourceSystem = "web", sourceEventId = "evt-1",
            )
            assertEquals(1uL, book.recordTouchpoints(listOf(touch), office).added)
            assertEquals(1uL, book.recordTouchpoints(listOf(touch.copy(id = newId())), office).skipped)
            val stored = book.touchpoints(TouchpointQuery(customerId = customer.id, newestFirst = false, excludeOperations = true)).single()
            assertEquals("fall-promo", stored.campaign)
            assertEquals("\"/estimate\"", stored.properties["page"])
            assertEquals(defaultStageMap()["estimate_requested"], stored.stage ?: defaultStageMap()["estimate_requested"])

            book.linkVisitor("anon-7", customer.id, office)
            val events = listOf(
                """{"type":"track","event":"Email Opened","messageId":"m-1","userId":"${customer.id}","timestamp":"2026-11-03T10:00:00Z"}""",
                """not json""",
                """{"type":"page","messageId":"m-2","anonymousId":"anon-7","timestamp":"2026-11-03T10:05:00Z","properties":{"path":"/pricing"}}""",
            ).joinToString("\n")
            val report = book.importSegmentEvents(events, defaultEventMapping(), office)
            assertEquals(2uL, report.added)
            assertEquals(listOf(2uL), report.rejected.map { it.line })
            assertEquals(0uL, book.importSegmentEvents(events, defaultEventMapping(), office).added)
            assertEquals(3, book.touchpoints(TouchpointQuery(customerId = customer.id, newestFirst = true, excludeOperations = true)).size)
            assertEquals(defaultStageMap(), book.stageMap())
        }
    }

    @Test
    fun journeyReportsOverTheDemo() {
        val funnel = demo.funnel(
            FunnelDefinition(
                steps = listOf(FunnelStep("estimate_requested", listOf()), FunnelStep("payment_made", listOf())),
                windowHours = 24u * 90u,
            ),
        )
        assertEquals(listOf("estimate_requested", "payment_made"), funnel.all.steps.map { it.action })
        assertTrue(funnel.all.steps[0].entered > 0uL)
        assertTrue(funnel.all.steps[1].entered <= funnel.all.steps[0].entered)
        assertEquals(funnel.all.steps[0].entered, funnel.new.steps[0].entered + funnel.returning.steps[0].entered)

        val response = demo.leadResponseTimes(ResponseTimeQuery(targetMinutes = 60u))
        assertTrue(response.leads > 0uL && response.answered <= response.leads)
        assertTrue(response.withinTarget in 0.0..1.0)

        val attribution = demo.attribution(AttributionQuery(conversionAction = "payment_made", lookbackDays = 30u, halfLifeDays = 7.0))
        assertTrue(attribution.conversions > 0uL)
        assertEquals(AttributionModel.entries.toSet(), attribution.models.map { it.model }.toSet())
        val firstTouch = attribution.models.single { it.model == AttributionModel.FIRST_TOUCH }
        assertTrue(firstTouch.byChannel.values.fold(BigDecimal.ZERO, BigDecimal::add) > BigDecimal.ZERO)

        val segment = demo.saveSegment(Segment("residential", listOf(SegmentRule.Kind(CustomerKind.RESIDENTIAL))), office)
        assertEquals(listOf("residential"), demo.segments().map { it.name })
        val members = demo.segmentMembers(segment.name, Instant.parse("2026-11-20T00:00:00Z"))
        assertTrue(members.isNotEmpty())
        val residential = demo.listCustomers(CustomerQuery(kind = CustomerKind.RESIDENTIAL, archived = ArchivedFilter.EXCLUDE, limit = 500u))
        assertEquals(residential.customers.map { it.id }.toSet(), members.map { it.customerId }.toSet())
        assertEquals(members, demo.evaluateSegment(segment, Instant.parse("2026-11-20T00:00:00Z")))
    }

    @Test
    fun chemistryFunctions() {
        val profiles = demo.targetProfiles()
        val profile = bestProfile(profiles, WaterKind.POOL, Sanitizer.CHLORINE, Surface.PLASTER)!!
        val readings = Readings(freeChlorine = 0.5, ph = 8.4, totalAlkalinity = 90.0, cyanuricAcid = 40.0, calciumHardness = 300.0, temperatureF = 80.0)
        val flags = flagReadings(profile, readings, null)
        assertTrue(flags.any { it.parameter == Parameter.PH && it.level == Level.HIGH })
        assertTrue(flags.any { it.parameter == Parameter.FREE_CHLORINE && it.level == Level.LOW })
        val missing = saturationIndex(Readings(ph = 7.5), CsiMethod.TFP) as SaturationOutcome.CannotCompute
        assertEquals(listOf("total alkalinity", "calcium hardness", "temperature"), missing.needs)
        val plan = ServicePlan(frequency = Frequency.WEEKLY, preferredWeekday = Weekday.TUESDAY, startsOn = LocalDate.of(2026, 1, 6))
        assertTrue(planDueOn(plan, LocalDate.of(2026, 11, 17)))
        assertFalse(planDueOn(plan, LocalDate.of(2026, 11, 18)))
        assertEquals("+18135550142", normalizePhone("813.555.0142", "US", "phone"))
        assertEquals("US", demo.defaultRegion().code)
    }
}
