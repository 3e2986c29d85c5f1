// Data quality from Kotlin, against the compiled library: duplicate
// candidates with their explained score and a verdict, merge and unmerge
// of two records of one customer, and the quality report.
import java.time.Instant
import java.time.temporal.ChronoUnit
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNotNull
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class QualityTest {
    private fun person(book: Book, name: String, phone: String, line1: String, email: String? = null): Customer {
        val base = newCustomer(name, phone)
        val contact = base.contacts[0].copy(emails = listOfNotNull(email))
        val home = ServiceLocation(id = newId(), address = address(line1), bodiesOfWater = emptyList(), access = AccessDetails())
        return book.createCustomer(base.copy(contacts = listOf(contact), locations = listOf(home)), office)
    }

    private fun strangers(book: Book) {
        val firsts = listOf("alma", "boris", "cleo", "dmitri", "esme", "farid", "gwen", "hugo")
        val lasts = listOf("abbot", "brandt", "castillo", "dunmore", "eriksen", "gallo", "hollis")
        for (i in 0 until 30) {
            val name = "${firsts[i % firsts.size]} ${lasts[(i / firsts.size + i) % lasts.size]}"
            person(book, name, "813-%03d-%04d".format(200 + i, 1000 + i * 37), "${100 + i * 3} Birch Way")
        }
    }

    @Test
    fun duplicatesAreFoundExplainedAndDecided() {
        Book.openInMemory().unlocked().use { book ->
            strangers(book)
            val maria = person(book, "Maria Lopez", "+1 (555) 010-2233", "1420 Oak Street", "maria.lopez@gmail.com")
            val again = person(book, "Lopez, Maria", "555.010.2233", "1420 Oak St", "marialopez@gmail.com")
            val found = book.duplicateCandidates(DuplicateQuery())
            assertEquals(1, found.size)
            val pair = found[0]
            assertEquals(setOf(maria.id, again.id), setOf(pair.a, pair.b))
            assertEquals(MatchBand.LIKELY, pair.band)
            assertTrue(pair.probability > 0.99)
            assertEquals(pair.weight, pair.prior + pair.comparisons.sumOf { it.weight }, 1e-9)
            assertEquals("exact", pair.comparisons.first { it.field == "phone" }.level)
            val mine = book.duplicateCandidates(DuplicateQuery(customerId = again.id))
            assertEquals(pair.weight, mine[0].weight, 0.0)

            book.decideDuplicate(pair.a, pair.b, DuplicateVerdict.NOT_DUPLICATE, office)
            assertTrue(book.duplicateCandidates(DuplicateQuery()).isEmpty())
            val self = assertThrows(PoolbookException.Invalid::class.java) {
                book.decideDuplicate(maria.id, maria.id, DuplicateVerdict.SAME, office)
            }
            assertTrue(self.message, self.message!!.startsWith("invalid b:"))
        }
    }

    @Test
    fun mergeAndUnmergeGiveBothRecordsBack() {
        Book.openInMemory().unlocked().use { book ->
            val survivor = person(book, "Maria Lopez", "555-010-2233", "1420 Oak Street")
            val absorbed = book.createCustomer(newCustomer("Mary Lopez", "555-010-7788"), office)
            val outcome = book.mergeCustomers(survivor.id, absorbed.id, MergePicks(), office)
            assertEquals(2, outcome.survivor.locations.size)
            assertEquals(survivor.id, book.resolveCustomer(absorbed.id).id)
            assertNotNull(book.customer(absorbed.id).archivedAt)
            assertEquals("4417#", book.gateCodeOf(absorbed.locations[0].id))
            val twice = assertThrows(PoolbookException.Invalid::class.java) {
                book.mergeCustomers(survivor.id, absorbed.id, MergePicks(), office)
            }
            assertTrue(twice.message, twice.message!!.contains("already merged"))

            val undone = book.unmergeCustomer(absorbed.id, office)
            assertTrue(undone.keptEdits.isEmpty())
            val back = book.customer(absorbed.id)
            assertNull(back.archivedAt)
            assertEquals(absorbed.contacts, back.contacts)
            assertEquals(absorbed.locations, back.locations)
            assertEquals(survivor.locations, book.customer(survivor.id).locations)
            assertEquals(absorbed.id, book.resolveCustomer(absorbed.id).id)
        }
    }

    @Test
    fun theQualityReportNamesRuleFieldAndSeverity() {
        Book.openInMemory().unlocked().use { book ->
            val tia = person(book, "Tia Typo", "813-555-0142", "11 Fig St", "tia@gmial.com")
            val report = book.qualityReport(Instant.now().plus(1, ChronoUnit.DAYS))
            assertEquals(1u, report.customers)
            val typo = report.findings.single { it.rule == "email_domain_typo" }
            assertEquals(tia.id, typo.customerId)
            assertEquals("contacts[0].emails[0]", typo.field)
            assertEquals(Severity.WARNING, typo.severity)
            assertTrue(typo.message, typo.message.contains("gmail.com"))
            assertTrue(report.counts.size > 20)
            assertEquals(1.0, report.fillRates.single { it.field == "contacts.emails" }.rate, 0.0)
        }
    }
}
