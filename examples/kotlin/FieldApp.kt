// A field app's first screen with poolbook from Kotlin: the book lives in
// the app's own storage folder, its gate codes unlock with a key the host
// keeps, the office's new customer is created once, the technician records
// a visit with no network (it lands in the local file), and the stop card
// is read back. Run it twice on one folder: the second run finds the
// customer and the first visit in the file.
// scripts/check-mobile runs it twice against the packaged jar.
package examples

import java.io.File
import java.math.BigDecimal
import java.security.SecureRandom
import java.time.Instant
import java.time.LocalTime
import poolbook.*

/**
 * The app's key, kept by the host: on Android, 32 random bytes wrapped by an
 * Android Keystore key (the Keystore never hands out its own key). Here a
 * file in a separate key folder stands in for the Keystore.
 */
class AppKeyStore(private val keyFolder: File) : KeyProvider {
    override fun keyEncryptionKey(salt: ByteArray): ByteArray? {
        val file = File(keyFolder, "poolbook.key")
        if (!file.exists()) {
            keyFolder.mkdirs()
            file.writeBytes(ByteArray(32).also(SecureRandom()::nextBytes))
        }
        return file.readBytes()
    }
}

fun main(args: Array<String>) {
    // On Android: context.filesDir; on a desktop: the app's data folder.
    val appFolder = File(args.firstOrNull() ?: error("usage: FieldApp APP_FOLDER"))
    val office = Author(AuthorKind.OFFICE, "dispatch")
    val technician = Author(AuthorKind.TECHNICIAN, "ana")

    // Every Book call blocks on SQLite: in an app, call it off the UI thread
    // (e.g. withContext(Dispatchers.IO) { ... }).
    File(appFolder, "books").mkdirs()
    Book.open(File(appFolder, "books/pools.sqlite").path).use { book ->
        book.unlock(AppKeyStore(File(appFolder, "keys")))

        // The office's new customer, once: found by name on later runs.
        val found = book.searchCustomers("Maria Lopez", 1u).firstOrNull()
        val customer = if (found != null) {
            book.customer(found.customerId)
        } else {
            book.createCustomer(
                NewCustomer(
                    id = newCustomerId(), kind = CustomerKind.RESIDENTIAL, displayName = "Maria Lopez",
                    status = LifecycleStatus.ACTIVE,
                    billing = Billing(rate = BigDecimal("85.00"), rateBasis = RateBasis.PER_VISIT, termsDays = 30u),
                    customFields = emptyMap(),
                    contacts = listOf(
                        Contact(
                            id = newContactId(), name = "Maria Lopez", role = ContactRole.OWNER,
                            phones = listOf(Phone(number = "(602) 555-0142", label = "mobile", smsCapable = true)),
                            primary = true,
                        ),
                    ),
                    locations = listOf(
                        ServiceLocation(
                            id = newLocationId(),
                            address = Address("1420 Oak Street", null, "Phoenix", "AZ", "85018", "US"),
                            bodiesOfWater = listOf(
                                BodyOfWater(
                                    id = newBodyOfWaterId(), name = "Main pool", kind = WaterKind.POOL,
                                    gallons = 18000.0, sanitizer = Sanitizer.SALT, setting = Setting.OUTDOOR,
                                ),
                            ),
                            access = AccessDetails(
                                gateCode = MaskedSecret("4417#"),
                                pets = listOf(Pet("Rex", "dog", PetTemperament.NERVOUS)),
                                accessHours = listOf(
                                    AccessWindow(listOf(Weekday.TUESDAY), LocalTime.of(8, 0), LocalTime.of(12, 0)),
                                ),
                            ),
                        ),
                    ),
                    preferences = Preferences(doNotContact = false),
                ),
                office,
            )
        }
        val location = customer.locations.first()

        // At the pool, offline: the visit is written to the local file.
        book.recordVisit(
            Visit(
                id = newEntryId(), customerId = customer.id, locationId = location.id,
                bodyOfWaterId = location.bodiesOfWater.first().id, at = Instant.now(),
                outcome = VisitOutcome.COMPLETED,
                readings = Readings(freeChlorine = 3.5, ph = 7.6, totalAlkalinity = 80.0, cyanuricAcid = 70.0),
                tasks = listOf("brushed", "emptied baskets"),
            ),
            technician,
        )

        // The stop card for the next visit: pets and hours first, the gate code sealed.
        val card = book.stopCard(location.id)
        println("${card.customerName}, ${card.address.line1}")
        card.pets.forEach { println("  pet: ${it.name} (${it.kind}, ${it.temperament.name.lowercase()})") }
        card.accessHours.forEach { println("  hours: ${it.days.joinToString { day -> day.name.lowercase() }} ${it.start}-${it.end}") }
        println("  gate code: ${card.gateCode}")
        val code = book.revealSecret(location.id, SecretField.GATE_CODE, technician, "at the gate")?.reveal()
        println("  revealed at the gate (audited): ${code?.let { "yes" } ?: "no code"}")
        val visits = book.timeline(
            TimelineQuery(customerId = customer.id, kinds = listOf(EntryKind.VISIT), includeChanges = false, limit = 50u),
        ).items.size
        println("visits on file: $visits (last ${card.lastVisit?.outcome?.name?.lowercase()})")
    }
}
