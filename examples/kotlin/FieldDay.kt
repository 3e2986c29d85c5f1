// A technician's field day with poolbook from Kotlin: open the book, take
// the day's route in driving order with its expected arrivals, read the
// stop card at the gate, record the visit with
// its readings, text the customer, and see a validation error.
// scripts/check-mobile compiles and runs it against the built library.
package examples

import java.io.File
import java.time.Instant
import java.time.LocalDate
import java.time.LocalTime
import poolbook.*

fun main() {
    val file = File.createTempFile("fieldday", ".db").apply { delete(); deleteOnExit() }
    // Every Book call blocks on SQLite: in an app, call it off the UI thread
    // (e.g. withContext(Dispatchers.IO) { ... }).
    Book.open(file.path).use { book ->
        // The gate codes are sealed under a key from this passphrase; a field
        // app would implement KeyProvider over the Android Keystore instead.
        book.unlock(passphraseKeyProvider("field day passphrase"))
        val demo = populateDemo(book, defaultDemoOptions().copy(customers = 30u, technicians = 2u, weeks = 2u))
        val tech = demo.technicians.first()
        // The day in driving order, from the yard and back, leaving at 07:30.
        val yard = GeoPoint(latitude = 33.45, longitude = -112.07)
        val options = RouteOptions(start = yard, end = yard, departAt = LocalTime.of(7, 30))
        // The busiest day of the demo's last week.
        val route = (0L..6L).map { book.orderedRoute(tech, LocalDate.of(2026, 11, 20).minusDays(it), options) }
            .maxBy { it.stops.size }
        println(
            "${route.technician.name}: ${route.stops.size} stops on ${route.date}, " +
                "%.1f km in driving order (%.1f km in name order)".format(route.distanceKm, route.nameOrderDistanceKm),
        )
        for (stop in route.stops) {
            val arrival = stop.arrivalLocal?.toString() ?: "--:--"
            val wait = if (stop.waitMinutes > 0u) ", waits ${stop.waitMinutes} min for the gate hours" else ""
            println("  ${stop.position}. $arrival ${stop.card.customerName}$wait")
        }

        val stop = route.stops.map { it.card }.first { it.bodiesOfWater.isNotEmpty() }
        println("${stop.customerName}, ${stop.address.line1}: gate code ${stop.gateCode}") // [sealed]
        val author = Author(AuthorKind.TECHNICIAN, tech)
        book.revealSecret(stop.locationId, SecretField.GATE_CODE, author, "at the gate")
            ?.let { println("at the gate, revealed (and audited): ${it.reveal()}") }

        book.recordMessage(
            Message(
                id = newEntryId(), customerId = stop.customerId, locationId = stop.locationId,
                at = Instant.now(), channel = ContactChannel.SMS, direction = Direction.OUTBOUND,
                body = "On my way, about 10 minutes.",
            ),
            author,
        )
        val visit = book.recordVisit(
            Visit(
                id = newEntryId(), customerId = stop.customerId, locationId = stop.locationId,
                bodyOfWaterId = stop.bodiesOfWater.first().body.id, technicianId = tech, at = Instant.now(),
                outcome = VisitOutcome.COMPLETED,
                readings = Readings(
                    freeChlorine = 3.0, ph = 7.5, totalAlkalinity = 90.0, calciumHardness = 300.0,
                    cyanuricAcid = 40.0, temperatureF = 78.0,
                ),
                tasks = listOf("brushed", "emptied baskets"),
            ),
            author,
        )
        val assessment = book.assessVisit(visit.id, CsiMethod.TFP)
        val outOfRange = assessment.flags.filter { it.level != Level.OK }.map { it.parameter }
        println("CSI %.2f, out of range: %s".format(assessment.saturationIndex?.value, outOfRange))

        try {
            book.recordVisit(visit.copy(id = newEntryId(), readings = Readings(ph = -1.0)), author)
        } catch (e: PoolbookException.Invalid) {
            println("refused: ${e.message}")
        }
    }
}
