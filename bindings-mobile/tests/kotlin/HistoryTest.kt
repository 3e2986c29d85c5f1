// Coverage of the Kotlin bindings' service history and settings against the
// compiled library: messages, issues (open, resolve), notes, feedback,
// archiving and restoring entries, reading series, technicians, moving a
// location between customers, target profiles, the stage map, visitor
// links and the default phone region.
import java.time.Instant
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class HistoryTest {
    private fun visit(customer: Customer, at: String, ph: Double) = Visit(
        id = newId(), customerId = customer.id, locationId = customer.locations[0].id,
        bodyOfWaterId = customer.locations[0].bodiesOfWater[0].id, at = Instant.parse(at),
        outcome = VisitOutcome.COMPLETED, readings = Readings(freeChlorine = 3.0, ph = ph),
    )

    @Test
    fun entriesOfTheHistory() {
        Book.openInMemory().unlocked().use { book ->
            val customer = book.createCustomer(newCustomer(), office)
            val message = book.recordMessage(
                Message(
                    id = newId(), customerId = customer.id, at = Instant.parse("2026-11-02T08:00:00Z"),
                    channel = ContactChannel.SMS, direction = Direction.OUTBOUND, body = "On my way",
                ),
                office,
            )
            assertEquals("On my way", (book.entry(message.id).entry as Entry.Message).v1.body)

            val issue = book.openIssue(
                Issue(
                    id = newId(), customerId = customer.id, at = Instant.parse("2026-11-02T09:00:00Z"),
                    category = IssueCategory.EQUIPMENT, summary = "Pump hums", status = IssueStatus.OPEN,
                ),
                office,
            )
            val resolved = book.resolveIssue(issue.id, "Replaced capacitor", office)
            assertEquals(IssueStatus.RESOLVED, resolved.status)
            assertEquals("Replaced capacitor", resolved.resolution)
            assertNotNull(resolved.resolvedAt)
            val again = assertThrows(PoolbookException.Invalid::class.java) { book.resolveIssue(issue.id, "again", office) }
            assertTrue(again.message!!.startsWith("invalid status"))

            val note = book.addNote(Note(id = newId(), customerId = customer.id, at = Instant.parse("2026-11-03T09:00:00Z"), text = "Prefers mornings"), office)
            val first = book.recordVisit(visit(customer, "2026-11-04T10:00:00Z", 7.4), office)
            book.recordVisit(visit(customer, "2026-11-11T10:00:00Z", 7.8), office)
            val feedback = book.recordFeedback(
                Feedback(id = newId(), customerId = customer.id, at = Instant.parse("2026-11-04T12:00:00Z"), rating = 5u, comment = "Sparkling", visitId = first.id),
                office,
            )
            assertEquals(5.toUByte(), (book.entry(feedback.id).entry as Entry.Feedback).v1.rating)

            val series = book.readingsSeries(customer.locations[0].bodiesOfWater[0].id, null, null)
            assertEquals(listOf(7.4, 7.8), series.map { it.readings.ph })

            val archived = book.archiveEntry(note.id, office)
            assertNotNull(archived.archivedAt)
            assertEquals(office, archived.author)
            assertNull(book.restoreEntry(note.id, office).archivedAt)

            // An archived visit's touchpoint leaves the default list, not the book.
            book.archiveEntry(first.id, office)
            fun completed(includeArchived: Boolean) = book.touchpoints(
                TouchpointQuery(customerId = customer.id, newestFirst = false, includeArchived = includeArchived),
            ).count { it.entryId == first.id }
            assertEquals(0, completed(false))
            assertEquals(1, completed(true))
        }
    }

    @Test
    fun techniciansLocationsAndSettings() {
        Book.openInMemory().unlocked().use { book ->
            val tech = book.addTechnician(NewTechnician(id = newId(), name = "Ana Reyes", phone = "(813) 555-0100"), office)
            assertEquals("+18135550100", tech.phone)
            val renamed = book.updateTechnician(tech.id, tech.version, TechnicianPatch(name = "Ana R. Reyes", active = false), office)
            assertEquals("Ana R. Reyes", book.technician(tech.id).name)
            assertEquals(listOf<String>(), book.technicians(false).map { it.id })
            assertEquals(listOf(renamed.id), book.technicians(true).map { it.id })
            val cleared = book.updateTechnician(tech.id, renamed.version, TechnicianPatch(phone = TextUpdate.Clear), office)
            assertNull(cleared.phone)
            assertEquals("Ana R. Reyes", cleared.name)
            val emailed = book.updateTechnician(tech.id, cleared.version, TechnicianPatch(email = TextUpdate.Set("ana@example.com")), office)
            assertEquals("ana@example.com", emailed.email)

            val maria = book.createCustomer(newCustomer(), office)
            val hoa = book.createCustomer(newCustomer(name = "Sunset HOA"), office)
            val moved = book.transferLocation(maria.locations[0].id, hoa.id, office)
            assertTrue(moved.from.locations.isEmpty())
            assertEquals(2, moved.to.locations.size)
            assertEquals(hoa.id, book.stopCard(maria.locations[0].id).customerId)

            val profile = book.targetProfiles().first().copy(name = "Our spas")
            book.putTargetProfile(profile, office)
            assertEquals(profile, book.targetProfiles().single { it.name == "Our spas" })

            book.setStageMap(defaultStageMap() + ("call" to Stage.PURCHASE), office)
            assertEquals(Stage.PURCHASE, book.stageMap()["call"])

            book.linkVisitor("anon-1", maria.id, office)
            book.unlinkVisitor("anon-1", office)
            val actions = book.changeLog(ChangeLogQuery(entity = EntityKind.VISITOR, entityId = "anon-1")).map { it.action }
            assertEquals(listOf(ChangeAction.LINKED, ChangeAction.UNLINKED), actions)

            book.setDefaultRegion("GB", office)
            assertEquals(Region("GB", "44", "0", 9u, 10u), book.defaultRegion())
            val unknown = assertThrows(PoolbookException.Invalid::class.java) { book.setDefaultRegion("XX", office) }
            assertTrue(unknown.message, unknown.message!!.contains("XX") || unknown.message!!.contains("region"))

            book.closeBook()
            assertThrows(PoolbookException.Closed::class.java) { book.technicians(true) }
        }
    }
}
