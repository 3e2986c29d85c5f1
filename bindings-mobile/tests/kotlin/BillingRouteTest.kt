// Billing from the record, a day in driving order, technician turnover and
// the stop card's preferences, from Kotlin, against the compiled library.
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class BillingRouteTest {
    private fun served(book: Book, name: String, tech: Technician, longitude: Double?): Customer =
        book.createCustomer(
            newCustomer(name).copy(
                billing = Billing(rate = BigDecimal("45.00"), rateBasis = RateBasis.PER_VISIT, termsDays = 15u),
                locations = listOf(
                    ServiceLocation(
                        id = newId(), address = address("${name.length} Ocotillo Rd"),
                        coordinates = longitude?.let { GeoPoint(0.0, it) },
                        access = AccessDetails(),
                        servicePlan = ServicePlan(
                            frequency = Frequency.WEEKLY, preferredWeekday = Weekday.TUESDAY,
                            technicianId = tech.id, startsOn = LocalDate.of(2026, 1, 6), billsChemicals = true,
                        ),
                    ),
                ),
            ),
            office,
        )

    @Test
    fun draftIssueVoidRefundAndApply() {
        Book.openInMemory().unlocked().use { book ->
            book.setTimeZone("America/Phoenix", office)
            val settings = book.billingSettings().copy(
                taxRate = BigDecimal("0.0825"),
                chemicalPrices = listOf(ChemicalPrice("liquid chlorine", DoseUnit.GALLONS, BigDecimal("5.25"))),
            )
            book.setBillingSettings(settings, office)
            val ana = book.addTechnician(NewTechnician(id = newId(), name = "Ana Reyes"), office)
            val avery = served(book, "Avery", ana, null)
            val visit = book.recordVisit(
                Visit(
                    id = newId(), customerId = avery.id, locationId = avery.locations[0].id,
                    at = Instant.parse("2026-03-03T16:00:00Z"), outcome = VisitOutcome.COMPLETED,
                    readings = Readings(), chemicals = listOf(ChemicalDose("Liquid Chlorine", 2.5, DoseUnit.GALLONS)),
                ),
                office,
            )
            val march = BillingPeriod(from = LocalDate.of(2026, 3, 1), to = LocalDate.of(2026, 3, 31))
            val drafts = book.draftInvoices(march, DraftOptions(issuedOn = LocalDate.of(2026, 4, 1)))
            assertEquals(1, drafts.size)
            val lines = drafts[0].invoice.lines
            assertEquals(listOf("Service visit 2026-03-03", "Liquid Chlorine, 2.5 gal (2026-03-03)"), lines.map { it.description })
            assertEquals(listOf(visit.id), lines[1].visitIds)
            // 45.00 + 13.13 (2.5 × 5.25 = 13.125, half away from zero); tax 8.25% of 13.13 = 1.08.
            assertEquals(BigDecimal("59.21"), drafts[0].total)
            assertEquals(LocalDate.of(2026, 4, 16), drafts[0].invoice.dueOn)
            val issued = book.issueInvoices(drafts, office)
            assertEquals(listOf("1001"), issued.map { it.number })
            assertTrue(book.draftInvoices(march, DraftOptions(issuedOn = LocalDate.of(2026, 4, 1))).isEmpty())
            val stale = assertThrows(PoolbookException.Invalid::class.java) { book.issueInvoices(drafts, office) }
            assertTrue(stale.message!!.contains("drafts[0]"))

            val payment = book.recordPayment(
                Payment(
                    id = newId(), customerId = avery.id, at = Instant.parse("2026-04-05T19:00:00Z"),
                    receivedOn = LocalDate.of(2026, 4, 5), amount = BigDecimal("100.00"), method = PaymentMethod.CARD,
                ),
                office,
            )
            val applied = book.applyPayment(payment.id, issued[0].id, BigDecimal("59.21"), LocalDate.of(2026, 4, 20), office)
            assertEquals(LocalDate.of(2026, 4, 20), applied.applications[0].appliedOn)
            assertEquals(BigDecimal("100.00"), book.aging(avery.id, LocalDate.of(2026, 4, 15)).unapplied)
            val refund = book.refundPayment(payment.id, BigDecimal("40.79"), LocalDate.of(2026, 4, 21), "overpaid", office)
            assertEquals(CreditKind.REFUND, refund.kind)
            val statement = book.statement(avery.id, LocalDate.of(2026, 4, 1), LocalDate.of(2026, 4, 30))
            assertEquals(listOf("Invoice 1001", "Payment (card)", "Refund: overpaid"), statement.lines.map { it.description })
            assertEquals(0, BigDecimal.ZERO.compareTo(statement.closingBalance))
            val paid = assertThrows(PoolbookException.Invalid::class.java) {
                book.voidInvoice(issued[0].id, LocalDate.of(2026, 4, 22), "no", office)
            }
            assertTrue(paid.message!!.contains("refund the payment or credit the invoice"))
        }
    }

    @Test
    fun orderedRouteTurnoverAndStopCard() {
        Book.openInMemory().unlocked().use { book ->
            book.setTimeZone("America/Phoenix", office)
            val ana = book.addTechnician(NewTechnician(id = newId(), name = "Ana Reyes"), office)
            val ben = book.addTechnician(NewTechnician(id = newId(), name = "Ben Ortiz"), office)
            for ((name, longitude) in listOf("Adams" to 0.03, "Baker" to 0.01, "Clark" to null, "Davis" to 0.02)) {
                served(book, name, ana, longitude)
            }
            val tuesday = LocalDate.of(2026, 3, 3)
            val options = RouteOptions(
                start = GeoPoint(0.0, 0.0), end = GeoPoint(0.0, 0.04), departAt = LocalTime.of(8, 0),
                averageSpeedKmh = 30.0, serviceMinutes = 30u,
            )
            val route = book.orderedRoute(ana.id, tuesday, options)
            assertEquals(listOf("Baker", "Davis", "Adams", "Clark"), route.stops.map { it.card.customerName })
            assertEquals(
                listOf(LocalTime.of(8, 2, 13), LocalTime.of(8, 34, 27), LocalTime.of(9, 6, 40), null),
                route.stops.map { it.arrivalLocal },
            )
            assertEquals(Instant.parse("2026-03-03T15:02:13Z"), route.stops[0].arrival)
            assertTrue(route.stops[3].noCoordinates)
            assertEquals(4 * 1.111951, route.distanceKm, 1e-3)
            assertEquals(8 * 1.111951, route.nameOrderDistanceKm, 1e-3)

            val left = assertThrows(PoolbookException.Invalid::class.java) {
                book.updateTechnician(ana.id, ana.version, TechnicianPatch(active = false), office)
            }
            assertTrue(left.message!!.contains("4 service plans still naming this technician"))
            assertEquals(4, book.reassignPlans(ana.id, ben.id, office).size)
            val inactive = book.deactivateTechnician(ana.id, ana.version, null, office)
            assertFalse(inactive.active)
            assertThrows(PoolbookException.Invalid::class.java) { book.orderedRoute(ana.id, tuesday, RouteOptions()) }
            assertEquals(ben.id, book.orderedRoute(ben.id, tuesday, RouteOptions()).stops[0].card.servicePlan!!.technicianId)

            val davis = book.listCustomers(CustomerQuery(archived = ArchivedFilter.EXCLUDE)).customers.last()
            val updated = book.updateCustomer(
                davis.id, davis.version,
                CustomerPatch(
                    preferences = Preferences(
                        preferredChannel = ContactChannel.EMAIL, preferredServiceDay = Weekday.TUESDAY,
                        language = "es-MX", waterConcerns = listOf("algae"), doNotContact = false,
                    ),
                ),
                office,
            )
            val card = book.stopCard(updated.locations[0].id)
            assertEquals(listOf("algae"), card.waterConcerns)
            assertEquals(ContactChannel.EMAIL, card.preferredChannel)
            assertEquals("es-MX", card.language)
            assertEquals(GeoPoint(0.0, 0.02), card.coordinates)
            assertNull(card.lastVisit)
        }
    }
}
