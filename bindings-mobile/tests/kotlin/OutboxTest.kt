// The outbox from Kotlin (issue 21) against the compiled library: an office
// app reads the due messages and sends the batch, the field app's stop card
// says when the customer was notified, a STOP reply records the opt-out, and
// a template with an unknown field is refused when saved.
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertThrows
import org.junit.Assert.assertTrue
import org.junit.Test
import poolbook.*

class OutboxTest {
    /** Maria Lopez in Phoenix; her tenant Luis (not the first number) gets an SMS 12 hours before each Tuesday visit. */
    private fun notified(book: Book): Pair<Customer, Contact> {
        book.setTimeZone("America/Phoenix", office)
        val tech = book.addTechnician(NewTechnician(id = newTechnicianId(), name = "Carlos Vega"), office)
        val owner = Contact(
            id = newContactId(), name = "Maria Lopez", role = ContactRole.OWNER, primary = true,
            phones = listOf(Phone(number = "602 555 0101", label = null, smsCapable = true)),
        )
        val luis = Contact(
            id = newContactId(), name = "Luis Lopez", role = ContactRole.TENANT, primary = false,
            phones = listOf(Phone(number = "602 555 0102", label = null, smsCapable = true)),
        )
        val plan = ServicePlan(
            frequency = Frequency.WEEKLY, preferredWeekday = Weekday.TUESDAY, technicianId = tech.id,
            startsOn = LocalDate.parse("2026-05-04"),
        )
        val new = newCustomer().copy(
            contacts = listOf(owner, luis),
            locations = listOf(ServiceLocation(id = newLocationId(), address = address("1420 Oak Street"), access = AccessDetails(), servicePlan = plan)),
            preferences = Preferences(
                doNotContact = false,
                notifyBeforeVisit = VisitNotice(ContactChannel.SMS, luis.id, 720u),
                quietHours = TimeWindow(LocalTime.of(21, 0), LocalTime.of(8, 0)),
            ),
        )
        return book.createCustomer(new, office) to luis
    }

    @Test
    fun anOfficeAppSendsTheBatchAndTheStopCardSaysWhenTheCustomerWasNotified() {
        Book.openInMemory().unlocked().use { book ->
            val (maria, luis) = notified(book)
            val now = Instant.parse("2026-05-11T12:00:00Z")
            val outbox = book.dueMessages(now, 36u * 60u)
            assertEquals(emptyList<SuppressedMessage>(), outbox.suppressed)
            val notice = outbox.due.single()
            assertEquals(luis.id, notice.contactId)
            assertEquals("+16025550102", notice.address)
            assertEquals(Instant.parse("2026-05-12T03:00:00Z"), notice.sendAt)
            assertEquals("Hi Luis, Carlos will service your pool on Tuesday, May 12. Reply STOP to opt out.", notice.body)
            assertEquals(OutboxRule.VISIT_NOTICE, notice.rule)

            val sentAt = Instant.parse("2026-05-12T03:00:04Z")
            val sent = outbox.due.map { book.markSent(it, sentAt, office) }
            assertEquals(listOf(OutboxStatus.SENT), sent.map { it.status })
            assertEquals(emptyList<DueMessage>(), book.dueMessages(now, 36u * 60u).due)
            assertEquals(sentAt, book.stopCard(maria.locations[0].id).customerNotifiedAt)

            val again = assertThrows(PoolbookException.Invalid::class.java) { book.markSent(notice, sentAt, office) }
            assertTrue(again.message!!, again.message!!.startsWith("invalid message.key: was already marked sent"))

            val reply = InboundReply(maria.id, luis.id, ContactChannel.SMS, "STOP", Instant.parse("2026-05-12T03:05:00Z"), sent[0].key)
            val outcome = book.recordReply(reply, office)
            assertEquals(ReplyKind.STOP, outcome.kind)
            assertTrue(outcome.optedOut)
            val consent = book.customer(maria.id).contacts.single { it.id == luis.id }.consents.single()
            assertEquals(ConsentStatus.OPTED_OUT, consent.status)
            assertEquals("reply STOP", consent.method)
            assertNull(book.customer(maria.id).preferences.notifyBeforeVisit)
            val rate = book.replyRates(null, null).single()
            assertEquals(1uL, rate.stopped)
        }
    }

    @Test
    fun aTemplateWithAnUnknownFieldIsRefusedWhenSaved() {
        Book.openInMemory().unlocked().use { book ->
            assertEquals(
                listOf("first_name", "customer_name", "issue_summary", "resolution"),
                templateFields(OutboxRule.ISSUE_FOLLOWUP),
            )
            val bad = MessageTemplate(
                OutboxRule.VISIT_NOTICE, "b",
                listOf(TemplateText("en", null, "Code {{gate_code}}"), TemplateText("es", null, "Código {{gate_code}}")),
            )
            val error = assertThrows(PoolbookException.Invalid::class.java) { book.saveMessageTemplate(bad, office) }
            assertTrue(error.message!!, error.message!!.startsWith("invalid translations[0].body: uses the unknown field {{gate_code}}"))
            assertEquals(listOf("en", "es"), book.outboxSettings().languages)
        }
    }
}
