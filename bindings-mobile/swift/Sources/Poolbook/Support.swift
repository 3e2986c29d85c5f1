// Handwritten companion of the generated Poolbook.swift (compile them
// together, in module Poolbook): the Swift sides of core's `Secret`,
// `NaiveDate` and `NaiveTime` custom types.
import Foundation

/// A value that must not be shown by accident: a gate code, lock combination
/// or alarm code. Its `description`, `debugDescription` and reflection are
/// masked (so `print`, logs and dumped records never carry it). One you make
/// holds the value you give; one read from a book is sealed (`isSealed`):
/// reveal it with `Book.revealSecret`, which records who looked. `reveal()`
/// gives the value of one that is not sealed, and `nil` for a sealed one.
public struct MaskedSecret: Hashable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    private let value: String

    /// How core writes a sealed secret (core's `SEALED_PREFIX`).
    private static let sealedPrefix = "pbsealed1:"

    /// Wraps a secret value.
    public init(_ value: String) { self.value = value }

    /// Whether this is a sealed secret read from a book.
    public var isSealed: Bool { value.hasPrefix(MaskedSecret.sealedPrefix) }

    /// The secret value itself; `nil` for a sealed secret read from a book.
    public func reveal() -> String? { isSealed ? nil : value }

    /// What core reads: the value, or a sealed secret's blob.
    func wire() -> String { value }

    /// The mask, never the value.
    public var description: String { isSealed ? "[sealed]" : "[redacted]" }

    /// The mask, never the value.
    public var debugDescription: String { isSealed ? "MaskedSecret([sealed])" : "MaskedSecret([redacted])" }

    /// No children, so `dump` and default descriptions show no value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// `n` in decimal, with zeros in front up to `width` digits (ISO dates and times).
private func zeroPadded(_ n: Int, width: Int) -> String {
    let text = String(n)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

/// A calendar day with no time or time zone (core's `NaiveDate`): ISO
/// `YYYY-MM-DD` on the wire. Foundation has no such type; `dateComponents`
/// gives the Foundation form.
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, e.g. 2026.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31.
    public let day: Int

    /// The day with these parts (checked by the library when it is used).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO `YYYY-MM-DD` text; nil when it is not one.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// A day the library sent (always ISO).
    init(iso text: String) {
        guard let day = LocalDate(parsing: text) else {
            preconditionFailure("poolbook sent a malformed date: \(text)")
        }
        self = day
    }

    /// The ISO `YYYY-MM-DD` text.
    public var iso: String {
        "\(zeroPadded(year, width: 4))-\(zeroPadded(month, width: 2))-\(zeroPadded(day, width: 2))"
    }

    /// The Foundation form (Gregorian calendar).
    public var dateComponents: DateComponents {
        DateComponents(calendar: Calendar(identifier: .gregorian), year: year, month: month, day: day)
    }

    /// The ISO text.
    public var description: String { iso }

    /// Earlier days first.
    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}

/// A time of day with no date or time zone (core's `NaiveTime`): an access
/// window's hours, quiet hours. `HH:MM:SS` on the wire (whole seconds, as
/// core stores them). Foundation has no such type; `dateComponents` gives
/// the Foundation form.
public struct LocalTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The hour, 0–23.
    public let hour: Int
    /// The minute, 0–59.
    public let minute: Int
    /// The second, 0–59.
    public let second: Int

    /// The time with these parts (checked by the library when it is used).
    public init(hour: Int, minute: Int, second: Int = 0) {
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses `HH:MM` or `HH:MM:SS` (a fraction of a second is dropped);
    /// nil when it is not one.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]) else {
            return nil
        }
        var s = 0
        if parts.count == 3 {
            guard let whole = Int(parts[2].split(separator: ".", maxSplits: 1)[0]) else { return nil }
            s = whole
        }
        self.init(hour: h, minute: m, second: s)
    }

    /// A time the library sent (always `HH:MM:SS`).
    init(iso text: String) {
        guard let time = LocalTime(parsing: text) else {
            preconditionFailure("poolbook sent a malformed time of day: \(text)")
        }
        self = time
    }

    /// The `HH:MM:SS` text.
    public var iso: String {
        "\(zeroPadded(hour, width: 2)):\(zeroPadded(minute, width: 2)):\(zeroPadded(second, width: 2))"
    }

    /// The Foundation form.
    public var dateComponents: DateComponents {
        DateComponents(hour: hour, minute: minute, second: second)
    }

    /// The `HH:MM:SS` text.
    public var description: String { iso }

    /// Earlier times first.
    public static func < (a: LocalTime, b: LocalTime) -> Bool {
        (a.hour, a.minute, a.second) < (b.hour, b.minute, b.second)
    }
}
