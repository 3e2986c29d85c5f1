// Shared builders for the Kotlin tests: a small customer record, ids,
// authors. Values only; every operation under test is the binding's.
import java.math.BigDecimal
import poolbook.*

fun newId(): String = newEntryId()

val office = Author(AuthorKind.OFFICE, "dana@office")

/** The key every test book is sealed with. */
val testKey: KeyProvider = staticKeyProvider(ByteArray(32) { 0x42 })

/** The book, unlocked with [testKey]. */
fun Book.unlocked(): Book = also { it.unlock(testKey) }

/** The gate code of the book's location, revealed (and audited) as the office. */
fun Book.gateCodeOf(locationId: String): String? =
    revealSecret(locationId, SecretField.GATE_CODE, office, "a test at the gate")?.reveal()

fun address(line1: String = "12 Palm Way") =
    Address(line1 = line1, line2 = null, city = "Tampa", region = "FL", postalCode = "33602", country = "US")

fun pool(gallons: Double? = 15000.0) =
    BodyOfWater(
        id = newId(), name = "Main pool", kind = WaterKind.POOL, gallons = gallons,
        surface = Surface.PLASTER, sanitizer = Sanitizer.CHLORINE, setting = Setting.OUTDOOR,
    )

fun newCustomer(name: String = "Maria Lopez", phone: String = "(813) 555-0142", gallons: Double? = 15000.0) =
    NewCustomer(
        id = newId(), kind = CustomerKind.RESIDENTIAL, displayName = name, status = LifecycleStatus.ACTIVE,
        billing = Billing(rate = BigDecimal("85.00"), rateBasis = RateBasis.PER_VISIT, termsDays = 30u),
        tags = listOf("weekly"), customFields = mapOf("hoa_gate" to "north"),
        contacts = listOf(
            Contact(
                id = newId(), name = name, role = ContactRole.OWNER,
                phones = listOf(Phone(number = phone, label = "mobile", smsCapable = true)),
                emails = listOf("maria@example.com"), primary = true,
            ),
        ),
        locations = listOf(
            ServiceLocation(
                id = newId(), address = address(), bodiesOfWater = listOf(pool(gallons)),
                access = AccessDetails(gateCode = MaskedSecret("4417#"), pets = listOf(Pet("Rex", "dog", PetTemperament.FRIENDLY))),
            ),
        ),
        preferences = Preferences(doNotContact = false),
    )
