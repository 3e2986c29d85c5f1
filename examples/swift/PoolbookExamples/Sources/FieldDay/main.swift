// A technician's field day with poolbook from Swift: open the book, take the
// day's route in driving order with its expected arrivals, read the stop
// card at the gate, record the visit with its
// readings, text the customer, and see a validation error.
// scripts/check-mobile compiles and runs it against the built library.
import Foundation
import Poolbook

let path = NSTemporaryDirectory() + "fieldday-\(UUID().uuidString).db"

// Every Book call blocks on SQLite: in an app, call it off the main thread
// (e.g. in a Task.detached or a background DispatchQueue).
let book = try Book.open(path: path)
// The gate codes are sealed under a key from this passphrase; a field app
// would implement KeyProvider over the iOS Keychain instead.
try book.unlock(provider: try passphraseKeyProvider(passphrase: "field day passphrase"))
var options = defaultDemoOptions()
options.customers = 30
options.technicians = 2
options.weeks = 2
let demo = try populateDemo(book: book, options: options)
let tech = demo.technicians[0]
// The day in driving order, from the yard and back, leaving at 07:30.
let yard = GeoPoint(latitude: 33.45, longitude: -112.07)
let routeOptions = RouteOptions(start: yard, end: yard, departAt: LocalTime(hour: 7, minute: 30))
// The busiest day of the demo's last week.
var route = try book.orderedRoute(
    technicianId: tech, date: LocalDate(year: 2026, month: 11, day: 20), options: routeOptions)
for day in 14...19 {
    let other = try book.orderedRoute(
        technicianId: tech, date: LocalDate(year: 2026, month: 11, day: day), options: routeOptions)
    if other.stops.count > route.stops.count { route = other }
}
print(
    "\(route.technician.name): \(route.stops.count) stops on \(route.date), "
        + String(format: "%.1f km in driving order (%.1f km in name order)", route.distanceKm, route.nameOrderDistanceKm))
for routeStop in route.stops {
    let wait = routeStop.waitMinutes > 0 ? ", waits \(routeStop.waitMinutes) min for the gate hours" : ""
    print("  \(routeStop.position). \(routeStop.arrivalLocal?.iso ?? "--:--") \(routeStop.card.customerName)\(wait)")
}

let stop = route.stops.map { $0.card }.first { !$0.bodiesOfWater.isEmpty }!
print("\(stop.customerName), \(stop.address.line1): gate code \(stop.gateCode.map { "\($0)" } ?? "none")")  // [sealed]
let author = Author(kind: .technician, id: tech)
if let gate = try book.revealSecret(locationId: stop.locationId, field: .gateCode, author: author, reason: "at the gate") {
    print("at the gate, revealed (and audited): \(gate.reveal() ?? "")")
}
_ = try book.recordMessage(
    message: Message(
        id: newEntryId(), customerId: stop.customerId, locationId: stop.locationId, at: Date(),
        channel: .sms, direction: .outbound, body: "On my way, about 10 minutes."),
    author: author)
let visit = try book.recordVisit(
    visit: Visit(
        id: newEntryId(), customerId: stop.customerId, locationId: stop.locationId,
        bodyOfWaterId: stop.bodiesOfWater[0].body.id, technicianId: tech, at: Date(), outcome: .completed,
        readings: Readings(
            freeChlorine: 3, ph: 7.5, totalAlkalinity: 90, cyanuricAcid: 40, calciumHardness: 300, temperatureF: 78),
        tasks: ["brushed", "emptied baskets"]),
    author: author)
let assessment = try book.assessVisit(visitId: visit.id, method: .tfp)
let csi = assessment.saturationIndex.map { String(format: "%.2f", $0.value) } ?? "-"
print("CSI \(csi), out of range: \(assessment.flags.filter { $0.level != .ok }.map { "\($0.parameter)" })")

var bad = visit
bad.id = newEntryId()
bad.readings = Readings(ph: -1)
do {
    _ = try book.recordVisit(visit: bad, author: author)
} catch PoolbookError.Invalid(let message) {
    print("refused: \(message)")
}
try book.close()
try? FileManager.default.removeItem(atPath: path)
