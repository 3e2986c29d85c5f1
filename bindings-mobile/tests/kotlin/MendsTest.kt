// The API added with core's own derives: fresh UUIDv7 ids, the book's time
// zone, authors by name, unmapped journey actions, every problem of a record
// in one error, and clearing a technician's phone.
import java.time.Instant
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class MendsTest {
    @Test
    fun freshIdsAreTimeOrderedUuidVersion7() {
        val ids = listOf(newCustomerId(), newContactId(), newLocationId(), newBodyOfWaterId(), newTechnicianId(), newEntryId())
        for (id in ids) assertEquals("version nibble of $id", '7', id[14])
        assertEquals(6, ids.toSet().size)
    }

    @Test
    fun timeZoneAndAuthorsByName() {
        Book.openInMemory().unlocked().use { book ->
            assertEquals("UTC", book.timeZone())
            book.setTimeZone("America/Phoenix", office)
            assertEquals("America/Phoenix", book.timeZone())
            val bad = assertThrows(PoolbookException.Invalid::class.java) { book.setTimeZone("Mars/Olympus", office) }
            assertTrue(bad.message!!.startsWith("invalid time_zone: "))
            val ana = book.addTechnician(NewTechnician(id = newTechnicianId(), name = "Ana Reyes"), office)
            assertEquals("Ana Reyes", book.authorName(Author(AuthorKind.TECHNICIAN, ana.id)))
            assertEquals("dana@office (office)", book.authorName(office))
        }
    }

    @Test
    fun unmappedActionsAndEveryProblemAtOnce() {
        Book.openInMemory().unlocked().use { book ->
            val customer = book.createCustomer(newCustomer(), office)
            val at = Instant.parse("2026-05-04T09:00:00Z")
            book.recordTouchpoints(
                listOf(
                    Touchpoint(
                        id = newEntryId(), customerId = customer.id, at = at, channel = JourneyChannel.WEBSITE,
                        direction = Direction.INBOUND, actor = Actor.CUSTOMER, action = "brochure_downloaded",
                        properties = emptyMap(),
                    ),
                ),
                office,
            )
            val unmapped = book.unmappedActions().single()
            assertEquals("brochure_downloaded", unmapped.action)
            assertEquals(1uL, unmapped.touchpoints)
            assertNull(book.touchpoints(TouchpointQuery(customerId = customer.id, newestFirst = false)).single().stage)

            val bad = newCustomer(name = " ", phone = "call me")
            val error = assertThrows(PoolbookException.Invalid::class.java) { book.createCustomer(bad, office) }
            assertTrue(error.message!!, error.message!!.startsWith("invalid display_name: must not be empty; invalid contacts[0].name"))
            assertTrue(error.message!!, error.message!!.contains("; invalid contacts[0].phones[0].number: contains letters"))
        }
    }

    @Test
    fun aTechniciansPhoneCanBeCleared() {
        Book.openInMemory().unlocked().use { book ->
            val ana = book.addTechnician(NewTechnician(id = newTechnicianId(), name = "Ana Reyes", phone = "(602) 555-0100"), office)
            assertEquals("+16025550100", ana.phone)
            val cleared = book.updateTechnician(ana.id, ana.version, TechnicianPatch(phone = TextUpdate.Clear), office)
            assertNull(cleared.phone)
            assertNull(book.technician(ana.id).phone)
        }
    }

    @Test
    fun batchesLandWholeOrNotAtAll() {
        Book.openInMemory().unlocked().use { book ->
            val bad = assertThrows(PoolbookException.Invalid::class.java) {
                book.createCustomers(listOf(newCustomer(), newCustomer(name = "Sam Lee", phone = "call me")), office)
            }
            assertTrue(bad.message!!, bad.message!!.startsWith("invalid customers[1].contacts[0].phones[0].number"))
            assertEquals(0, book.listCustomers(CustomerQuery(archived = ArchivedFilter.EXCLUDE)).customers.size)
            val (maria, sam) = book.createCustomers(listOf(newCustomer(), newCustomer(name = "Sam Lee", phone = "(813) 555-0143")), office)
            assertEquals("Sam Lee", book.customer(sam.id).displayName)

            val day = java.time.LocalDate.of(2026, 10, 1)
            val invoice = Invoice(
                id = newEntryId(), customerId = maria.id, at = Instant.parse("2026-10-01T12:00:00Z"), number = "2026-0001",
                issuedOn = day, dueOn = day.plusDays(15),
                lines = listOf(InvoiceLine("Weekly pool service", java.math.BigDecimal("1"), java.math.BigDecimal("165.00"))),
            )
            val payment = Payment(
                id = newEntryId(), customerId = maria.id, at = Instant.parse("2026-10-05T12:00:00Z"),
                receivedOn = day.plusDays(4), amount = java.math.BigDecimal("100.00"), method = PaymentMethod.CARD,
                applications = listOf(Application(invoice.id, java.math.BigDecimal("100.00"))),
            )
            val stored = book.recordEntries(listOf(Entry.Invoice(invoice), Entry.Payment(payment)), office)
            assertEquals(2, stored.size)
            assertEquals(0, java.math.BigDecimal("65.00").compareTo(book.balance(maria.id)))
        }
    }

    @Test
    fun valuesOutsideTheDocumentedRangesAreRefused() {
        Book.openInMemory().unlocked().use { book ->
            val maria = book.createCustomer(newCustomer(), office)
            val day = java.time.LocalDate.of(2026, 3, 1)
            val invoice = Invoice(
                id = newEntryId(), customerId = maria.id, at = Instant.parse("2026-03-01T12:00:00Z"), number = "2026-0001",
                issuedOn = day, dueOn = day.plusDays(14),
                lines = listOf(InvoiceLine("Service", java.math.BigDecimal.ONE, java.math.BigDecimal("79228162514264337593543950335"))),
            )
            val money = assertThrows(PoolbookException.Invalid::class.java) { book.addInvoice(invoice, office) }
            assertTrue(money.message!!, money.message!!.startsWith("invalid lines[0].unit_price: must be at most 1000000000"))
            assertEquals(0, java.math.BigDecimal.ZERO.compareTo(book.balance(maria.id)))
            val quiet = Segment(name = "quiet", rules = listOf(SegmentRule.NoTouchpointFor(days = 4294967295u)))
            val days = assertThrows(PoolbookException.Invalid::class.java) { book.saveSegment(quiet, office) }
            assertTrue(days.message!!, days.message!!.startsWith("invalid rules[0].days: must be at most 36525 days"))
            val yearOne = Visit(
                id = newEntryId(), customerId = maria.id, locationId = maria.locations[0].id,
                at = Instant.parse("0001-01-01T00:30:00Z"), outcome = VisitOutcome.COMPLETED, readings = Readings(),
            )
            val at = assertThrows(PoolbookException.Invalid::class.java) { book.recordVisit(yearOne, office) }
            assertTrue(at.message!!, at.message!!.startsWith("invalid at: must be from 1900-01-01 to 2199-12-31"))
        }
    }

    @Test
    fun aBookOpenedReadOnlyRefusesWritesByKind() {
        val dir = java.nio.file.Files.createTempDirectory("poolbook-ro")
        val path = dir.resolve("book.sqlite").toString()
        val maria = Book.open(path).unlocked().use { book -> book.createCustomer(newCustomer(), office) }
        Book.openReadOnly(path).unlocked().use { book ->
            assertEquals(maria.displayName, book.customer(maria.id).displayName)
            val error = assertThrows(PoolbookException.ReadOnly::class.java) { book.createCustomer(newCustomer(), office) }
            assertTrue(error.message!!, error.message!!.startsWith("the book is read-only: "))
            val report = book.checkIntegrity()
            assertTrue(report.problems.toString(), report.ok)
            assertEquals(1uL, report.customersChecked)
        }
        val text = dir.resolve("notes.sqlite")
        java.nio.file.Files.writeString(text, "Gate code is on the fridge. ".repeat(200))
        assertThrows(PoolbookException.NotABook::class.java) { Book.open(text.toString()) }
    }

    @Test
    fun sqlReadsThroughTheBooksOwnConnectionAndRefusesWritesAndSecrets() {
        Book.openInMemory().unlocked().use { book ->
            book.createCustomer(newCustomer(), office)
            val rows = book.sql("SELECT count(*) AS n, ?1 AS t, ?2 AS r FROM customers",
                listOf(SqlValue.Text("oak"), SqlValue.Real(2.5)))
            assertEquals(listOf("n", "t", "r"), rows.columns)
            assertEquals(listOf(listOf(SqlValue.Integer(1L), SqlValue.Text("oak"), SqlValue.Real(2.5))), rows.rows)
            for (query in listOf("DELETE FROM customers", "SELECT gate_code FROM location_secrets", "PRAGMA busy_timeout = 1")) {
                val error = assertThrows(PoolbookException.Invalid::class.java) { book.sql(query, emptyList()) }
                assertTrue(error.message!!, error.message!!.startsWith("invalid query: "))
            }
            assertEquals(1, book.listCustomers(CustomerQuery(archived = ArchivedFilter.EXCLUDE)).customers.size)
        }
    }

    @Test
    fun aBackupIsACheckedCopyThatRestoresByOpeningIt() {
        val dir = java.nio.file.Files.createTempDirectory("poolbook-backup")
        val target = dir.resolve("backup.sqlite").toString()
        val maria = Book.open(dir.resolve("book.sqlite").toString()).unlocked().use { book ->
            val maria = book.createCustomer(newCustomer(), office)
            val report = book.backupTo(target)
            assertEquals(target, report.path)
            assertEquals(1uL, report.customers)
            assertEquals(java.io.File(target).length().toULong(), report.bytes)
            val error = assertThrows(PoolbookException.Invalid::class.java) { book.backupTo(target) }
            assertTrue(error.message!!, error.message!!.startsWith("invalid path: "))
            maria
        }
        Book.open(target).use { restored ->
            assertEquals(maria, restored.customer(maria.id))
            assertTrue(restored.checkIntegrity().ok)
        }
    }

    @Test
    fun openWithTakesABusyTimeoutAndACheckOnOpen() {
        val dir = java.nio.file.Files.createTempDirectory("poolbook-open")
        val path = dir.resolve("book.sqlite").toString()
        Book.open(path).unlocked().use { book -> book.createCustomer(newCustomer(), office) }
        val options = OpenOptions(readOnly = true, busyTimeoutMs = 250u, checkOnOpen = OpenCheck.ALWAYS)
        Book.openWith(path, options).unlocked().use { book ->
            assertEquals(1, book.listCustomers(CustomerQuery(archived = ArchivedFilter.EXCLUDE)).customers.size)
            assertThrows(PoolbookException.ReadOnly::class.java) { book.createCustomer(newCustomer(), office) }
        }
        val error = assertThrows(PoolbookException.Invalid::class.java) {
            Book.openWith(path, OpenOptions(busyTimeoutMs = 700_000u, checkOnOpen = OpenCheck.SMALL_FILES))
        }
        assertTrue(error.message!!, error.message!!.startsWith("invalid options.busy_timeout_ms"))
    }
}
