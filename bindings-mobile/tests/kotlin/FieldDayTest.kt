// The technician's field day from Kotlin, against the compiled library: open
// a book file, fill it with the demo company, load a day's route, read a
// stop card and reveal its gate code, record a completed and a skipped
// visit, read the timeline back, and check a validation error's text.
import java.io.File
import java.time.Instant
import java.time.LocalDate
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertNotEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class FieldDayTest {
    @Test
    fun fieldDay() {
        val file = File.createTempFile("poolbook-fieldday", ".db").also { it.delete() }
        var completedId = ""
        Book.open(file.path).unlocked().use { book ->
            val summary = populateDemo(book, defaultDemoOptions().copy(customers = 40u, technicians = 2u, weeks = 4u))
            assertEquals(2, summary.technicians.size)
            assertEquals(40, summary.customers.size)

            // The first day (going back from the demo's last day) with a stop behind a coded gate.
            val through = LocalDate.of(2026, 11, 20)
            val (route, stop) = summary.technicians.asSequence()
                .flatMap { tech -> (0L..13L).asSequence().map { book.route(tech, through.minusDays(it)) } }
                .mapNotNull { r -> r.stops.firstOrNull { it.gateCode != null && it.bodiesOfWater.isNotEmpty() }?.let { r to it } }
                .first()
            assertTrue(route.stops.isNotEmpty())
            assertEquals(summary.technicians.toSet().contains(route.technician.id), true)

            // The stop card at the gate: masked until revealed.
            val card = book.stopCard(stop.locationId)
            assertEquals(stop.customerName, card.customerName)
            val sealed = card.gateCode!!
            assertTrue(sealed.isSealed)
            assertEquals("[sealed]", sealed.toString())
            val tech0 = Author(AuthorKind.TECHNICIAN, route.technician.id)
            val gate = book.revealSecret(stop.locationId, SecretField.GATE_CODE, tech0, "at the gate")!!
            assertTrue(gate.reveal().isNotBlank())
            assertNotEquals("[redacted]", gate.reveal())
            assertFalse("a printed stop card must not carry the gate code", card.toString().contains(gate.reveal()))
            assertTrue(card.toString().contains("[sealed]"))
            assertEquals("at the gate", book.secretReveals(SecretRevealQuery(locationId = stop.locationId)).single().reason)

            val tech = route.technician
            val author = Author(AuthorKind.TECHNICIAN, tech.id)
            val body = card.bodiesOfWater.first().body

            // A completed visit with readings; its assessment reads back.
            val readings = Readings(
                freeChlorine = 3.0, combinedChlorine = 0.2, ph = 7.6, totalAlkalinity = 90.0,
                cyanuricAcid = 40.0, calciumHardness = 300.0, temperatureF = 80.0,
            )
            val completed = book.recordVisit(
                Visit(
                    id = newId(), customerId = card.customerId, locationId = card.locationId,
                    bodyOfWaterId = body.id, technicianId = tech.id, at = Instant.parse("2026-11-21T15:30:00Z"),
                    outcome = VisitOutcome.COMPLETED, readings = readings, measuredBy = MeasurementMethod.PHOTOMETER,
                    chemicals = listOf(ChemicalDose("Liquid chlorine", 1.5, DoseUnit.GALLONS)),
                    tasks = listOf("brushed", "skimmed"), durationMinutes = 25u,
                ),
                author,
            )
            completedId = completed.id
            val assessment = book.assessVisit(completed.id, CsiMethod.TFP)
            assertEquals(readings, assessment.readings)
            assertEquals(Instant.parse("2026-11-21T15:30:00Z"), assessment.at)
            val expected = (saturationIndex(readings, CsiMethod.TFP) as SaturationOutcome.Computed).index
            assertEquals(expected.value, assessment.saturationIndex!!.value, 1e-12)
            assertEquals(CsiMethod.TFP, assessment.saturationIndex!!.method)
            assertTrue(assessment.saturationIndex!!.value in -0.6..0.6)

            // A skipped visit: the gate was locked.
            val skipped = book.recordVisit(
                Visit(
                    id = newId(), customerId = card.customerId, locationId = card.locationId,
                    bodyOfWaterId = body.id, technicianId = tech.id, at = Instant.parse("2026-11-21T16:10:00Z"),
                    outcome = VisitOutcome.SKIPPED, skipReason = SkipReason.LOCKED_GATE, readings = Readings(),
                    notes = "gate locked, no answer",
                ),
                author,
            )

            // The timeline, newest first, has both.
            val page = book.timeline(
                TimelineQuery(customerId = card.customerId, locationId = null, kinds = listOf(EntryKind.VISIT),
                    includeChanges = false, limit = 10u),
            )
            val visits = page.items.mapNotNull { ((it as? TimelineItem.Entry)?.entry as? Entry.Visit)?.v1 }
            assertEquals(listOf(skipped.id, completed.id), visits.take(2).map { it.id })
            assertEquals(SkipReason.LOCKED_GATE, visits[0].skipReason)
            assertEquals("gate locked, no answer", visits[0].notes)
            assertEquals(VisitOutcome.COMPLETED, visits[1].outcome)
            assertEquals(readings, visits[1].readings)
            assertEquals(listOf(ChemicalDose("Liquid chlorine", 1.5, DoseUnit.GALLONS)), visits[1].chemicals)

            // The stop card now shows the latest visit.
            assertEquals(skipped.id, book.stopCard(stop.locationId).lastVisit!!.visitId)

            // Validation errors name the field.
            val bad = assertThrows(PoolbookException.Invalid::class.java) {
                book.recordVisit(completed.copy(id = newId(), readings = readings.copy(ph = -1.0)), author)
            }
            assertTrue(bad.message, bad.message!!.contains("ph"))
            val phone = assertThrows(PoolbookException.Invalid::class.java) {
                normalizePhone("call the office", "US", "contacts[0].phones[0].number")
            }
            assertTrue(phone.message, phone.message!!.startsWith("invalid contacts[0].phones[0].number"))
        }

        // The file keeps the day.
        Book.open(file.path).unlocked().use { book ->
            val stored = book.entry(completedId)
            assertNotNull((stored.entry as Entry.Visit).v1.readings.ph)
        }
        file.delete()
    }
}
