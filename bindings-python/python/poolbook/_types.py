# Generated from core's source by `cargo run -p poolbook-python-typegen`; do not
# edit. scripts/check-python fails when this file is out of date with core.
"""Core's records, unions, enums and identifiers as Python classes.

Generated from core's source, so every class has exactly core's fields under
core's names (a field named like a Python keyword gets a trailing
underscore, e.g. ``from_``). Records are :class:`poolbook.Record` classes
with type hints and keyword-only constructors; enums are
:class:`poolbook.TextEnum` members (``str`` subclasses: ``kind == "hoa"``
holds); identifiers are ``str`` under a ``NewType``; a union (core's tagged
enum) is a base class whose variants inherit from it.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Any, ClassVar, Dict, List, NewType, Optional, Tuple

from ._records import Record, Secret, TextEnum, new_id, register_variants
from ._mixins import AuthorConstructors


# Identifiers: UUIDv7 strings ----------------------------------------------

CustomerId = NewType("CustomerId", str)
"""Identifies a customer account."""

ContactId = NewType("ContactId", str)
"""Identifies a contact person."""

LocationId = NewType("LocationId", str)
"""Identifies a service location."""

BodyOfWaterId = NewType("BodyOfWaterId", str)
"""Identifies a pool, spa or water feature."""

TechnicianId = NewType("TechnicianId", str)
"""Identifies a technician."""

EntryId = NewType("EntryId", str)
"""Identifies a history entry: a visit, invoice, payment, credit,
message, issue, note or feedback.
"""


# Enums: fixed snake_case words -----------------------------------------------


class AttributionModel(TextEnum):
    """How a conversion's credit is shared among its touches."""

    FIRST_TOUCH = "first_touch"
    """All to the first touch."""
    LAST_TOUCH = "last_touch"
    """All to the last touch."""
    LINEAR = "linear"
    """Equal shares."""
    POSITION_BASED = "position_based"
    """40% first, 40% last, 20% shared by the middle."""
    TIME_DECAY = "time_decay"
    """More to touches nearer the conversion (half-life decay)."""


class ReadingTrend(TextEnum):
    """Which way a reading has moved over the last visits."""

    RISING = "rising"
    """Up by more than the reading's tolerance."""
    FALLING = "falling"
    """Down by more than the reading's tolerance."""
    STEADY = "steady"
    """Within the tolerance."""


class CsiMethod(TextEnum):
    """How the calcite saturation index is computed."""

    TFP = "tfp"
    """The closed-form CSI used by TroubleFreePool's PoolMath, with ionic
    strength, cyanurate and borate corrections. The default.
    """
    CLASSIC = "classic"
    """The classic Langelier factor method: pH + TF + CF + AF − 12.1."""


class Level(TextEnum):
    """Where a value sits against its target range."""

    LOW = "low"
    """Below the minimum."""
    OK = "ok"
    """Within the range (bounds included)."""
    HIGH = "high"
    """Above the maximum."""


class EntityKind(TextEnum):
    """The kinds of record the book holds; used in errors and the change log."""

    CUSTOMER = "customer"
    """A customer account."""
    CONTACT = "contact"
    """A contact person on an account."""
    LOCATION = "location"
    """A service location (a property)."""
    BODY_OF_WATER = "body_of_water"
    """A pool, spa or water feature."""
    TECHNICIAN = "technician"
    """A technician."""
    ENTRY = "entry"
    """A history entry: visit, invoice, payment, credit, message, issue, note or feedback."""
    TOUCHPOINT = "touchpoint"
    """A batch of journey touchpoints."""
    VISITOR = "visitor"
    """An anonymous visitor's link to a customer."""
    SEGMENT = "segment"
    """A saved segment."""
    TARGET_PROFILE = "target_profile"
    """A chemistry target profile."""
    SETTING = "setting"
    """A book-wide setting."""
    OUTBOX_MESSAGE = "outbox_message"
    """A message of the outbox the host reported on."""
    DUPLICATE_PAIR = "duplicate_pair"
    """A pair of customers the office decided were, or were not, one customer."""
    IMPORT = "import"
    """A spreadsheet import (one committed batch)."""


class Period(TextEnum):
    """A calendar period counts are grouped by (UTC days; weeks start on Monday)."""

    DAY = "day"
    """One calendar day."""
    WEEK = "week"
    """A week, Monday to Sunday."""
    MONTH = "month"
    """A calendar month."""


class AuthorKind(TextEnum):
    """Who, in kind, made a change."""

    TECHNICIAN = "technician"
    """A technician, usually from the field app."""
    OFFICE = "office"
    """An office user."""
    IMPORT = "import"
    """An import job."""
    SYSTEM = "system"
    """poolbook itself or an automation."""


class ChangeAction(TextEnum):
    """What happened to the entity."""

    CREATED = "created"
    """It was created."""
    UPDATED = "updated"
    """Some of its fields changed."""
    ARCHIVED = "archived"
    """It was archived (the normal API never hard-deletes)."""
    RESTORED = "restored"
    """It was brought back from the archive."""
    TRANSFERRED = "transferred"
    """A location moved to another customer."""
    LINKED = "linked"
    """An anonymous visitor was linked to a customer."""
    UNLINKED = "unlinked"
    """A visitor's link to a customer was undone."""
    MERGED = "merged"
    """Two customers were merged into one."""
    UNMERGED = "unmerged"
    """A merge was undone."""


class JourneyChannel(TextEnum):
    """Where a touchpoint happened."""

    WEBSITE = "website"
    """The company website."""
    EMAIL = "email"
    """Email."""
    PHONE = "phone"
    """A phone call."""
    SMS = "sms"
    """A text message."""
    PORTAL = "portal"
    """The customer portal (where most payments are made)."""
    MAIL = "mail"
    """Post: a statement or a check in the mail."""
    FIELD_VISIT = "field_visit"
    """A technician's visit."""
    SOCIAL = "social"
    """Social media."""
    REFERRAL = "referral"
    """A referral from someone."""
    IN_PERSON = "in_person"
    """Face to face."""
    OTHER = "other"
    """Anything else."""


class CustomerKind(TextEnum):
    """What sort of account this is."""

    RESIDENTIAL = "residential"
    """A household."""
    COMMERCIAL = "commercial"
    """A business: hotel, gym, apartment complex."""
    HOA = "hoa"
    """A homeowners' association."""
    PROPERTY_MANAGEMENT = "property_management"
    """A property-management company with many properties."""
    MUNICIPAL = "municipal"
    """A city, school or other public body."""
    OTHER = "other"
    """Anything else."""


class LifecycleStatus(TextEnum):
    """Where the account is in its life."""

    LEAD = "lead"
    """Interested, not yet served."""
    ACTIVE = "active"
    """Being served."""
    PAUSED = "paused"
    """Service on hold (winter, travel)."""
    CANCELLED = "cancelled"
    """No longer served."""


class RateBasis(TextEnum):
    """What a billing rate is charged per."""

    PER_VISIT = "per_visit"
    """Charged for each visit."""
    MONTHLY = "monthly"
    """Charged once a month."""
    PER_SEASON = "per_season"
    """Charged once for the season: the dates of the location's service plan."""
    FLAT = "flat"
    """Charged once for each billing period invoiced, whatever was done."""


class ContactRole(TextEnum):
    """The role a contact plays on the account."""

    OWNER = "owner"
    """Owns the property."""
    TENANT = "tenant"
    """Lives there, does not own it."""
    PROPERTY_MANAGER = "property_manager"
    """Manages the property for the owner."""
    BILLING = "billing"
    """Receives and pays the bills."""
    OTHER = "other"
    """Any other role."""


class ContactChannel(TextEnum):
    """A way of reaching a contact."""

    PHONE = "phone"
    """A voice call."""
    SMS = "sms"
    """A text message."""
    EMAIL = "email"
    """An email."""
    MAIL = "mail"
    """Postal mail."""
    PORTAL = "portal"
    """The customer portal."""


class ConsentStatus(TextEnum):
    """Whether a contact agreed to be reached on a channel."""

    OPTED_IN = "opted_in"
    """Agreed."""
    OPTED_OUT = "opted_out"
    """Refused or withdrew."""


class Assignment(TextEnum):
    """How people are put in a variant."""

    HASHED = "hashed"
    """By a hash of the person's id and the experiment's name
    ([`crate::assign_variant`]): stable, needs nothing recorded.
    """
    RECORDED = "recorded"
    """By the exposure touchpoint's properties: `experiment` (the
    experiment's name) and `variant`.
    """


class ArrowTable(TextEnum):
    """A table of the book as Arrow batches or a Parquet file
    (`Book::to_arrow`, `Book::write_parquet`, feature `arrow`).
    """

    CUSTOMERS = "customers"
    """One row per customer: the account, its primary contact, counts."""
    CONTACTS = "contacts"
    """One row per live contact."""
    LOCATIONS = "locations"
    """One row per live service location, with its plan."""
    BODIES_OF_WATER = "bodies_of_water"
    """One row per live pool, spa or water feature."""
    VISITS = "visits"
    """One row per visit, one column per reading."""
    LEDGER = "ledger"
    """One row per invoice, payment or credit, amounts as decimals."""
    TOUCHPOINTS = "touchpoints"
    """One row per journey touchpoint."""
    CHANGE_LOG = "change_log"
    """One row per change-log row."""


class EntryKind(TextEnum):
    """What kind of history entry."""

    VISIT = "visit"
    """A service visit."""
    INVOICE = "invoice"
    """An invoice."""
    PAYMENT = "payment"
    """A payment received."""
    CREDIT = "credit"
    """A credit or adjustment to the account."""
    MESSAGE = "message"
    """A message to or from the customer."""
    ISSUE = "issue"
    """An issue raised about the account."""
    NOTE = "note"
    """A free note."""
    FEEDBACK = "feedback"
    """The customer's rating of the service."""
    TOUCHPOINT = "touchpoint"
    """A step of the customer's journey (kept apart from the other entries)."""


class VisitOutcome(TextEnum):
    """How a visit ended."""

    COMPLETED = "completed"
    """The work was done."""
    SKIPPED = "skipped"
    """The technician could not do the work (see the skip reason)."""


class SkipReason(TextEnum):
    """Why a visit was skipped."""

    LOCKED_GATE = "locked_gate"
    """The gate was locked."""
    DOG_OUT = "dog_out"
    """A dog was out in the yard."""
    WEATHER = "weather"
    """The weather made service unsafe or pointless."""
    CUSTOMER_REQUEST = "customer_request"
    """The customer asked to skip."""
    NO_ACCESS = "no_access"
    """No way in (code wrong, key missing)."""
    OTHER = "other"
    """Any other reason (say which in the notes)."""


class DoseUnit(TextEnum):
    """Units of a chemical dose."""

    FLUID_OUNCES = "fl_oz"
    """US fluid ounces."""
    GALLONS = "gal"
    """US gallons."""
    OUNCES = "oz"
    """Ounces by weight."""
    POUNDS = "lb"
    """Pounds."""
    TABLETS = "tablets"
    """Tablets."""
    MILLILITRES = "ml"
    """Millilitres."""
    LITRES = "l"
    """Litres."""
    GRAMS = "g"
    """Grams."""
    KILOGRAMS = "kg"
    """Kilograms."""


class PaymentMethod(TextEnum):
    """How a payment was made."""

    CASH = "cash"
    """Cash."""
    CHECK = "check"
    """Paper check."""
    CARD = "card"
    """Credit or debit card."""
    BANK_TRANSFER = "bank_transfer"
    """Bank transfer (ACH)."""
    OTHER = "other"
    """Anything else."""


class CreditKind(TextEnum):
    """A credit lowers what the customer owes; an adjustment corrects it
    either way; a void cancels an invoice; a refund gives money back.
    """

    CREDIT = "credit"
    """Goodwill or refund-style credit (amount lowers the balance)."""
    ADJUSTMENT = "adjustment"
    """A correction: positive raises the balance (a late fee), negative
    lowers it. Tied to an invoice, it changes what remains on it.
    """
    VOID = "void"
    """Cancels what remains of an unpaid invoice (`invoice_id`): the
    invoice stays in the ledger, owing nothing; what it billed may be
    billed again.
    """
    REFUND = "refund"
    """Money paid back to the customer from a payment (`payment_id`):
    raises the balance by the amount.
    """


class Direction(TextEnum):
    """Which way a message went."""

    INBOUND = "inbound"
    """From the customer to the company."""
    OUTBOUND = "outbound"
    """From the company to the customer."""


class IssueCategory(TextEnum):
    """What an issue is about."""

    WATER_QUALITY = "water_quality"
    """Green, cloudy or otherwise unhappy water."""
    EQUIPMENT = "equipment"
    """Broken or failing equipment."""
    BILLING = "billing"
    """A billing question or dispute."""
    COMPLAINT = "complaint"
    """A complaint about the service."""
    DAMAGE = "damage"
    """Damage to the property."""
    OTHER = "other"
    """Anything else."""


class IssueStatus(TextEnum):
    """Where an issue stands."""

    OPEN = "open"
    """Still to be dealt with."""
    RESOLVED = "resolved"
    """Dealt with (see the resolution)."""


class FeedbackSource(TextEnum):
    """Where feedback came from."""

    SURVEY = "survey"
    """A survey sent after a visit."""
    REVIEW_SITE = "review_site"
    """A review site (Google, Yelp)."""
    SUPPORT_MESSAGE = "support_message"
    """A support message (email, text, call)."""
    IN_PERSON = "in_person"
    """Said in person."""
    OTHER = "other"
    """Anywhere else."""


class Actor(TextEnum):
    """Who acted."""

    CUSTOMER = "customer"
    """The customer (or visitor)."""
    STAFF = "staff"
    """Someone at the company."""
    AUTOMATION = "automation"
    """An automated system (reminders, campaigns)."""


class Stage(TextEnum):
    """Where in the journey a touchpoint sits."""

    AWARENESS = "awareness"
    """Finding out about the company."""
    CONSIDERATION = "consideration"
    """Weighing it up: asking, comparing."""
    PURCHASE = "purchase"
    """Buying: signing up, paying."""
    RETENTION = "retention"
    """Staying: service, statements, reviews."""


class WaterKind(TextEnum):
    """What a body of water is."""

    POOL = "pool"
    """A swimming pool."""
    SPA = "spa"
    """A spa or hot tub."""
    WATER_FEATURE = "water_feature"
    """A fountain, pond or other feature."""


class Surface(TextEnum):
    """The interior finish of a pool or spa."""

    PLASTER = "plaster"
    """Plaster (marcite)."""
    PEBBLE = "pebble"
    """Pebble aggregate."""
    QUARTZ = "quartz"
    """Quartz aggregate."""
    VINYL = "vinyl"
    """Vinyl liner."""
    FIBERGLASS = "fiberglass"
    """Fiberglass shell."""
    TILE = "tile"
    """Tile."""
    PAINTED = "painted"
    """Painted concrete."""
    OTHER = "other"
    """Anything else."""


class Sanitizer(TextEnum):
    """How the water is sanitised."""

    CHLORINE = "chlorine"
    """Chlorine (liquid, tablets)."""
    SALT = "salt"
    """A salt-water chlorine generator."""
    BROMINE = "bromine"
    """Bromine."""
    MINERAL = "mineral"
    """Mineral system with low chlorine."""
    BIGUANIDE = "biguanide"
    """PHMB (biguanide)."""
    OTHER = "other"
    """Anything else."""


class Setting(TextEnum):
    """Whether a body of water is indoors."""

    OUTDOOR = "outdoor"
    """Open to the weather."""
    INDOOR = "indoor"
    """Inside a building or enclosure."""


class EquipmentKind(TextEnum):
    """What a piece of equipment is."""

    PUMP = "pump"
    """Circulation pump."""
    FILTER = "filter"
    """Filter (sand, cartridge, DE)."""
    HEATER = "heater"
    """Heater or heat pump."""
    CHLORINATOR = "chlorinator"
    """Chlorinator or salt cell."""
    CLEANER = "cleaner"
    """Automatic cleaner."""
    AUTOMATION = "automation"
    """Automation controller."""
    OTHER = "other"
    """Anything else."""


class PetTemperament(TextEnum):
    """How a pet behaves with strangers."""

    FRIENDLY = "friendly"
    """Friendly."""
    NERVOUS = "nervous"
    """Nervous or shy."""
    AGGRESSIVE = "aggressive"
    """Aggressive: do not enter while it is out."""
    UNKNOWN = "unknown"
    """Not known."""


class Frequency(TextEnum):
    """How often a location is serviced."""

    WEEKLY = "weekly"
    """Every week."""
    BIWEEKLY = "biweekly"
    """Every other week, counted from the plan's start."""
    MONTHLY = "monthly"
    """Once a month."""
    ON_CALL = "on_call"
    """Only when called."""


class Weekday(TextEnum):
    """A day of the week."""

    MONDAY = "monday"
    """Monday."""
    TUESDAY = "tuesday"
    """Tuesday."""
    WEDNESDAY = "wednesday"
    """Wednesday."""
    THURSDAY = "thursday"
    """Thursday."""
    FRIDAY = "friday"
    """Friday."""
    SATURDAY = "saturday"
    """Saturday."""
    SUNDAY = "sunday"
    """Sunday."""


class OpenCheck(TextEnum):
    """Whether opening a book file runs SQLite's `quick_check` over it first.
    The check reads every page (about 0.6 ms per MB from the page cache on
    2 cores; docs/benchmarks.md), so by default only files up to
    [`QUICK_CHECK_MAX_BYTES`] are checked; [`crate::Book::check_integrity`]
    checks everything at any size.
    """

    NEVER = "never"
    """Never check on open."""
    SMALL_FILES = "small_files"
    """Check files up to [`QUICK_CHECK_MAX_BYTES`] (the default)."""
    ALWAYS = "always"
    """Check every file, whatever its size."""


class OutboxRule(TextEnum):
    """A rule that makes messages due."""

    VISIT_NOTICE = "visit_notice"
    """Notice before a planned visit, to the contact and channel the
    customer asked for.
    """
    SKIPPED_VISIT = "skipped_visit"
    """A visit was skipped: what happened and what comes next."""
    BALANCE_OVERDUE = "balance_overdue"
    """An invoice is past due."""
    PARTIAL_PAYMENT = "partial_payment"
    """Thanks for a payment that left something owing, with what remains."""
    ISSUE_FOLLOWUP = "issue_followup"
    """An issue the customer raised was resolved: what was done."""
    LEAD_FOLLOWUP = "lead_followup"
    """An inbound lead waits for an answer: an alert to the office."""


class OutboxStatus(TextEnum):
    """What became of a message the host sent."""

    SENT = "sent"
    """Handed to the carrier or mail server."""
    DELIVERED = "delivered"
    """Reported delivered."""
    FAILED = "failed"
    """Bounced, refused or undeliverable (see the failure)."""


class ReplyKind(TextEnum):
    """What an inbound reply says, as far as the outbox cares."""

    STOP = "stop"
    """STOP (or UNSUBSCRIBE, CANCEL, END, QUIT, STOPALL): opt out of the channel."""
    HELP = "help"
    """HELP (or INFO): the host answers with who is writing and how to stop."""
    TEXT = "text"
    """Anything else: a person should read it."""


class MatchBand(TextEnum):
    """Where a candidate's probability puts it."""

    LIKELY = "likely"
    """At or above the match threshold: very likely the same customer."""
    REVIEW = "review"
    """Between the thresholds: a person should look."""


class DuplicateVerdict(TextEnum):
    """The office's verdict on a pair."""

    SAME = "same"
    """The two records are the same customer."""
    NOT_DUPLICATE = "not_duplicate"
    """Not a duplicate: the pair is not shown again unless a field that
    mattered to its score changes.
    """


class MergeSide(TextEnum):
    """Which record a merged field comes from."""

    SURVIVOR = "survivor"
    """The survivor's value."""
    ABSORBED = "absorbed"
    """The absorbed record's value."""


class Severity(TextEnum):
    """How much a quality finding matters."""

    CRITICAL = "critical"
    """Breaks work: a technician cannot get in, a bill cannot be sent."""
    WARNING = "warning"
    """Misleads reports or annoys customers."""
    INFO = "info"
    """Worth tidying."""


class ArchivedFilter(TextEnum):
    """Whether a listing includes archived customers."""

    EXCLUDE = "exclude"
    """Only live customers (the default)."""
    INCLUDE = "include"
    """Live and archived customers."""
    ONLY = "only"
    """Only archived customers."""


class MeasurementMethod(TextEnum):
    """How the water was tested."""

    STRIP = "strip"
    """Test strips."""
    DROP_KIT = "drop_kit"
    """A drop-titration kit."""
    PHOTOMETER = "photometer"
    """A photometer (colorimeter)."""
    DIGITAL_DEVICE = "digital_device"
    """A digital probe or meter."""


class Parameter(TextEnum):
    """A quantity a target profile can hold a range for."""

    FREE_CHLORINE = "free_chlorine"
    """Free chlorine, ppm."""
    COMBINED_CHLORINE = "combined_chlorine"
    """Combined chlorine, ppm."""
    PH = "ph"
    """pH."""
    TOTAL_ALKALINITY = "total_alkalinity"
    """Total alkalinity, ppm."""
    CYANURIC_ACID = "cyanuric_acid"
    """Cyanuric acid, ppm."""
    CALCIUM_HARDNESS = "calcium_hardness"
    """Calcium hardness, ppm."""
    SALT = "salt"
    """Salt, ppm."""
    TEMPERATURE_F = "temperature_f"
    """Water temperature, °F."""
    TDS = "tds"
    """Total dissolved solids, ppm."""
    PHOSPHATES = "phosphates"
    """Phosphates, ppb."""
    SATURATION_INDEX = "saturation_index"
    """The calcite saturation index."""


class Trend(TextEnum):
    """Which way a customer's activity is going."""

    UP = "up"
    """More in the last window than the one before."""
    DOWN = "down"
    """Less."""
    FLAT = "flat"
    """The same, and some."""
    INACTIVE = "inactive"
    """None in either window."""


class SecretField(TextEnum):
    """Which secret of a location's access details."""

    GATE_CODE = "gate_code"
    """The gate code."""
    LOCK_COMBINATION = "lock_combination"
    """The lock combination."""
    ALARM_CODE = "alarm_code"
    """The alarm code."""


class ImportField(TextEnum):
    """The customer-record field a spreadsheet column fills."""

    KEY = "key"
    """The source's own id for the customer: re-importing a row with the
    same key updates that customer; in the two-file shape it joins a
    property to its client.
    """
    DISPLAY_NAME = "display_name"
    """The name shown everywhere (else made of first/last name or company)."""
    FIRST_NAME = "first_name"
    """The contact's first name."""
    LAST_NAME = "last_name"
    """The contact's last name."""
    COMPANY = "company"
    """A company name (the display name of a commercial account)."""
    KIND = "kind"
    """Residential, commercial, HOA, ..."""
    STATUS = "status"
    """Lead, active, paused, cancelled (also "inactive", "on hold")."""
    TAGS = "tags"
    """Tags, separated by commas or semicolons."""
    MOBILE_PHONE = "mobile_phone"
    """A mobile phone (SMS capable)."""
    HOME_PHONE = "home_phone"
    """A home phone."""
    WORK_PHONE = "work_phone"
    """A work phone."""
    EMAIL = "email"
    """An email address (several columns may map here: email 1-4)."""
    ADDRESS_LINE1 = "address_line1"
    """Street line of the service address."""
    ADDRESS_LINE2 = "address_line2"
    """Unit or suite."""
    CITY = "city"
    """City."""
    REGION = "region"
    """State or region."""
    POSTAL_CODE = "postal_code"
    """Postal or ZIP code."""
    COUNTRY = "country"
    """Two-letter country code (default: the book's region)."""
    LOCATION_LABEL = "location_label"
    """A name for the property."""
    POOL_NAME = "pool_name"
    """The pool's name."""
    POOL_KIND = "pool_kind"
    """Pool, spa or water feature."""
    GALLONS = "gallons"
    """Volume in US gallons."""
    SURFACE = "surface"
    """Interior finish."""
    SANITIZER = "sanitizer"
    """Chlorine, salt, bromine, ..."""
    GATE_CODE = "gate_code"
    """The gate code: sealed as soon as it is read."""
    LOCK_COMBINATION = "lock_combination"
    """A lock combination: sealed as soon as it is read."""
    ALARM_CODE = "alarm_code"
    """An alarm code: sealed as soon as it is read."""
    KEY_LOCATION = "key_location"
    """Where a key is kept."""
    DOG = "dog"
    """A dog at the property ("yes", or its name)."""
    ACCESS_NOTES = "access_notes"
    """Notes about getting in."""
    SPECIAL_INSTRUCTIONS = "special_instructions"
    """Standing instructions for every visit."""
    ROUTE_DAY = "route_day"
    """The route day (service weekday)."""
    FREQUENCY = "frequency"
    """Weekly, biweekly, monthly, on call."""
    TECHNICIAN = "technician"
    """The technician serving the route, by name."""
    PLAN_START = "plan_start"
    """The first day of service (a date column)."""
    RATE = "rate"
    """The billing rate."""
    CUSTOM_FIELD = "custom_field"
    """Kept as a custom field named after the column."""
    IGNORE = "ignore"
    """Not imported."""


class RowAction(TextEnum):
    """What an import does with a row."""

    CREATE = "create"
    """Creates a customer (or adds to one created by an earlier row)."""
    UPDATE = "update"
    """Updates a customer an earlier import created."""
    SKIP = "skip"
    """Nothing to do: the customer already holds what the row says."""
    ERROR = "error"
    """The row cannot be imported (see its problems)."""


# Unions: one class per variant, tagged on the wire -----------------------------


class TimelineItem(Record):
    """One item of a timeline.

    One of: TimelineItemEntry, ChangeRecord, Touchpoint.
    """

    __slots__ = ()
    _tag_field: ClassVar[str] = "item"


class CountDimension(Record):
    """What touchpoint counts are grouped by, beside the period.

    One of: CountDimensionChannel, CountDimensionAction, CountDimensionStage,
    CountDimensionDirection, CountDimensionCustomerKind, CountDimensionTechnician,
    CountDimensionProperty.
    """

    __slots__ = ()
    _tag_field: ClassVar[str] = "by"


class Entry(Record):
    """Any history entry, for the timeline.

    One of: Visit, Invoice, Payment, Credit, Message, Issue, Note, Feedback.
    """

    __slots__ = ()
    _tag_field: ClassVar[str] = "entry"


class SegmentRule(Record):
    """One rule of a segment. A segment's rules all have to hold.

    One of: SegmentRuleKind, SegmentRuleStatus, SegmentRuleTag, SegmentRuleOverdueMoreThan,
    SegmentRuleDidButNot, SegmentRuleNoTouchpointFor.
    """

    __slots__ = ()
    _tag_field: ClassVar[str] = "rule"


class TextUpdate(Record):
    """What a patch does to an optional text field (a patch field of `None`
    leaves it alone). In JSON: `{"op": "set", "value": "…"}` or
    `{"op": "clear"}`.

    One of: TextUpdateSet, TextUpdateClear.
    """

    __slots__ = ()
    _tag_field: ClassVar[str] = "op"


# Records ---------------------------------------------------------------------


class AttributionQuery(Record):
    """What to attribute.

    Attributes:
        conversion_action: The action that is a conversion (default `payment_made`).
        lookback_days: Days before a conversion whose touches count (default 30).
        half_life_days: Time-decay half-life in days (default 7).
        since: Only conversions at or after this time.
        until: Only conversions before this time.
    """

    __slots__ = ("conversion_action", "lookback_days", "half_life_days", "since", "until")

    conversion_action: str
    lookback_days: int
    half_life_days: float
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        conversion_action: str,
        lookback_days: int = 30,
        half_life_days: float = 7.0,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
    ) -> None:
        self.conversion_action = conversion_action
        self.lookback_days = lookback_days
        self.half_life_days = half_life_days
        self.since = since
        self.until = until


class ModelCredits(Record):
    """One model's credits.

    Attributes:
        model: The model.
        by_channel: Credit per channel.
        by_campaign: Credit per campaign ([`NO_CAMPAIGN`] for touches without one).
    """

    __slots__ = ("model", "by_channel", "by_campaign")

    model: AttributionModel
    by_channel: Dict[JourneyChannel, Decimal]
    by_campaign: Dict[str, Decimal]

    def __init__(
        self,
        *,
        model: AttributionModel,
        by_channel: Optional[Dict[JourneyChannel, Decimal]] = None,
        by_campaign: Optional[Dict[str, Decimal]] = None,
    ) -> None:
        self.model = model
        self.by_channel = {} if by_channel is None else by_channel
        self.by_campaign = {} if by_campaign is None else by_campaign


class AttributionReport(Record):
    """Conversions and their credits under every model.

    Attributes:
        conversions: Conversions counted.
        models: Credits, one entry per model, in [`AttributionModel::ALL`] order.
    """

    __slots__ = ("conversions", "models")

    conversions: int
    models: List[ModelCredits]

    def __init__(self, *, conversions: int, models: Optional[List[ModelCredits]] = None) -> None:
        self.conversions = conversions
        self.models = [] if models is None else models


class NextActionsQuery(Record):
    """What to follow.

    Attributes:
        step: The step people took.
        within_days: Days after the step within which what they did next counts.
        since: Only steps at or after this time.
        until: Only steps before this time.
    """

    __slots__ = ("step", "within_days", "since", "until")

    step: FunnelStep
    within_days: int
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        step: FunnelStep,
        within_days: int,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
    ) -> None:
        self.step = step
        self.within_days = within_days
        self.since = since
        self.until = until


class ActionShare(Record):
    """People who did one thing next.

    Attributes:
        action: The action.
        channel: The channel it was on (the commonest, for a last action).
        people: People.
        share: people ÷ all the people counted.
    """

    __slots__ = ("action", "channel", "people", "share")

    action: str
    channel: JourneyChannel
    people: int
    share: float

    def __init__(self, *, action: str, channel: JourneyChannel, people: int, share: float) -> None:
        self.action = action
        self.channel = channel
        self.people = people
        self.share = share


class NextActionsReport(Record):
    """What people did after a step.

    Attributes:
        people: People who took the step.
        next: What they did next, most people first.
        nothing: People who did nothing within the days allowed.
        nothing_share: nothing ÷ people.
    """

    __slots__ = ("people", "next", "nothing", "nothing_share")

    people: int
    next: List[ActionShare]
    nothing: int
    nothing_share: float

    def __init__(
        self,
        *,
        people: int,
        next: Optional[List[ActionShare]] = None,
        nothing: int,
        nothing_share: float,
    ) -> None:
        self.people = people
        self.next = [] if next is None else next
        self.nothing = nothing
        self.nothing_share = nothing_share


class StoppedQuery(Record):
    """Who counts as stopped.

    Attributes:
        as_of: The moment to look back from.
        quiet_days: Days without a touchpoint of their own that make a customer stopped.
    """

    __slots__ = ("as_of", "quiet_days")

    as_of: _dt.datetime
    quiet_days: int

    def __init__(self, *, as_of: _dt.datetime, quiet_days: int) -> None:
        self.as_of = as_of
        self.quiet_days = quiet_days


class StoppedReport(Record):
    """What stopped customers did last.

    Attributes:
        stopped: Customers who made a touchpoint once and then stopped.
        last: Their last action, most customers first.
    """

    __slots__ = ("stopped", "last")

    stopped: int
    last: List[ActionShare]

    def __init__(self, *, stopped: int, last: Optional[List[ActionShare]] = None) -> None:
        self.stopped = stopped
        self.last = [] if last is None else last


class FunnelComparison(Record):
    """A funnel before and after a change, step by step.

    Attributes:
        before: The funnel in the first period.
        after: The funnel in the second period.
        steps: Each step's conversion to the next, after against before, then the whole funnel
            (first step to last) as `overall`.
    """

    __slots__ = ("before", "after", "steps")

    before: FunnelCounts
    after: FunnelCounts
    steps: List[Comparison]

    def __init__(
        self,
        *,
        before: FunnelCounts,
        after: FunnelCounts,
        steps: Optional[List[Comparison]] = None,
    ) -> None:
        self.before = before
        self.after = after
        self.steps = [] if steps is None else steps


class FunnelStep(Record):
    """One step of a funnel: an action, optionally only on some channels, in
    a campaign, or with some properties (a page path, a message template).

    Attributes:
        action: The action that completes the step.
        channels: The channels it must happen on (any channel when empty).
        campaign: The campaign it must belong to (normalised as touchpoints' are).
        properties: Properties the touchpoint must have, each equal to this text (a string
            property's value, or a number or `true` as JSON writes it): `{"template":
            "payment_reminder"}`, `{"path": "/pricing"}`.
    """

    __slots__ = ("action", "channels", "campaign", "properties")

    action: str
    channels: List[JourneyChannel]
    campaign: Optional[str]
    properties: Dict[str, str]

    def __init__(
        self,
        *,
        action: str,
        channels: Optional[List[JourneyChannel]] = None,
        campaign: Optional[str] = None,
        properties: Optional[Dict[str, str]] = None,
    ) -> None:
        self.action = action
        self.channels = [] if channels is None else channels
        self.campaign = campaign
        self.properties = {} if properties is None else properties


class FunnelDefinition(Record):
    """A funnel to measure.

    Attributes:
        steps: The ordered steps (2 to 20).
        window_hours: Hours from entering the first step within which the rest must follow.
        since: Only touchpoints at or after this time.
        until: Only touchpoints before this time.
    """

    __slots__ = ("steps", "window_hours", "since", "until")

    steps: List[FunnelStep]
    window_hours: int
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        steps: Optional[List[FunnelStep]] = None,
        window_hours: int,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
    ) -> None:
        self.steps = [] if steps is None else steps
        self.window_hours = window_hours
        self.since = since
        self.until = until


class StepStats(Record):
    """How one step did.

    Attributes:
        action: The step's action.
        entered: People who reached the step.
        converted: People who went on to the next step (0 for the last step).
        conversion_rate: converted ÷ entered (0 when nobody entered; 0 for the last step).
        drop_off: entered − converted (0 for the last step).
        median_seconds_to_convert: Median seconds from this step to the next, among those who
            converted.
        p90_seconds_to_convert: 90th-percentile seconds from this step to the next.
    """

    __slots__ = (
        "action",
        "entered",
        "converted",
        "conversion_rate",
        "drop_off",
        "median_seconds_to_convert",
        "p90_seconds_to_convert",
    )

    action: str
    entered: int
    converted: int
    conversion_rate: float
    drop_off: int
    median_seconds_to_convert: Optional[float]
    p90_seconds_to_convert: Optional[float]

    def __init__(
        self,
        *,
        action: str,
        entered: int,
        converted: int,
        conversion_rate: float,
        drop_off: int,
        median_seconds_to_convert: Optional[float] = None,
        p90_seconds_to_convert: Optional[float] = None,
    ) -> None:
        self.action = action
        self.entered = entered
        self.converted = converted
        self.conversion_rate = conversion_rate
        self.drop_off = drop_off
        self.median_seconds_to_convert = median_seconds_to_convert
        self.p90_seconds_to_convert = p90_seconds_to_convert


class FunnelCounts(Record):
    """A funnel's numbers for one group of people.

    Attributes:
        steps: Per step, in order.
    """

    __slots__ = ("steps",)

    steps: List[StepStats]

    def __init__(self, *, steps: Optional[List[StepStats]] = None) -> None:
        self.steps = [] if steps is None else steps


class FunnelReport(Record):
    """A funnel measured, with its breakdowns.

    Attributes:
        all: Everyone.
        new: People with no purchase before they entered: acquisition.
        returning: People who had bought before they entered: repeat business.
        by_first_channel: By the channel of the first step.
        by_kind: By account kind (known customers only).
        by_tag: By tag (known customers only; a customer counts under each of their tags).
        note: Why the funnel stops early, when a step's action is in no touchpoint of the book (a
            misspelt step would otherwise read as a silent zero).
    """

    __slots__ = ("all", "new", "returning", "by_first_channel", "by_kind", "by_tag", "note")

    all: FunnelCounts
    new: FunnelCounts
    returning: FunnelCounts
    by_first_channel: Dict[JourneyChannel, FunnelCounts]
    by_kind: Dict[CustomerKind, FunnelCounts]
    by_tag: Dict[str, FunnelCounts]
    note: Optional[str]

    def __init__(
        self,
        *,
        all: FunnelCounts,
        new: FunnelCounts,
        returning: FunnelCounts,
        by_first_channel: Optional[Dict[JourneyChannel, FunnelCounts]] = None,
        by_kind: Optional[Dict[CustomerKind, FunnelCounts]] = None,
        by_tag: Optional[Dict[str, FunnelCounts]] = None,
        note: Optional[str] = None,
    ) -> None:
        self.all = all
        self.new = new
        self.returning = returning
        self.by_first_channel = {} if by_first_channel is None else by_first_channel
        self.by_kind = {} if by_kind is None else by_kind
        self.by_tag = {} if by_tag is None else by_tag
        self.note = note


class ResponseTimeQuery(Record):
    """Which leads to time.

    Attributes:
        since: Only leads at or after this time.
        until: Only leads before this time (replies after it still count).
        target_minutes: The answer time that counts as good, in minutes (default 60).
        lead_actions: Inbound actions that are leads (default: estimate requested, call,
            message).
    """

    __slots__ = ("since", "until", "target_minutes", "lead_actions")

    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    target_minutes: int
    lead_actions: List[str]

    def __init__(
        self,
        *,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        target_minutes: int = 60,
        lead_actions: Optional[List[str]] = None,
    ) -> None:
        self.since = since
        self.until = until
        self.target_minutes = target_minutes
        self.lead_actions = [] if lead_actions is None else lead_actions


class UnansweredLead(Record):
    """A lead nobody has answered yet.

    Attributes:
        customer_id: The customer, if known.
        visitor_id: The visitor, if not yet a known customer.
        at: When the lead came in.
        action: What it was.
        channel: Where.
    """

    __slots__ = ("customer_id", "visitor_id", "at", "action", "channel")

    customer_id: Optional[CustomerId]
    visitor_id: Optional[str]
    at: _dt.datetime
    action: str
    channel: JourneyChannel

    def __init__(
        self,
        *,
        customer_id: Optional[CustomerId] = None,
        visitor_id: Optional[str] = None,
        at: _dt.datetime,
        action: str,
        channel: JourneyChannel,
    ) -> None:
        self.customer_id = customer_id
        self.visitor_id = visitor_id
        self.at = at
        self.action = action
        self.channel = channel


class ResponseTimeReport(Record):
    """How fast leads were answered.

    Attributes:
        leads: Leads counted.
        answered: Leads answered.
        median_seconds: Median seconds to the first reply, among answered leads.
        p90_seconds: 90th-percentile seconds to the first reply.
        target_minutes: The target, in minutes.
        within_target: Share of all leads (answered or not) answered within the target.
        unanswered: Leads still waiting, oldest first.
    """

    __slots__ = (
        "leads",
        "answered",
        "median_seconds",
        "p90_seconds",
        "target_minutes",
        "within_target",
        "unanswered",
    )

    leads: int
    answered: int
    median_seconds: Optional[float]
    p90_seconds: Optional[float]
    target_minutes: int
    within_target: float
    unanswered: List[UnansweredLead]

    def __init__(
        self,
        *,
        leads: int,
        answered: int,
        median_seconds: Optional[float] = None,
        p90_seconds: Optional[float] = None,
        target_minutes: int,
        within_target: float,
        unanswered: Optional[List[UnansweredLead]] = None,
    ) -> None:
        self.leads = leads
        self.answered = answered
        self.median_seconds = median_seconds
        self.p90_seconds = p90_seconds
        self.target_minutes = target_minutes
        self.within_target = within_target
        self.unanswered = [] if unanswered is None else unanswered


class PeriodCount(Record):
    """People entering a stage in one period.

    Attributes:
        period_start: The first day of the period.
        people: People.
    """

    __slots__ = ("period_start", "people")

    period_start: _dt.date
    people: int

    def __init__(self, *, period_start: _dt.date, people: int) -> None:
        self.period_start = period_start
        self.people = people


class StageExit(Record):
    """People who left a stage for another (or are still in it).

    Attributes:
        to: The stage they went to next; `None`: still in the stage.
        people: People.
        share: people ÷ people who entered the stage.
    """

    __slots__ = ("to", "people", "share")

    to: Optional[Stage]
    people: int
    share: float

    def __init__(self, *, to: Optional[Stage] = None, people: int, share: float) -> None:
        self.to = to
        self.people = people
        self.share = share


class StageFlow(Record):
    """One stage's numbers.

    Attributes:
        stage: The stage.
        entered: People who entered it.
        entered_by_period: By period of entering, oldest first.
        median_days: Median days from entering to leaving, among those who left.
        p90_days: 90th-percentile days.
        exits: Where they went, most people first (still here: `to` is `None`).
    """

    __slots__ = ("stage", "entered", "entered_by_period", "median_days", "p90_days", "exits")

    stage: Stage
    entered: int
    entered_by_period: List[PeriodCount]
    median_days: Optional[float]
    p90_days: Optional[float]
    exits: List[StageExit]

    def __init__(
        self,
        *,
        stage: Stage,
        entered: int,
        entered_by_period: Optional[List[PeriodCount]] = None,
        median_days: Optional[float] = None,
        p90_days: Optional[float] = None,
        exits: Optional[List[StageExit]] = None,
    ) -> None:
        self.stage = stage
        self.entered = entered
        self.entered_by_period = [] if entered_by_period is None else entered_by_period
        self.median_days = median_days
        self.p90_days = p90_days
        self.exits = [] if exits is None else exits


class StageReport(Record):
    """The per-stage report.

    Attributes:
        people: People with any staged touchpoint in the range.
        stages: Each stage in journey order.
    """

    __slots__ = ("people", "stages")

    people: int
    stages: List[StageFlow]

    def __init__(self, *, people: int, stages: Optional[List[StageFlow]] = None) -> None:
        self.people = people
        self.stages = [] if stages is None else stages


class JourneyMapQuery(Record):
    """Whose journey to map.

    Attributes:
        customer_kind: Customers of this kind only.
        segment: Customers in this saved segment only.
        since: Only touchpoints at or after this time.
        until: Only touchpoints before this time.
        top_actions: Actions listed per stage (default 5, at most 50).
    """

    __slots__ = ("customer_kind", "segment", "since", "until", "top_actions")

    customer_kind: Optional[CustomerKind]
    segment: Optional[str]
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    top_actions: Optional[int]

    def __init__(
        self,
        *,
        customer_kind: Optional[CustomerKind] = None,
        segment: Optional[str] = None,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        top_actions: Optional[int] = None,
    ) -> None:
        self.customer_kind = customer_kind
        self.segment = segment
        self.since = since
        self.until = until
        self.top_actions = top_actions


class MapAction(Record):
    """An action that matters at a stage.

    Attributes:
        action: The action.
        people: People who had it.
        touchpoints: Touchpoints with it.
    """

    __slots__ = ("action", "people", "touchpoints")

    action: str
    people: int
    touchpoints: int

    def __init__(self, *, action: str, people: int, touchpoints: int) -> None:
        self.action = action
        self.people = people
        self.touchpoints = touchpoints


class MapStage(Record):
    """One stage of a journey map, measured.

    Attributes:
        stage: The stage.
        people: People of the group who reached it.
        share: people ÷ the group's people.
        moved_on: Share of those who went on to a later stage.
        median_days: Median days spent in it before moving on.
        actions: Its touchpoints that matter: actions by people, most first.
    """

    __slots__ = ("stage", "people", "share", "moved_on", "median_days", "actions")

    stage: Stage
    people: int
    share: float
    moved_on: float
    median_days: Optional[float]
    actions: List[MapAction]

    def __init__(
        self,
        *,
        stage: Stage,
        people: int,
        share: float,
        moved_on: float,
        median_days: Optional[float] = None,
        actions: Optional[List[MapAction]] = None,
    ) -> None:
        self.stage = stage
        self.people = people
        self.share = share
        self.moved_on = moved_on
        self.median_days = median_days
        self.actions = [] if actions is None else actions


class JourneyMap(Record):
    """A journey map for one customer type, validated with data.

    Attributes:
        group: Who it maps: "everyone", "kind: residential", "segment: VIPs".
        people: People in the group with a staged touchpoint.
        stages: Its stages in journey order.
    """

    __slots__ = ("group", "people", "stages")

    group: str
    people: int
    stages: List[MapStage]

    def __init__(self, *, group: str, people: int, stages: Optional[List[MapStage]] = None) -> None:
        self.group = group
        self.people = people
        self.stages = [] if stages is None else stages


class LocationTransfer(Record):
    """The two customers after a location changed hands.

    Attributes:
        from_: The previous owner, without the location.
        to: The new owner, with the location.
    """

    __slots__ = ("from_", "to")
    _json_names: ClassVar[Dict[str, str]] = {"from_": "from"}

    from_: Customer
    to: Customer

    def __init__(self, *, from_: Customer, to: Customer) -> None:
        self.from_ = from_
        self.to = to


class EventMapping(Record):
    """How event names become touchpoints.

    Attributes:
        events: `track` event name → the touchpoint it becomes. Unmapped names become
            `unmapped_channel` with the event name as the action.
        unmapped_channel: The channel of unmapped `track` events.
        page_channel: The channel of `page` calls.
    """

    __slots__ = ("events", "unmapped_channel", "page_channel")

    events: Dict[str, EventTarget]
    unmapped_channel: JourneyChannel
    page_channel: JourneyChannel

    def __init__(
        self,
        *,
        events: Optional[Dict[str, EventTarget]] = None,
        unmapped_channel: JourneyChannel = JourneyChannel.OTHER,
        page_channel: JourneyChannel = JourneyChannel.WEBSITE,
    ) -> None:
        self.events = {} if events is None else events
        self.unmapped_channel = unmapped_channel
        self.page_channel = page_channel


class EventTarget(Record):
    """The touchpoint an event name becomes.

    Attributes:
        channel: The journey channel.
        action: The journey action.
    """

    __slots__ = ("channel", "action")

    channel: JourneyChannel
    action: str

    def __init__(self, *, channel: JourneyChannel, action: str) -> None:
        self.channel = channel
        self.action = action


class RejectedLine(Record):
    """A line that could not be imported.

    Attributes:
        line: 1-based line number in the file.
        reason: Why.
    """

    __slots__ = ("line", "reason")

    line: int
    reason: str

    def __init__(self, *, line: int, reason: str) -> None:
        self.line = line
        self.reason = reason


class ImportReport(Record):
    """What an import did.

    Attributes:
        added: Touchpoints and visitor links added.
        skipped: Events already present (from an earlier import or earlier in the file).
        matched: Events that describe an operation the book already recorded (an `Order
            Completed` for a payment in the ledger): matched to it, not stored again.
        rejected: Lines refused, with their numbers and reasons.
    """

    __slots__ = ("added", "skipped", "matched", "rejected")

    added: int
    skipped: int
    matched: int
    rejected: List[RejectedLine]

    def __init__(
        self,
        *,
        added: int = 0,
        skipped: int = 0,
        matched: int = 0,
        rejected: Optional[List[RejectedLine]] = None,
    ) -> None:
        self.added = added
        self.skipped = skipped
        self.matched = matched
        self.rejected = [] if rejected is None else rejected


class FeedbackFollowUp(Record):
    """A piece of feedback with what became of it.

    Attributes:
        feedback: The feedback.
        issue: The issue it led to, if linked.
        what_we_did: What we did: the issue's resolution, once resolved.
        days_to_fix: Days from the feedback to the fix, once resolved.
    """

    __slots__ = ("feedback", "issue", "what_we_did", "days_to_fix")

    feedback: Feedback
    issue: Optional[Issue]
    what_we_did: Optional[str]
    days_to_fix: Optional[float]

    def __init__(
        self,
        *,
        feedback: Feedback,
        issue: Optional[Issue] = None,
        what_we_did: Optional[str] = None,
        days_to_fix: Optional[float] = None,
    ) -> None:
        self.feedback = feedback
        self.issue = issue
        self.what_we_did = what_we_did
        self.days_to_fix = days_to_fix


class TopicReport(Record):
    """Feedback on one topic.

    Attributes:
        topic: The topic ("(none)" for feedback without one).
        feedback: Feedback on it (feedback on two topics counts under each).
        average_rating: Their mean rating.
        led_to_issue: Of them, linked to an issue.
        fixed: Of them, whose issue is resolved: fixed.
        share_fixed: fixed ÷ feedback.
        median_days_to_fix: Median days from feedback to fix, among the fixed.
    """

    __slots__ = (
        "topic",
        "feedback",
        "average_rating",
        "led_to_issue",
        "fixed",
        "share_fixed",
        "median_days_to_fix",
    )

    topic: str
    feedback: int
    average_rating: float
    led_to_issue: int
    fixed: int
    share_fixed: float
    median_days_to_fix: Optional[float]

    def __init__(
        self,
        *,
        topic: str,
        feedback: int,
        average_rating: float,
        led_to_issue: int,
        fixed: int,
        share_fixed: float,
        median_days_to_fix: Optional[float] = None,
    ) -> None:
        self.topic = topic
        self.feedback = feedback
        self.average_rating = average_rating
        self.led_to_issue = led_to_issue
        self.fixed = fixed
        self.share_fixed = share_fixed
        self.median_days_to_fix = median_days_to_fix


class StopCard(Record):
    """What a technician needs at the gate of one location.

    Attributes:
        customer_id: The account.
        customer_name: The customer's display name.
        location_id: The location.
        label: The location's label, if the account has several.
        address: Street address.
        pets: Animals at the property (read these first).
        hazards: Dangers at the property (read these first).
        access_hours: When the property may be entered.
        access_notes: Notes on getting in.
        key_location: Where a key is kept.
        gate_code: Gate code: shown only through [`Secret::reveal`].
        lock_combination: Lock combination: shown only through [`Secret::reveal`].
        alarm_code: Alarm code: shown only through [`Secret::reveal`].
        notify_before_visit: The customer's notice-before-visit preference.
        notify_contact: The contact to notify, with their phones and emails.
        special_instructions: Standing instructions for every visit.
        service_plan: The service plan.
        bodies_of_water: Each pool or spa with its last readings and flags.
        open_issues: Open issues at this location or on the account as a whole.
        balance: What the customer owes.
        overdue: Whether any invoice is past due.
        last_visit: The last visit to this location.
        customer_notified_at: When the customer was last sent a visit notice for this location
            (the outbox's `visit_notice`): "customer notified 18:02 yesterday".
        coordinates: Where the location is, for navigation and routing.
        water_concerns: What the customer worries about in their water.
        preferred_channel: The channel the customer prefers.
        language: The customer's language (a BCP 47 tag such as `es-MX`).
        recent_visits: The last three visits to this location, newest first, with who made them
            and what they noted: what a new technician inherits.
    """

    __slots__ = (
        "customer_id",
        "customer_name",
        "location_id",
        "label",
        "address",
        "pets",
        "hazards",
        "access_hours",
        "access_notes",
        "key_location",
        "gate_code",
        "lock_combination",
        "alarm_code",
        "notify_before_visit",
        "notify_contact",
        "special_instructions",
        "service_plan",
        "bodies_of_water",
        "open_issues",
        "balance",
        "overdue",
        "last_visit",
        "customer_notified_at",
        "coordinates",
        "water_concerns",
        "preferred_channel",
        "language",
        "recent_visits",
    )

    customer_id: CustomerId
    customer_name: str
    location_id: LocationId
    label: Optional[str]
    address: Address
    pets: List[Pet]
    hazards: List[str]
    access_hours: List[AccessWindow]
    access_notes: Optional[str]
    key_location: Optional[str]
    gate_code: Optional[Secret]
    lock_combination: Optional[Secret]
    alarm_code: Optional[Secret]
    notify_before_visit: Optional[VisitNotice]
    notify_contact: Optional[Contact]
    special_instructions: Optional[str]
    service_plan: Optional[ServicePlan]
    bodies_of_water: List[BodyOfWaterCard]
    open_issues: List[Issue]
    balance: Decimal
    overdue: bool
    last_visit: Optional[VisitSummary]
    customer_notified_at: Optional[_dt.datetime]
    coordinates: Optional[GeoPoint]
    water_concerns: List[str]
    preferred_channel: Optional[ContactChannel]
    language: Optional[str]
    recent_visits: List[VisitSummary]

    def __init__(
        self,
        *,
        customer_id: CustomerId,
        customer_name: str,
        location_id: LocationId,
        label: Optional[str] = None,
        address: Address,
        pets: Optional[List[Pet]] = None,
        hazards: Optional[List[str]] = None,
        access_hours: Optional[List[AccessWindow]] = None,
        access_notes: Optional[str] = None,
        key_location: Optional[str] = None,
        gate_code: Optional[Secret] = None,
        lock_combination: Optional[Secret] = None,
        alarm_code: Optional[Secret] = None,
        notify_before_visit: Optional[VisitNotice] = None,
        notify_contact: Optional[Contact] = None,
        special_instructions: Optional[str] = None,
        service_plan: Optional[ServicePlan] = None,
        bodies_of_water: Optional[List[BodyOfWaterCard]] = None,
        open_issues: Optional[List[Issue]] = None,
        balance: Decimal,
        overdue: bool,
        last_visit: Optional[VisitSummary] = None,
        customer_notified_at: Optional[_dt.datetime] = None,
        coordinates: Optional[GeoPoint] = None,
        water_concerns: Optional[List[str]] = None,
        preferred_channel: Optional[ContactChannel] = None,
        language: Optional[str] = None,
        recent_visits: Optional[List[VisitSummary]] = None,
    ) -> None:
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.location_id = location_id
        self.label = label
        self.address = address
        self.pets = [] if pets is None else pets
        self.hazards = [] if hazards is None else hazards
        self.access_hours = [] if access_hours is None else access_hours
        self.access_notes = access_notes
        self.key_location = key_location
        self.gate_code = gate_code
        self.lock_combination = lock_combination
        self.alarm_code = alarm_code
        self.notify_before_visit = notify_before_visit
        self.notify_contact = notify_contact
        self.special_instructions = special_instructions
        self.service_plan = service_plan
        self.bodies_of_water = [] if bodies_of_water is None else bodies_of_water
        self.open_issues = [] if open_issues is None else open_issues
        self.balance = balance
        self.overdue = overdue
        self.last_visit = last_visit
        self.customer_notified_at = customer_notified_at
        self.coordinates = coordinates
        self.water_concerns = [] if water_concerns is None else water_concerns
        self.preferred_channel = preferred_channel
        self.language = language
        self.recent_visits = [] if recent_visits is None else recent_visits


class BodyOfWaterCard(Record):
    """A body of water on a stop card.

    Attributes:
        body: The pool or spa.
        last_reading: Its last completed visit's readings, judged; `None` before the first.
        free_chlorine_trend: Free chlorine over the last three readings of it: rising, falling or
            steady (within 0.5 ppm); `None` with fewer than two.
        ph_trend: pH over the last three readings of it (steady within 0.1).
    """

    __slots__ = ("body", "last_reading", "free_chlorine_trend", "ph_trend")

    body: BodyOfWater
    last_reading: Optional[WaterAssessment]
    free_chlorine_trend: Optional[ReadingTrend]
    ph_trend: Optional[ReadingTrend]

    def __init__(
        self,
        *,
        body: BodyOfWater,
        last_reading: Optional[WaterAssessment] = None,
        free_chlorine_trend: Optional[ReadingTrend] = None,
        ph_trend: Optional[ReadingTrend] = None,
    ) -> None:
        self.body = body
        self.last_reading = last_reading
        self.free_chlorine_trend = free_chlorine_trend
        self.ph_trend = ph_trend


class VisitSummary(Record):
    """The gist of a visit.

    Attributes:
        visit_id: The visit.
        at: When.
        technician_id: Who.
        technician_name: Who, by name.
        outcome: Completed or skipped.
        skip_reason: Why it was skipped.
        tasks: What was done.
        chemicals: Chemicals added.
        notes: Notes.
    """

    __slots__ = (
        "visit_id",
        "at",
        "technician_id",
        "technician_name",
        "outcome",
        "skip_reason",
        "tasks",
        "chemicals",
        "notes",
    )

    visit_id: EntryId
    at: _dt.datetime
    technician_id: Optional[TechnicianId]
    technician_name: Optional[str]
    outcome: VisitOutcome
    skip_reason: Optional[SkipReason]
    tasks: List[str]
    chemicals: List[ChemicalDose]
    notes: Optional[str]

    def __init__(
        self,
        *,
        visit_id: EntryId,
        at: _dt.datetime,
        technician_id: Optional[TechnicianId] = None,
        technician_name: Optional[str] = None,
        outcome: VisitOutcome,
        skip_reason: Optional[SkipReason] = None,
        tasks: Optional[List[str]] = None,
        chemicals: Optional[List[ChemicalDose]] = None,
        notes: Optional[str] = None,
    ) -> None:
        self.visit_id = visit_id
        self.at = at
        self.technician_id = technician_id
        self.technician_name = technician_name
        self.outcome = outcome
        self.skip_reason = skip_reason
        self.tasks = [] if tasks is None else tasks
        self.chemicals = [] if chemicals is None else chemicals
        self.notes = notes


class Route(Record):
    """A technician's day.

    Attributes:
        technician: The technician.
        date: The day.
        stops: The locations due, each with its stop card.
    """

    __slots__ = ("technician", "date", "stops")

    technician: Technician
    date: _dt.date
    stops: List[StopCard]

    def __init__(
        self,
        *,
        technician: Technician,
        date: _dt.date,
        stops: Optional[List[StopCard]] = None,
    ) -> None:
        self.technician = technician
        self.date = date
        self.stops = [] if stops is None else stops


class ReadingPoint(Record):
    """One visit's readings in a body of water's series (for trend charts).

    Attributes:
        at: When the water was tested.
        visit_id: The visit.
        readings: What was measured.
        saturation_index: The saturation index (default method), when the readings allow it.
    """

    __slots__ = ("at", "visit_id", "readings", "saturation_index")

    at: _dt.datetime
    visit_id: EntryId
    readings: Readings
    saturation_index: Optional[float]

    def __init__(
        self,
        *,
        at: _dt.datetime,
        visit_id: EntryId,
        readings: Readings,
        saturation_index: Optional[float] = None,
    ) -> None:
        self.at = at
        self.visit_id = visit_id
        self.readings = readings
        self.saturation_index = saturation_index


class WaterAssessment(Record):
    """A visit's water judged: its saturation index, and each reading against
    the target profile of the pool or spa it was taken from.

    Attributes:
        visit_id: The visit.
        at: When the water was tested.
        readings: What was measured.
        saturation_index: The saturation index, with the method that made it.
        saturation_note: Why there is no saturation index ("cannot compute …: needs …").
        profile: The target profile the readings were judged by, if one fits the body of water.
        flags: Each reading judged low, ok or high.
    """

    __slots__ = (
        "visit_id",
        "at",
        "readings",
        "saturation_index",
        "saturation_note",
        "profile",
        "flags",
    )

    visit_id: EntryId
    at: _dt.datetime
    readings: Readings
    saturation_index: Optional[SaturationIndex]
    saturation_note: Optional[str]
    profile: Optional[str]
    flags: List[ReadingFlag]

    def __init__(
        self,
        *,
        visit_id: EntryId,
        at: _dt.datetime,
        readings: Readings,
        saturation_index: Optional[SaturationIndex] = None,
        saturation_note: Optional[str] = None,
        profile: Optional[str] = None,
        flags: Optional[List[ReadingFlag]] = None,
    ) -> None:
        self.visit_id = visit_id
        self.at = at
        self.readings = readings
        self.saturation_index = saturation_index
        self.saturation_note = saturation_note
        self.profile = profile
        self.flags = [] if flags is None else flags


class RouteStop(Record):
    """One stop of an ordered route.

    Attributes:
        card: Everything needed at the gate.
        position: Its place in the day, from 1.
        leg_km: Kilometres from the previous stop (or the start), straight line; `None` for a
            stop without coordinates.
        arrival: When the technician is expected to arrive; `None` without coordinates.
        arrival_local: The same, as the book's local time of day.
        wait_minutes: Minutes waited for the access hours to open.
        outside_access_hours: Whether the visit cannot be done within the location's access hours
            that day (no order fits it, or no window is open that day).
        no_coordinates: Whether the location has no coordinates: it keeps its place at the end,
            unordered.
        pinned: Whether a pin put it here.
    """

    __slots__ = (
        "card",
        "position",
        "leg_km",
        "arrival",
        "arrival_local",
        "wait_minutes",
        "outside_access_hours",
        "no_coordinates",
        "pinned",
    )

    card: StopCard
    position: int
    leg_km: Optional[float]
    arrival: Optional[_dt.datetime]
    arrival_local: Optional[_dt.time]
    wait_minutes: int
    outside_access_hours: bool
    no_coordinates: bool
    pinned: bool

    def __init__(
        self,
        *,
        card: StopCard,
        position: int,
        leg_km: Optional[float] = None,
        arrival: Optional[_dt.datetime] = None,
        arrival_local: Optional[_dt.time] = None,
        wait_minutes: int,
        outside_access_hours: bool,
        no_coordinates: bool,
        pinned: bool,
    ) -> None:
        self.card = card
        self.position = position
        self.leg_km = leg_km
        self.arrival = arrival
        self.arrival_local = arrival_local
        self.wait_minutes = wait_minutes
        self.outside_access_hours = outside_access_hours
        self.no_coordinates = no_coordinates
        self.pinned = pinned


class DrivingRoute(Record):
    """A technician's day in driving order.

    Attributes:
        technician: The technician.
        date: The day.
        stops: The stops in driving order; those without coordinates last.
        distance_km: Estimated kilometres from start to end, straight line between points.
        name_order_distance_km: The same stops in name order (as [`Book::route`] lists them), for
            comparison.
        finish: When the last stop is expected to be done.
    """

    __slots__ = ("technician", "date", "stops", "distance_km", "name_order_distance_km", "finish")

    technician: Technician
    date: _dt.date
    stops: List[RouteStop]
    distance_km: float
    name_order_distance_km: float
    finish: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        technician: Technician,
        date: _dt.date,
        stops: Optional[List[RouteStop]] = None,
        distance_km: float,
        name_order_distance_km: float,
        finish: Optional[_dt.datetime] = None,
    ) -> None:
        self.technician = technician
        self.date = date
        self.stops = [] if stops is None else stops
        self.distance_km = distance_km
        self.name_order_distance_km = name_order_distance_km
        self.finish = finish


class TimelineQuery(Record):
    """Which timeline to read: exactly one of `customer_id` and `location_id`.
    A customer's timeline includes their journey's touchpoints.

    Attributes:
        customer_id: A customer's whole history.
        location_id: One location's history (it follows the location across owners).
        kinds: Only these kinds of entry (all when empty).
        since: Only items at or after this time.
        until: Only items before this time.
        include_changes: Weave in notable change-log rows ("rate changed", "gate code changed").
        cursor: The previous page's `next_cursor`.
        limit: Page size (default 50, at most 1000).
    """

    __slots__ = (
        "customer_id",
        "location_id",
        "kinds",
        "since",
        "until",
        "include_changes",
        "cursor",
        "limit",
    )

    customer_id: Optional[CustomerId]
    location_id: Optional[LocationId]
    kinds: List[EntryKind]
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    include_changes: bool
    cursor: Optional[str]
    limit: Optional[int]

    def __init__(
        self,
        *,
        customer_id: Optional[CustomerId] = None,
        location_id: Optional[LocationId] = None,
        kinds: Optional[List[EntryKind]] = None,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        include_changes: bool = False,
        cursor: Optional[str] = None,
        limit: Optional[int] = None,
    ) -> None:
        self.customer_id = customer_id
        self.location_id = location_id
        self.kinds = [] if kinds is None else kinds
        self.since = since
        self.until = until
        self.include_changes = include_changes
        self.cursor = cursor
        self.limit = limit


class TimelineItemEntry(TimelineItem):
    """A history entry and who recorded it.

    Attributes:
        entry: The entry.
        author: Who recorded it.
    """

    __slots__ = ("entry", "author")
    item: ClassVar[str] = "entry"

    entry: Entry
    author: Author

    def __init__(self, *, entry: Entry, author: Author) -> None:
        self.entry = entry
        self.author = author


class TimelinePage(Record):
    """One page of a timeline.

    Attributes:
        items: Items, newest first.
        next_cursor: Pass as `cursor` for the next page; `None` on the last page.
    """

    __slots__ = ("items", "next_cursor")

    items: List[TimelineItem]
    next_cursor: Optional[str]

    def __init__(
        self,
        *,
        items: Optional[List[TimelineItem]] = None,
        next_cursor: Optional[str] = None,
    ) -> None:
        self.items = [] if items is None else items
        self.next_cursor = next_cursor


class DemoOptions(Record):
    """What to generate.

    Attributes:
        seed: The seed: the same seed gives the same company.
        customers: How many customers.
        technicians: How many technicians.
        through: The last day of history.
        weeks: How many weeks of history before `through`.
    """

    __slots__ = ("seed", "customers", "technicians", "through", "weeks")

    seed: int
    customers: int
    technicians: int
    through: _dt.date
    weeks: int

    def __init__(
        self,
        *,
        seed: int = 2026,
        customers: int = 200,
        technicians: int = 3,
        through: _dt.date,
        weeks: int = 52,
    ) -> None:
        self.seed = seed
        self.customers = customers
        self.technicians = technicians
        self.through = through
        self.weeks = weeks


class DemoSummary(Record):
    """What was generated.

    Attributes:
        technicians: The technicians, in the order they were added.
        customers: The customers, in the order they were added.
        visits: Visits recorded (completed and skipped), one per pool or spa.
        invoices: Invoices issued.
        payments: Payments received.
        other_entries: Messages, issues, notes, feedback and credits.
        touchpoints: Journey touchpoints (website visits, estimate requests and replies, invoice
            emails and reminders, portal logins, payments).
    """

    __slots__ = (
        "technicians",
        "customers",
        "visits",
        "invoices",
        "payments",
        "other_entries",
        "touchpoints",
    )

    technicians: List[TechnicianId]
    customers: List[CustomerId]
    visits: int
    invoices: int
    payments: int
    other_entries: int
    touchpoints: int

    def __init__(
        self,
        *,
        technicians: Optional[List[TechnicianId]] = None,
        customers: Optional[List[CustomerId]] = None,
        visits: int = 0,
        invoices: int = 0,
        payments: int = 0,
        other_entries: int = 0,
        touchpoints: int = 0,
    ) -> None:
        self.technicians = [] if technicians is None else technicians
        self.customers = [] if customers is None else customers
        self.visits = visits
        self.invoices = invoices
        self.payments = payments
        self.other_entries = other_entries
        self.touchpoints = touchpoints


class SaturationIndex(Record):
    """A computed saturation index and the method that produced it.

    Attributes:
        value: The index: negative water is corrosive (dissolves calcium), positive water is
            scale-forming, 0 is balanced.
        method: How it was computed.
    """

    __slots__ = ("value", "method")

    value: float
    method: CsiMethod

    def __init__(self, *, value: float, method: CsiMethod) -> None:
        self.value = value
        self.method = method


class CannotCompute(Record):
    """Why the saturation index cannot be computed from some readings.

    Attributes:
        needs: Every missing required input, always in the order pH, total alkalinity, calcium
            hardness, temperature.
        reasons: Inputs that are present but that the formula cannot use: a value that is not
            finite, calcium hardness or carbonate alkalinity not above 0.
    """

    __slots__ = ("needs", "reasons")

    needs: List[str]
    reasons: List[str]

    def __init__(
        self,
        *,
        needs: Optional[List[str]] = None,
        reasons: Optional[List[str]] = None,
    ) -> None:
        self.needs = [] if needs is None else needs
        self.reasons = [] if reasons is None else reasons


class TargetRange(Record):
    """The acceptable span of one parameter; any bound may be open.

    Attributes:
        min: Lowest acceptable value.
        max: Highest acceptable value.
        target: The value to aim for when adjusting.
    """

    __slots__ = ("min", "max", "target")

    min: Optional[float]
    max: Optional[float]
    target: Optional[float]

    def __init__(
        self,
        *,
        min: Optional[float] = None,
        max: Optional[float] = None,
        target: Optional[float] = None,
    ) -> None:
        self.min = min
        self.max = max
        self.target = target


class TargetProfile(Record):
    """A named set of target ranges and the bodies of water it applies to.
    Companies edit these; [`TargetProfile::defaults`] is a starting point.

    Attributes:
        name: A name: "Salt-water pool".
        water_kind: The kind of water it applies to; `None` for any.
        sanitizer: The sanitizer it applies to; `None` for any.
        surface: The surface it applies to; `None` for any (an unknown surface too).
        ranges: The range for each parameter checked; parameters without one are not flagged.
        chlorine_from_cya: Whether the free-chlorine minimum, target and maximum follow the
            reading's cyanuric acid (see [`TargetProfile::range_for`]).
    """

    __slots__ = ("name", "water_kind", "sanitizer", "surface", "ranges", "chlorine_from_cya")

    name: str
    water_kind: Optional[WaterKind]
    sanitizer: Optional[Sanitizer]
    surface: Optional[Surface]
    ranges: Dict[Parameter, TargetRange]
    chlorine_from_cya: bool

    def __init__(
        self,
        *,
        name: str,
        water_kind: Optional[WaterKind] = None,
        sanitizer: Optional[Sanitizer] = None,
        surface: Optional[Surface] = None,
        ranges: Optional[Dict[Parameter, TargetRange]] = None,
        chlorine_from_cya: bool,
    ) -> None:
        self.name = name
        self.water_kind = water_kind
        self.sanitizer = sanitizer
        self.surface = surface
        self.ranges = {} if ranges is None else ranges
        self.chlorine_from_cya = chlorine_from_cya


class ReadingFlag(Record):
    """One value compared with its target range.

    Attributes:
        parameter: What was compared.
        value: The value.
        level: Where it sits.
        range: The range it was compared with (free chlorine possibly following CYA).
    """

    __slots__ = ("parameter", "value", "level", "range")

    parameter: Parameter
    value: float
    level: Level
    range: TargetRange

    def __init__(
        self,
        *,
        parameter: Parameter,
        value: float,
        level: Level,
        range: TargetRange,
    ) -> None:
        self.parameter = parameter
        self.value = value
        self.level = level
        self.range = range


class InvoiceBalance(Record):
    """One invoice with what has been paid and credited against it.

    Attributes:
        invoice_id: The invoice.
        number: Its number.
        issued_on: Its accounting date.
        due_on: When it is due.
        total: What it asks for.
        paid: Payments applied to it.
        credited: Credits applied to it (a void counts here: it credits what remained).
        adjusted: Adjustments tied to it: late fees (positive) and corrections (negative) change
            what remains on it.
        remaining: What is still owed on it.
        void: Whether it was voided.
    """

    __slots__ = (
        "invoice_id",
        "number",
        "issued_on",
        "due_on",
        "total",
        "paid",
        "credited",
        "adjusted",
        "remaining",
        "void",
    )

    invoice_id: EntryId
    number: str
    issued_on: _dt.date
    due_on: _dt.date
    total: Decimal
    paid: Decimal
    credited: Decimal
    adjusted: Decimal
    remaining: Decimal
    void: bool

    def __init__(
        self,
        *,
        invoice_id: EntryId,
        number: str,
        issued_on: _dt.date,
        due_on: _dt.date,
        total: Decimal,
        paid: Decimal,
        credited: Decimal,
        adjusted: Decimal,
        remaining: Decimal,
        void: bool,
    ) -> None:
        self.invoice_id = invoice_id
        self.number = number
        self.issued_on = issued_on
        self.due_on = due_on
        self.total = total
        self.paid = paid
        self.credited = credited
        self.adjusted = adjusted
        self.remaining = remaining
        self.void = void


class StatementLine(Record):
    """One line of a statement.

    Attributes:
        on: Accounting date.
        entry_id: The ledger entry.
        kind: Invoice, payment or credit.
        description: What the customer reads: "Invoice 1042", "Payment (check)".
        amount: Effect on the balance: invoices add, payments and credits subtract.
        running_balance: The balance after this line.
    """

    __slots__ = ("on", "entry_id", "kind", "description", "amount", "running_balance")

    on: _dt.date
    entry_id: EntryId
    kind: EntryKind
    description: str
    amount: Decimal
    running_balance: Decimal

    def __init__(
        self,
        *,
        on: _dt.date,
        entry_id: EntryId,
        kind: EntryKind,
        description: str,
        amount: Decimal,
        running_balance: Decimal,
    ) -> None:
        self.on = on
        self.entry_id = entry_id
        self.kind = kind
        self.description = description
        self.amount = amount
        self.running_balance = running_balance


class Statement(Record):
    """A statement for a period.

    Attributes:
        from_: First day.
        to: Last day.
        opening_balance: The balance at the end of the day before `from`.
        lines: Entries dated within the period, in date order.
        closing_balance: The balance at the end of `to`.
    """

    __slots__ = ("from_", "to", "opening_balance", "lines", "closing_balance")
    _json_names: ClassVar[Dict[str, str]] = {"from_": "from"}

    from_: _dt.date
    to: _dt.date
    opening_balance: Decimal
    lines: List[StatementLine]
    closing_balance: Decimal

    def __init__(
        self,
        *,
        from_: _dt.date,
        to: _dt.date,
        opening_balance: Decimal,
        lines: Optional[List[StatementLine]] = None,
        closing_balance: Decimal,
    ) -> None:
        self.from_ = from_
        self.to = to
        self.opening_balance = opening_balance
        self.lines = [] if lines is None else lines
        self.closing_balance = closing_balance


class Aging(Record):
    """What is owed, by how long it has been past due.

    Attributes:
        as_of: The day the ages are counted to.
        current: Not yet due.
        days_1_30: 1 to 30 days past due.
        days_31_60: 31 to 60 days past due.
        days_61_90: 61 to 90 days past due.
        over_90: More than 90 days past due.
        unapplied: Money on account, not applied to any invoice.
        total_due: The buckets' sum less what is on account.
    """

    __slots__ = (
        "as_of",
        "current",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "over_90",
        "unapplied",
        "total_due",
    )

    as_of: _dt.date
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    unapplied: Decimal
    total_due: Decimal

    def __init__(
        self,
        *,
        as_of: _dt.date,
        current: Decimal,
        days_1_30: Decimal,
        days_31_60: Decimal,
        days_61_90: Decimal,
        over_90: Decimal,
        unapplied: Decimal,
        total_due: Decimal,
    ) -> None:
        self.as_of = as_of
        self.current = current
        self.days_1_30 = days_1_30
        self.days_31_60 = days_31_60
        self.days_61_90 = days_61_90
        self.over_90 = over_90
        self.unapplied = unapplied
        self.total_due = total_due


class Region(Record):
    """A numbering region: how national numbers are written there.

    Attributes:
        code: ISO 3166-1 alpha-2 code, e.g. `US`.
        calling_code: Country calling code, e.g. `1`.
        trunk_prefix: Digit dialled before national numbers at home (`0` in the UK), if any.
        min_national_length: Fewest digits of a national significant number.
        max_national_length: Most digits of a national significant number.
    """

    __slots__ = (
        "code",
        "calling_code",
        "trunk_prefix",
        "min_national_length",
        "max_national_length",
    )

    code: str
    calling_code: str
    trunk_prefix: Optional[str]
    min_national_length: int
    max_national_length: int

    def __init__(
        self,
        *,
        code: str,
        calling_code: str,
        trunk_prefix: Optional[str] = None,
        min_national_length: int,
        max_national_length: int,
    ) -> None:
        self.code = code
        self.calling_code = calling_code
        self.trunk_prefix = trunk_prefix
        self.min_national_length = min_national_length
        self.max_national_length = max_national_length


class SearchHit(Record):
    """One customer found by a search.

    Attributes:
        customer_id: The customer.
        display_name: The customer's display name.
        score: Relevance: higher is better. Comparable only within one search.
    """

    __slots__ = ("customer_id", "display_name", "score")

    customer_id: CustomerId
    display_name: str
    score: float

    def __init__(self, *, customer_id: CustomerId, display_name: str, score: float) -> None:
        self.customer_id = customer_id
        self.display_name = display_name
        self.score = score


class FieldProblem(Record):
    """One field's problem in an input that failed validation.

    Attributes:
        field: Path of the field, e.g. `contacts[0].phones[1].number`.
        problem: What is wrong with it.
    """

    __slots__ = ("field", "problem")

    field: str
    problem: str

    def __init__(self, *, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem


class BackupReport(Record):
    """A backup written by [`crate::Book::backup_to`]: a consistent snapshot of
    the book in a file of its own, already checked with SQLite's
    `integrity_check`. Restoring is opening that file.

    Attributes:
        path: The backup file.
        bytes: Its size in bytes.
        customers: Customers in the backup, archived ones included.
        entries: History entries in the backup.
        touchpoints: Touchpoints in the backup.
        changes: Change-log rows in the backup.
    """

    __slots__ = ("path", "bytes", "customers", "entries", "touchpoints", "changes")

    path: str
    bytes: int
    customers: int
    entries: int
    touchpoints: int
    changes: int

    def __init__(
        self,
        *,
        path: str,
        bytes: int,
        customers: int,
        entries: int,
        touchpoints: int,
        changes: int,
    ) -> None:
        self.path = path
        self.bytes = bytes
        self.customers = customers
        self.entries = entries
        self.touchpoints = touchpoints
        self.changes = changes


class BillingPeriod(Record):
    """The days an invoice run covers, both included (local days of the book's
    time zone).

    Attributes:
        from_: First day.
        to: Last day.
    """

    __slots__ = ("from_", "to")
    _json_names: ClassVar[Dict[str, str]] = {"from_": "from"}

    from_: _dt.date
    to: _dt.date

    def __init__(self, *, from_: _dt.date, to: _dt.date) -> None:
        self.from_ = from_
        self.to = to


class ChemicalPrice(Record):
    """The price of one unit of a chemical, for billing the doses added at visits.

    Attributes:
        product: The product as technicians record it ("liquid chlorine"); matched without regard
            to case or surrounding spaces.
        unit: The unit the price is per; a dose in another unit is not priced.
        unit_price: Price of one unit.
    """

    __slots__ = ("product", "unit", "unit_price")

    product: str
    unit: DoseUnit
    unit_price: Decimal

    def __init__(self, *, product: str, unit: DoseUnit, unit_price: Decimal) -> None:
        self.product = product
        self.unit = unit
        self.unit_price = unit_price


class BillingSettings(Record):
    """How the book bills: its sales tax and what it applies to, the chemical
    price list, and where invoice numbers start. Stored as a book setting.

    Attributes:
        tax_rate: The sales-tax rate as a fraction (0.0825 for 8.25%); `None`: no tax.
        tax_service: Whether service (visits, months, seasons, flat rates) is taxed.
        tax_chemicals: Whether chemicals are taxed.
        chemical_prices: The chemical price list.
        first_invoice_number: The number the first issued invoice gets (later ones count up from
            the largest number in the book).
    """

    __slots__ = (
        "tax_rate",
        "tax_service",
        "tax_chemicals",
        "chemical_prices",
        "first_invoice_number",
    )

    tax_rate: Optional[Decimal]
    tax_service: bool
    tax_chemicals: bool
    chemical_prices: List[ChemicalPrice]
    first_invoice_number: int

    def __init__(
        self,
        *,
        tax_rate: Optional[Decimal] = None,
        tax_service: bool = False,
        tax_chemicals: bool = True,
        chemical_prices: Optional[List[ChemicalPrice]] = None,
        first_invoice_number: int = 1001,
    ) -> None:
        self.tax_rate = tax_rate
        self.tax_service = tax_service
        self.tax_chemicals = tax_chemicals
        self.chemical_prices = [] if chemical_prices is None else chemical_prices
        self.first_invoice_number = first_invoice_number


class OneOffCharge(Record):
    """A one-off charge to bill with the period's service: a filter cartridge,
    a green-to-clean. Its id makes it billed once, however often it is passed.

    Attributes:
        id: Identifier: a charge with an id already billed is not billed again.
        customer_id: The account charged.
        location_id: The property it concerns, if one.
        on: The day of the work; billed in the period that holds it.
        description: What is charged for.
        quantity: How many.
        unit_price: Price of one.
        taxable: Whether the book's tax applies to it.
    """

    __slots__ = (
        "id",
        "customer_id",
        "location_id",
        "on",
        "description",
        "quantity",
        "unit_price",
        "taxable",
    )

    id: EntryId
    customer_id: CustomerId
    location_id: Optional[LocationId]
    on: _dt.date
    description: str
    quantity: Decimal
    unit_price: Decimal
    taxable: bool

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        location_id: Optional[LocationId] = None,
        on: _dt.date,
        description: str,
        quantity: Decimal,
        unit_price: Decimal,
        taxable: bool = False,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.location_id = location_id
        self.on = on
        self.description = description
        self.quantity = quantity
        self.unit_price = unit_price
        self.taxable = taxable


class DraftOptions(Record):
    """What [`crate::Book::draft_invoices`] drafts.

    Attributes:
        customer_id: Only this customer; `None`: the whole book.
        issued_on: The invoices' date; `None`: today in the book's time zone.
        charges: One-off charges to bill (those dated in the period, of the customers drafted).
    """

    __slots__ = ("customer_id", "issued_on", "charges")

    customer_id: Optional[CustomerId]
    issued_on: Optional[_dt.date]
    charges: List[OneOffCharge]

    def __init__(
        self,
        *,
        customer_id: Optional[CustomerId] = None,
        issued_on: Optional[_dt.date] = None,
        charges: Optional[List[OneOffCharge]] = None,
    ) -> None:
        self.customer_id = customer_id
        self.issued_on = issued_on
        self.charges = [] if charges is None else charges


class InvoiceDraft(Record):
    """An invoice drafted from the record, for review before it is issued.

    Attributes:
        invoice: The invoice as it would be issued; its number is given on issue.
        customer_name: The customer's display name.
        subtotal: Sum of the lines.
        tax: Tax.
        total: What the invoice would ask for.
        warnings: What the draft could not bill and why ("no price for …").
    """

    __slots__ = ("invoice", "customer_name", "subtotal", "tax", "total", "warnings")

    invoice: Invoice
    customer_name: str
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    warnings: List[str]

    def __init__(
        self,
        *,
        invoice: Invoice,
        customer_name: str,
        subtotal: Decimal,
        tax: Decimal,
        total: Decimal,
        warnings: Optional[List[str]] = None,
    ) -> None:
        self.invoice = invoice
        self.customer_name = customer_name
        self.subtotal = subtotal
        self.tax = tax
        self.total = total
        self.warnings = [] if warnings is None else warnings


class BookFilter(Record):
    """Which touchpoints (or entries), across the whole book. Filters combine
    with AND; a list allows any of its values; empty allows everything.

    Attributes:
        since: Only at or after this time.
        until: Only before this time.
        channels: Touchpoints on these channels.
        actions: Touchpoints with these actions.
        directions: Touchpoints in these directions.
        kinds: Entries of these kinds.
        segment: Only customers in this saved segment (as of now).
        customer_kinds: Only customers of these kinds.
        tags: Only customers with one of these tags.
        technician_id: Only what this technician did: their visits (entries) and the touchpoints
            of those visits.
    """

    __slots__ = (
        "since",
        "until",
        "channels",
        "actions",
        "directions",
        "kinds",
        "segment",
        "customer_kinds",
        "tags",
        "technician_id",
    )

    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    channels: List[JourneyChannel]
    actions: List[str]
    directions: List[Direction]
    kinds: List[EntryKind]
    segment: Optional[str]
    customer_kinds: List[CustomerKind]
    tags: List[str]
    technician_id: Optional[TechnicianId]

    def __init__(
        self,
        *,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        channels: Optional[List[JourneyChannel]] = None,
        actions: Optional[List[str]] = None,
        directions: Optional[List[Direction]] = None,
        kinds: Optional[List[EntryKind]] = None,
        segment: Optional[str] = None,
        customer_kinds: Optional[List[CustomerKind]] = None,
        tags: Optional[List[str]] = None,
        technician_id: Optional[TechnicianId] = None,
    ) -> None:
        self.since = since
        self.until = until
        self.channels = [] if channels is None else channels
        self.actions = [] if actions is None else actions
        self.directions = [] if directions is None else directions
        self.kinds = [] if kinds is None else kinds
        self.segment = segment
        self.customer_kinds = [] if customer_kinds is None else customer_kinds
        self.tags = [] if tags is None else tags
        self.technician_id = technician_id


class CountDimensionChannel(CountDimension):
    """The channel."""

    __slots__ = ()
    by: ClassVar[str] = "channel"


class CountDimensionAction(CountDimension):
    """The action."""

    __slots__ = ()
    by: ClassVar[str] = "action"


class CountDimensionStage(CountDimension):
    """The journey stage (empty when unmapped)."""

    __slots__ = ()
    by: ClassVar[str] = "stage"


class CountDimensionDirection(CountDimension):
    """Inbound or outbound."""

    __slots__ = ()
    by: ClassVar[str] = "direction"


class CountDimensionCustomerKind(CountDimension):
    """The customer's kind (empty for anonymous visitors)."""

    __slots__ = ()
    by: ClassVar[str] = "customer_kind"


class CountDimensionTechnician(CountDimension):
    """The technician of a visit's touchpoint (empty for others)."""

    __slots__ = ()
    by: ClassVar[str] = "technician"


class CountDimensionProperty(CountDimension):
    """A property of the touchpoint (`skip_reason`, `method`, `rating`).

    Attributes:
        name: The property's name.
    """

    __slots__ = ("name",)
    by: ClassVar[str] = "property"

    name: str

    def __init__(self, *, name: str) -> None:
        self.name = name


class TouchpointCountQuery(Record):
    """Touchpoint counts to make.

    Attributes:
        filter: Which touchpoints.
        period: The period to group by; `None` counts the whole range as one.
        by: Dimensions to group by (at most 3), in order.
    """

    __slots__ = ("filter", "period", "by")

    filter: BookFilter
    period: Optional[Period]
    by: List[CountDimension]

    def __init__(
        self,
        *,
        filter: BookFilter,
        period: Optional[Period] = None,
        by: Optional[List[CountDimension]] = None,
    ) -> None:
        self.filter = filter
        self.period = period
        self.by = [] if by is None else by


class TouchpointCount(Record):
    """One group's count.

    Attributes:
        period_start: The first day of the period (`None` without a period).
        group: The group's value of each dimension, in the query's order (empty text where a
            touchpoint has none).
        touchpoints: Touchpoints in the group.
        value: The sum of their values (payments, invoices), 0 when none has one.
    """

    __slots__ = ("period_start", "group", "touchpoints", "value")

    period_start: Optional[_dt.date]
    group: List[str]
    touchpoints: int
    value: float

    def __init__(
        self,
        *,
        period_start: Optional[_dt.date] = None,
        group: Optional[List[str]] = None,
        touchpoints: int,
        value: float,
    ) -> None:
        self.period_start = period_start
        self.group = [] if group is None else group
        self.touchpoints = touchpoints
        self.value = value


class BookTouchpointPage(Record):
    """One page of touchpoints across the book, oldest first.

    Attributes:
        touchpoints: The touchpoints.
        next_cursor: Pass as `cursor` for the next page; `None` on the last page.
    """

    __slots__ = ("touchpoints", "next_cursor")

    touchpoints: List[Touchpoint]
    next_cursor: Optional[str]

    def __init__(
        self,
        *,
        touchpoints: Optional[List[Touchpoint]] = None,
        next_cursor: Optional[str] = None,
    ) -> None:
        self.touchpoints = [] if touchpoints is None else touchpoints
        self.next_cursor = next_cursor


class BookEntryPage(Record):
    """One page of history entries across the book, newest first.

    Attributes:
        entries: The entries.
        next_cursor: Pass as `cursor` for the next page; `None` on the last page.
    """

    __slots__ = ("entries", "next_cursor")

    entries: List[Entry]
    next_cursor: Optional[str]

    def __init__(
        self,
        *,
        entries: Optional[List[Entry]] = None,
        next_cursor: Optional[str] = None,
    ) -> None:
        self.entries = [] if entries is None else entries
        self.next_cursor = next_cursor


class Debtor(Record):
    """A customer who owes money.

    Attributes:
        customer_id: The customer.
        display_name: Their display name.
        owed: What they owe in all.
        over_30: Of it, more than 30 days past due.
        oldest_days_past_due: Days the oldest unpaid invoice is past due (0 if none is).
    """

    __slots__ = ("customer_id", "display_name", "owed", "over_30", "oldest_days_past_due")

    customer_id: CustomerId
    display_name: str
    owed: Decimal
    over_30: Decimal
    oldest_days_past_due: int

    def __init__(
        self,
        *,
        customer_id: CustomerId,
        display_name: str,
        owed: Decimal,
        over_30: Decimal,
        oldest_days_past_due: int,
    ) -> None:
        self.customer_id = customer_id
        self.display_name = display_name
        self.owed = owed
        self.over_30 = over_30
        self.oldest_days_past_due = oldest_days_past_due


class Receivables(Record):
    """What the company is owed, across every customer.

    Attributes:
        as_of: The day ages are counted to.
        total_owed: Everything owed less money on account.
        current: Not yet due.
        days_1_30: 1 to 30 days past due.
        days_31_60: 31 to 60 days past due.
        days_61_90: 61 to 90 days past due.
        over_90: More than 90 days past due.
        unapplied: Money on account, not applied to any invoice.
        customers_owing: Customers who owe something.
        top_debtors: Who owes most, most first (at most `top` of them).
    """

    __slots__ = (
        "as_of",
        "total_owed",
        "current",
        "days_1_30",
        "days_31_60",
        "days_61_90",
        "over_90",
        "unapplied",
        "customers_owing",
        "top_debtors",
    )

    as_of: _dt.date
    total_owed: Decimal
    current: Decimal
    days_1_30: Decimal
    days_31_60: Decimal
    days_61_90: Decimal
    over_90: Decimal
    unapplied: Decimal
    customers_owing: int
    top_debtors: List[Debtor]

    def __init__(
        self,
        *,
        as_of: _dt.date,
        total_owed: Decimal,
        current: Decimal,
        days_1_30: Decimal,
        days_31_60: Decimal,
        days_61_90: Decimal,
        over_90: Decimal,
        unapplied: Decimal,
        customers_owing: int,
        top_debtors: Optional[List[Debtor]] = None,
    ) -> None:
        self.as_of = as_of
        self.total_owed = total_owed
        self.current = current
        self.days_1_30 = days_1_30
        self.days_31_60 = days_31_60
        self.days_61_90 = days_61_90
        self.over_90 = over_90
        self.unapplied = unapplied
        self.customers_owing = customers_owing
        self.top_debtors = [] if top_debtors is None else top_debtors


class Author(AuthorConstructors, Record):
    """The author of a change: a technician, an office user, an import or the system.

    Attributes:
        kind: What kind of author.
        id: Who exactly: a technician id, an office login, an import's name.
    """

    __slots__ = ("kind", "id")

    kind: AuthorKind
    id: str

    def __init__(self, *, kind: AuthorKind, id: str) -> None:
        self.kind = kind
        self.id = id


class FieldChange(Record):
    """One field's change. For a secret field, `secret` is true and both values
    are null: the log says only that it changed.

    Attributes:
        field: Dotted path of the field within its entity, e.g. `billing.rate`.
        before: The value before (null if it did not exist).
        after: The value after (null if it no longer exists).
        secret: Whether the field is a secret (values withheld).
    """

    __slots__ = ("field", "before", "after", "secret")

    field: str
    before: Any
    after: Any
    secret: bool

    def __init__(self, *, field: str, before: Any, after: Any, secret: bool) -> None:
        self.field = field
        self.before = before
        self.after = after
        self.secret = secret


class NewChange(Record):
    """A change about to be written; the store stamps it with author, time and sequence.

    Attributes:
        entity: Kind of entity changed.
        entity_id: Its id.
        customer_id: The customer account it belongs to, if any.
        action: What happened.
        changes: Field-level detail.
    """

    __slots__ = ("entity", "entity_id", "customer_id", "action", "changes")

    entity: EntityKind
    entity_id: str
    customer_id: Optional[CustomerId]
    action: ChangeAction
    changes: List[FieldChange]

    def __init__(
        self,
        *,
        entity: EntityKind,
        entity_id: str,
        customer_id: Optional[CustomerId] = None,
        action: ChangeAction,
        changes: Optional[List[FieldChange]] = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.customer_id = customer_id
        self.action = action
        self.changes = [] if changes is None else changes


class ChangeRecord(TimelineItem):
    """One row of the append-only change log.

    Attributes:
        seq: Position in the log: grows by one per row, never reused.
        at: When the change was made.
        author: Who made it.
        entity: Kind of entity changed.
        entity_id: Its id.
        customer_id: The customer account it belongs to, if any.
        action: What happened.
        changes: Field-level detail.
    """

    __slots__ = ("seq", "at", "author", "entity", "entity_id", "customer_id", "action", "changes")
    item: ClassVar[str] = "change"

    seq: int
    at: _dt.datetime
    author: Author
    entity: EntityKind
    entity_id: str
    customer_id: Optional[CustomerId]
    action: ChangeAction
    changes: List[FieldChange]

    def __init__(
        self,
        *,
        seq: int,
        at: _dt.datetime,
        author: Author,
        entity: EntityKind,
        entity_id: str,
        customer_id: Optional[CustomerId] = None,
        action: ChangeAction,
        changes: Optional[List[FieldChange]] = None,
    ) -> None:
        self.seq = seq
        self.at = at
        self.author = author
        self.entity = entity
        self.entity_id = entity_id
        self.customer_id = customer_id
        self.action = action
        self.changes = [] if changes is None else changes


class ChangeLogQuery(Record):
    """Which change-log rows to read; filters combine with AND. Rows come oldest first.

    Attributes:
        entity: Only rows about entities of this kind (with `entity_id`: about that one).
        entity_id: Only rows about the entity with this id; needs `entity`.
        customer_id: Only rows about this customer account and everything on it.
        author: Only rows by this author.
        since: Only rows at or after this time.
        after_seq: Only rows after this sequence number (for paging and sync).
        limit: At most this many rows (default 1000).
    """

    __slots__ = ("entity", "entity_id", "customer_id", "author", "since", "after_seq", "limit")

    entity: Optional[EntityKind]
    entity_id: Optional[str]
    customer_id: Optional[CustomerId]
    author: Optional[Author]
    since: Optional[_dt.datetime]
    after_seq: Optional[int]
    limit: Optional[int]

    def __init__(
        self,
        *,
        entity: Optional[EntityKind] = None,
        entity_id: Optional[str] = None,
        customer_id: Optional[CustomerId] = None,
        author: Optional[Author] = None,
        since: Optional[_dt.datetime] = None,
        after_seq: Optional[int] = None,
        limit: Optional[int] = None,
    ) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.customer_id = customer_id
        self.author = author
        self.since = since
        self.after_seq = after_seq
        self.limit = limit


class Customer(Record):
    """A customer account: the one organised record of everything the company knows.

    Attributes:
        id: Identifier.
        kind: What sort of account.
        display_name: The name shown everywhere: "Maria Lopez", "Sunset HOA".
        status: Lead, active, paused or cancelled.
        billing: How the account is billed.
        tags: Free labels, trimmed and unique.
        custom_fields: Company-specific fields.
        contacts: People on the account.
        locations: Properties served.
        preferences: How the customer wants to be treated.
        created_at: When the record was created.
        updated_at: When the record last changed.
        archived_at: When the record was archived; `None` while it is live.
        version: Optimistic-concurrency version: starts at 1, grows by one per change.
    """

    __slots__ = (
        "id",
        "kind",
        "display_name",
        "status",
        "billing",
        "tags",
        "custom_fields",
        "contacts",
        "locations",
        "preferences",
        "created_at",
        "updated_at",
        "archived_at",
        "version",
    )

    id: CustomerId
    kind: CustomerKind
    display_name: str
    status: LifecycleStatus
    billing: Billing
    tags: List[str]
    custom_fields: Dict[str, str]
    contacts: List[Contact]
    locations: List[ServiceLocation]
    preferences: Preferences
    created_at: _dt.datetime
    updated_at: _dt.datetime
    archived_at: Optional[_dt.datetime]
    version: int

    def __init__(
        self,
        *,
        id: Optional[CustomerId] = None,
        kind: CustomerKind,
        display_name: str,
        status: LifecycleStatus,
        billing: Billing,
        tags: Optional[List[str]] = None,
        custom_fields: Optional[Dict[str, str]] = None,
        contacts: Optional[List[Contact]] = None,
        locations: Optional[List[ServiceLocation]] = None,
        preferences: Preferences,
        created_at: _dt.datetime,
        updated_at: _dt.datetime,
        archived_at: Optional[_dt.datetime] = None,
        version: int,
    ) -> None:
        self.id = CustomerId(new_id()) if id is None else id
        self.kind = kind
        self.display_name = display_name
        self.status = status
        self.billing = billing
        self.tags = [] if tags is None else tags
        self.custom_fields = {} if custom_fields is None else custom_fields
        self.contacts = [] if contacts is None else contacts
        self.locations = [] if locations is None else locations
        self.preferences = preferences
        self.created_at = created_at
        self.updated_at = updated_at
        self.archived_at = archived_at
        self.version = version


class NewCustomer(Record):
    """Everything needed to create a customer. The id is made on creation of this
    value, so a record can be built offline and referred to before it is saved.

    Attributes:
        id: Identifier the customer will have.
        kind: What sort of account.
        display_name: The name shown everywhere.
        status: Lifecycle status; new accounts default to active.
        billing: How the account is billed.
        tags: Free labels.
        custom_fields: Company-specific fields.
        contacts: People on the account.
        locations: Properties served.
        preferences: How the customer wants to be treated.
    """

    __slots__ = (
        "id",
        "kind",
        "display_name",
        "status",
        "billing",
        "tags",
        "custom_fields",
        "contacts",
        "locations",
        "preferences",
    )

    id: CustomerId
    kind: CustomerKind
    display_name: str
    status: LifecycleStatus
    billing: Billing
    tags: List[str]
    custom_fields: Dict[str, str]
    contacts: List[Contact]
    locations: List[ServiceLocation]
    preferences: Preferences

    def __init__(
        self,
        *,
        id: Optional[CustomerId] = None,
        kind: CustomerKind,
        display_name: str,
        status: LifecycleStatus = LifecycleStatus.ACTIVE,
        billing: Optional[Billing] = None,
        tags: Optional[List[str]] = None,
        custom_fields: Optional[Dict[str, str]] = None,
        contacts: Optional[List[Contact]] = None,
        locations: Optional[List[ServiceLocation]] = None,
        preferences: Optional[Preferences] = None,
    ) -> None:
        self.id = CustomerId(new_id()) if id is None else id
        self.kind = kind
        self.display_name = display_name
        self.status = status
        self.billing = Billing() if billing is None else billing
        self.tags = [] if tags is None else tags
        self.custom_fields = {} if custom_fields is None else custom_fields
        self.contacts = [] if contacts is None else contacts
        self.locations = [] if locations is None else locations
        self.preferences = Preferences() if preferences is None else preferences


class CustomerPatch(Record):
    """A partial update: each `Some` field replaces the stored one, each `None`
    leaves it alone. Lists (contacts, locations, tags) are replaced whole; a
    contact or location left out of its list is archived, and putting it back
    (same id) restores it.

    Attributes:
        kind: New kind.
        display_name: New display name.
        status: New lifecycle status.
        billing: New billing details.
        tags: New tags.
        custom_fields: New custom fields.
        contacts: New contact list.
        locations: New location list.
        preferences: New preferences.
    """

    __slots__ = (
        "kind",
        "display_name",
        "status",
        "billing",
        "tags",
        "custom_fields",
        "contacts",
        "locations",
        "preferences",
    )

    kind: Optional[CustomerKind]
    display_name: Optional[str]
    status: Optional[LifecycleStatus]
    billing: Optional[Billing]
    tags: Optional[List[str]]
    custom_fields: Optional[Dict[str, str]]
    contacts: Optional[List[Contact]]
    locations: Optional[List[ServiceLocation]]
    preferences: Optional[Preferences]

    def __init__(
        self,
        *,
        kind: Optional[CustomerKind] = None,
        display_name: Optional[str] = None,
        status: Optional[LifecycleStatus] = None,
        billing: Optional[Billing] = None,
        tags: Optional[List[str]] = None,
        custom_fields: Optional[Dict[str, str]] = None,
        contacts: Optional[List[Contact]] = None,
        locations: Optional[List[ServiceLocation]] = None,
        preferences: Optional[Preferences] = None,
    ) -> None:
        self.kind = kind
        self.display_name = display_name
        self.status = status
        self.billing = billing
        self.tags = tags
        self.custom_fields = custom_fields
        self.contacts = contacts
        self.locations = locations
        self.preferences = preferences


class Billing(Record):
    """How an account is billed.

    Attributes:
        address: Where bills go, if not to the service location.
        rate: The agreed rate in the book's currency.
        rate_basis: What the rate is charged per.
        terms_days: Days after the invoice date that payment is due (0: on receipt).
        billed_skips: The rate's rule for skipped visits (per-visit rates): visits skipped for
            these reasons are still charged (a locked gate, a dog out); others are listed at no
            charge. Empty: no skipped visit is charged.
    """

    __slots__ = ("address", "rate", "rate_basis", "terms_days", "billed_skips")

    address: Optional[Address]
    rate: Optional[Decimal]
    rate_basis: RateBasis
    terms_days: int
    billed_skips: List[SkipReason]

    def __init__(
        self,
        *,
        address: Optional[Address] = None,
        rate: Optional[Decimal] = None,
        rate_basis: RateBasis = RateBasis.PER_VISIT,
        terms_days: int = 15,
        billed_skips: Optional[List[SkipReason]] = None,
    ) -> None:
        self.address = address
        self.rate = rate
        self.rate_basis = rate_basis
        self.terms_days = terms_days
        self.billed_skips = [] if billed_skips is None else billed_skips


class Contact(Record):
    """A person with a role on the account.

    Attributes:
        id: Identifier.
        name: Full name.
        role: Role on the account.
        phones: Phone numbers, stored in E.164 form.
        emails: Email addresses.
        primary: Whether this is the account's main contact (at most one is).
        consents: Consent per channel (at most one entry per channel).
    """

    __slots__ = ("id", "name", "role", "phones", "emails", "primary", "consents")

    id: ContactId
    name: str
    role: ContactRole
    phones: List[Phone]
    emails: List[str]
    primary: bool
    consents: List[Consent]

    def __init__(
        self,
        *,
        id: Optional[ContactId] = None,
        name: str,
        role: ContactRole,
        phones: Optional[List[Phone]] = None,
        emails: Optional[List[str]] = None,
        primary: bool = False,
        consents: Optional[List[Consent]] = None,
    ) -> None:
        self.id = ContactId(new_id()) if id is None else id
        self.name = name
        self.role = role
        self.phones = [] if phones is None else phones
        self.emails = [] if emails is None else emails
        self.primary = primary
        self.consents = [] if consents is None else consents


class Phone(Record):
    """A phone number.

    Attributes:
        number: The number; E.164 (`+15550102233`) once saved.
        label: A label such as "mobile" or "office".
        sms_capable: Whether the number receives text messages.
    """

    __slots__ = ("number", "label", "sms_capable")

    number: str
    label: Optional[str]
    sms_capable: bool

    def __init__(self, *, number: str, label: Optional[str] = None, sms_capable: bool) -> None:
        self.number = number
        self.label = label
        self.sms_capable = sms_capable


class Consent(Record):
    """A contact's consent to be reached on one channel.

    Attributes:
        channel: The channel it concerns.
        status: Opted in or out.
        recorded_at: When it was given or withdrawn.
        method: How it was obtained: "web form", "verbal, on the phone", "replied STOP".
    """

    __slots__ = ("channel", "status", "recorded_at", "method")

    channel: ContactChannel
    status: ConsentStatus
    recorded_at: _dt.datetime
    method: str

    def __init__(
        self,
        *,
        channel: ContactChannel,
        status: ConsentStatus,
        recorded_at: _dt.datetime,
        method: str,
    ) -> None:
        self.channel = channel
        self.status = status
        self.recorded_at = recorded_at
        self.method = method


class Preferences(Record):
    """How the customer wants to be treated. Stored as JSON; fields missing from
    an older record read as their defaults.

    Attributes:
        notify_before_visit: Notice before each visit: which channel, which contact, how long
            before.
        preferred_channel: The channel the customer prefers in general.
        preferred_service_day: The day the customer would like service.
        quiet_hours: When not to contact the customer.
        language: Preferred language as a BCP 47 tag, e.g. `en` or `es-MX`.
        water_concerns: Things the customer worries about: "algae", "sensitive skin".
        do_not_contact: Contact the customer only when service requires it.
    """

    __slots__ = (
        "notify_before_visit",
        "preferred_channel",
        "preferred_service_day",
        "quiet_hours",
        "language",
        "water_concerns",
        "do_not_contact",
    )

    notify_before_visit: Optional[VisitNotice]
    preferred_channel: Optional[ContactChannel]
    preferred_service_day: Optional[Weekday]
    quiet_hours: Optional[TimeWindow]
    language: Optional[str]
    water_concerns: List[str]
    do_not_contact: bool

    def __init__(
        self,
        *,
        notify_before_visit: Optional[VisitNotice] = None,
        preferred_channel: Optional[ContactChannel] = None,
        preferred_service_day: Optional[Weekday] = None,
        quiet_hours: Optional[TimeWindow] = None,
        language: Optional[str] = None,
        water_concerns: Optional[List[str]] = None,
        do_not_contact: bool = False,
    ) -> None:
        self.notify_before_visit = notify_before_visit
        self.preferred_channel = preferred_channel
        self.preferred_service_day = preferred_service_day
        self.quiet_hours = quiet_hours
        self.language = language
        self.water_concerns = [] if water_concerns is None else water_concerns
        self.do_not_contact = do_not_contact


class VisitNotice(Record):
    """"Text me before you come": notice before each visit.

    Attributes:
        channel: Channel to use.
        contact_id: Contact to notify (must be on the account, reachable on the channel).
        lead_time_minutes: How many minutes before arrival.
    """

    __slots__ = ("channel", "contact_id", "lead_time_minutes")

    channel: ContactChannel
    contact_id: ContactId
    lead_time_minutes: int

    def __init__(
        self,
        *,
        channel: ContactChannel,
        contact_id: ContactId,
        lead_time_minutes: int,
    ) -> None:
        self.channel = channel
        self.contact_id = contact_id
        self.lead_time_minutes = lead_time_minutes


class ExperimentDefinition(Record):
    """An experiment to measure.

    Attributes:
        name: The experiment's name (part of the hash for hashed assignment).
        variants: The variants, at least two; the first is the control (the previous approach).
        assignment: How people are put in a variant.
        exposure_action: The action that puts a person in the experiment (their first one in the
            range): `message_sent` for a reminder.
        exposure_properties: Properties the exposure touchpoint must have, each equal
            (`{"template": "payment_reminder"}` for a reminder message).
        goal_action: The action that counts as converting: `payment_made`.
        window_hours: Hours after exposure within which the goal counts (the edge counts).
        since: Only exposures at or after this time.
        until: Only exposures before this time.
    """

    __slots__ = (
        "name",
        "variants",
        "assignment",
        "exposure_action",
        "exposure_properties",
        "goal_action",
        "window_hours",
        "since",
        "until",
    )

    name: str
    variants: List[str]
    assignment: Assignment
    exposure_action: str
    exposure_properties: Dict[str, Any]
    goal_action: str
    window_hours: int
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        name: str,
        variants: Optional[List[str]] = None,
        assignment: Assignment,
        exposure_action: str,
        exposure_properties: Optional[Dict[str, Any]] = None,
        goal_action: str,
        window_hours: int,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
    ) -> None:
        self.name = name
        self.variants = [] if variants is None else variants
        self.assignment = assignment
        self.exposure_action = exposure_action
        self.exposure_properties = {} if exposure_properties is None else exposure_properties
        self.goal_action = goal_action
        self.window_hours = window_hours
        self.since = since
        self.until = until


class VariantResult(Record):
    """How one variant did.

    Attributes:
        variant: The variant.
        people: People exposed to it.
        converted: Of them, people who reached the goal within the window.
        rate: converted ÷ people (0 when nobody was exposed).
    """

    __slots__ = ("variant", "people", "converted", "rate")

    variant: str
    people: int
    converted: int
    rate: float

    def __init__(self, *, variant: str, people: int, converted: int, rate: float) -> None:
        self.variant = variant
        self.people = people
        self.converted = converted
        self.rate = rate


class Comparison(Record):
    """One proportion compared with another: a variant with the control, or
    a funnel step after a change with before it.

    Attributes:
        name: What is compared (the variant, or the step's action).
        against: What it is compared with (the control, or "before").
        difference: Its rate minus the other's (a proportion: 0.061 is 6.1 points).
        ci_low: Lower end of the 95 % confidence interval of the difference.
        ci_high: Upper end.
        p_value: Two-sided p-value of the two-proportion z test.
        enough_data: Both groups have at least 10 conversions and 10 non-conversions.
        verdict: In plain language: "B converts 6.1 points better than A, 95 % CI 1.2–11.0;
            enough data" or "not enough data yet …".
    """

    __slots__ = (
        "name",
        "against",
        "difference",
        "ci_low",
        "ci_high",
        "p_value",
        "enough_data",
        "verdict",
    )

    name: str
    against: str
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    enough_data: bool
    verdict: str

    def __init__(
        self,
        *,
        name: str,
        against: str,
        difference: float,
        ci_low: float,
        ci_high: float,
        p_value: float,
        enough_data: bool,
        verdict: str,
    ) -> None:
        self.name = name
        self.against = against
        self.difference = difference
        self.ci_low = ci_low
        self.ci_high = ci_high
        self.p_value = p_value
        self.enough_data = enough_data
        self.verdict = verdict


class ExperimentReport(Record):
    """An experiment measured.

    Attributes:
        name: The experiment.
        variants: Per variant, in the definition's order.
        comparisons: Each variant after the first against the first.
        unassigned: Exposed people whose recorded variant is not one of the definition's.
    """

    __slots__ = ("name", "variants", "comparisons", "unassigned")

    name: str
    variants: List[VariantResult]
    comparisons: List[Comparison]
    unassigned: int

    def __init__(
        self,
        *,
        name: str,
        variants: Optional[List[VariantResult]] = None,
        comparisons: Optional[List[Comparison]] = None,
        unassigned: int,
    ) -> None:
        self.name = name
        self.variants = [] if variants is None else variants
        self.comparisons = [] if comparisons is None else comparisons
        self.unassigned = unassigned


class DateRange(Record):
    """A period: `[since, until)`.

    Attributes:
        since: Its start.
        until: Its end (not included).
    """

    __slots__ = ("since", "until")

    since: _dt.datetime
    until: _dt.datetime

    def __init__(self, *, since: _dt.datetime, until: _dt.datetime) -> None:
        self.since = since
        self.until = until


class TableCount(Record):
    """How many records of one kind a book file holds.

    Attributes:
        table: The kind of record, named after the table that keeps it (`customers`, `history`,
            `touchpoints`, `change_log`, ...).
        rows: How many records of it.
    """

    __slots__ = ("table", "rows")

    table: str
    rows: int

    def __init__(self, *, table: str, rows: int) -> None:
        self.table = table
        self.rows = rows


class BookFile(Record):
    """A book file's header: what [`Book::export_book`](crate::Book::export_book)
    wrote or [`Book::import_book`](crate::Book::import_book) read.

    Attributes:
        version: The format's version (see [`BOOK_FILE_VERSION`]).
        schema_version: The schema version (SQLite's numbering) of the poolbook that exported it,
            from either store.
        book_id: The book's id (set once the book has a data key), which its sealed secrets are
            bound to.
        exported_at: When it was exported.
        counts: Records per kind, every kind (a customer is one record with its contacts,
            locations and pools).
    """

    __slots__ = ("version", "schema_version", "book_id", "exported_at", "counts")

    version: int
    schema_version: int
    book_id: Optional[str]
    exported_at: _dt.datetime
    counts: List[TableCount]

    def __init__(
        self,
        *,
        version: int,
        schema_version: int,
        book_id: Optional[str] = None,
        exported_at: _dt.datetime,
        counts: Optional[List[TableCount]] = None,
    ) -> None:
        self.version = version
        self.schema_version = schema_version
        self.book_id = book_id
        self.exported_at = exported_at
        self.counts = [] if counts is None else counts


class ChemicalDose(Record):
    """A chemical added during a visit.

    Attributes:
        product: What was added: "liquid chlorine 12.5%", "muriatic acid".
        amount: How much.
        unit: In what unit.
    """

    __slots__ = ("product", "amount", "unit")

    product: str
    amount: float
    unit: DoseUnit

    def __init__(self, *, product: str, amount: float, unit: DoseUnit) -> None:
        self.product = product
        self.amount = amount
        self.unit = unit


class Visit(Entry):
    """A service visit to one body of water (or to the location as a whole).

    Attributes:
        id: Identifier.
        customer_id: The account.
        location_id: The property visited.
        body_of_water_id: The pool or spa serviced, if the visit concerns one.
        technician_id: Who made the visit.
        at: When the visit took place.
        outcome: Completed or skipped.
        skip_reason: Why it was skipped (required when skipped, absent when completed).
        readings: Water test results.
        measured_by: How the water was tested.
        device_id: The testing device, when a device was used.
        chemicals: Chemicals added.
        tasks: Tasks done: "brushed", "emptied baskets", "backwashed".
        notes: Anything else worth knowing.
        photos: References (URIs) to photos taken.
        duration_minutes: Minutes on site.
    """

    __slots__ = (
        "id",
        "customer_id",
        "location_id",
        "body_of_water_id",
        "technician_id",
        "at",
        "outcome",
        "skip_reason",
        "readings",
        "measured_by",
        "device_id",
        "chemicals",
        "tasks",
        "notes",
        "photos",
        "duration_minutes",
    )
    entry: ClassVar[str] = "visit"

    id: EntryId
    customer_id: CustomerId
    location_id: LocationId
    body_of_water_id: Optional[BodyOfWaterId]
    technician_id: Optional[TechnicianId]
    at: _dt.datetime
    outcome: VisitOutcome
    skip_reason: Optional[SkipReason]
    readings: Readings
    measured_by: Optional[MeasurementMethod]
    device_id: Optional[str]
    chemicals: List[ChemicalDose]
    tasks: List[str]
    notes: Optional[str]
    photos: List[str]
    duration_minutes: Optional[int]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        location_id: LocationId,
        body_of_water_id: Optional[BodyOfWaterId] = None,
        technician_id: Optional[TechnicianId] = None,
        at: _dt.datetime,
        outcome: VisitOutcome = VisitOutcome.COMPLETED,
        skip_reason: Optional[SkipReason] = None,
        readings: Optional[Readings] = None,
        measured_by: Optional[MeasurementMethod] = None,
        device_id: Optional[str] = None,
        chemicals: Optional[List[ChemicalDose]] = None,
        tasks: Optional[List[str]] = None,
        notes: Optional[str] = None,
        photos: Optional[List[str]] = None,
        duration_minutes: Optional[int] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.location_id = location_id
        self.body_of_water_id = body_of_water_id
        self.technician_id = technician_id
        self.at = at
        self.outcome = outcome
        self.skip_reason = skip_reason
        self.readings = Readings() if readings is None else readings
        self.measured_by = measured_by
        self.device_id = device_id
        self.chemicals = [] if chemicals is None else chemicals
        self.tasks = [] if tasks is None else tasks
        self.notes = notes
        self.photos = [] if photos is None else photos
        self.duration_minutes = duration_minutes


class InvoiceLine(Record):
    """One line of an invoice: quantity × unit price, with its own tax rate
    when it has one, and the visits it bills.

    Attributes:
        description: What is charged for.
        quantity: How many.
        unit_price: Price of one.
        visit_ids: The visits this line bills (a visit's service or a dose added at it; the
            visits a monthly charge covers).
        tax_rate: This line's tax rate as a fraction (0.0825 for 8.25%); `None`: the invoice's
            `tax_rate`, if any, applies to it.
        billing_key: What the line bills, so it is billed once (`visit:<id>`, `dose:<visit
            id>:<n>`, `month:<customer id>:2026-03`, …); set by
            [`crate::Book::draft_invoices`], `None` on a hand-made line.
    """

    __slots__ = ("description", "quantity", "unit_price", "visit_ids", "tax_rate", "billing_key")

    description: str
    quantity: Decimal
    unit_price: Decimal
    visit_ids: List[EntryId]
    tax_rate: Optional[Decimal]
    billing_key: Optional[str]

    def __init__(
        self,
        *,
        description: str,
        quantity: Decimal,
        unit_price: Decimal,
        visit_ids: Optional[List[EntryId]] = None,
        tax_rate: Optional[Decimal] = None,
        billing_key: Optional[str] = None,
    ) -> None:
        self.description = description
        self.quantity = quantity
        self.unit_price = unit_price
        self.visit_ids = [] if visit_ids is None else visit_ids
        self.tax_rate = tax_rate
        self.billing_key = billing_key


class Invoice(Entry):
    """An invoice: what the customer owes for a period or a job.

    Attributes:
        id: Identifier.
        customer_id: The account billed.
        location_id: The property it concerns, if one.
        at: When it was recorded.
        number: The invoice number the customer sees (unique in the book).
        issued_on: Accounting date of the invoice.
        due_on: When payment is due.
        lines: What is charged.
        tax_rate: Tax rate as a fraction (0.0825 for 8.25%), if taxed.
        memo: A note printed on the invoice.
    """

    __slots__ = (
        "id",
        "customer_id",
        "location_id",
        "at",
        "number",
        "issued_on",
        "due_on",
        "lines",
        "tax_rate",
        "memo",
    )
    entry: ClassVar[str] = "invoice"

    id: EntryId
    customer_id: CustomerId
    location_id: Optional[LocationId]
    at: _dt.datetime
    number: str
    issued_on: _dt.date
    due_on: _dt.date
    lines: List[InvoiceLine]
    tax_rate: Optional[Decimal]
    memo: Optional[str]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        location_id: Optional[LocationId] = None,
        at: Optional[_dt.datetime] = None,
        number: str,
        issued_on: _dt.date,
        due_on: _dt.date,
        lines: Optional[List[InvoiceLine]] = None,
        tax_rate: Optional[Decimal] = None,
        memo: Optional[str] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.location_id = location_id
        self.at = _dt.datetime.combine(issued_on, _dt.time(12), tzinfo=_dt.timezone.utc) if at is None else at
        self.number = number
        self.issued_on = issued_on
        self.due_on = due_on
        self.lines = [] if lines is None else lines
        self.tax_rate = tax_rate
        self.memo = memo


class Application(Record):
    """Part of a payment (or credit) applied to one invoice.

    Attributes:
        invoice_id: The invoice paid down.
        amount: How much of the payment goes to it.
        applied_on: The day it was applied, when later than the payment was received (money held
            on account, then applied): aging before this day counts the money as unapplied and
            the invoice as still owing.
    """

    __slots__ = ("invoice_id", "amount", "applied_on")

    invoice_id: EntryId
    amount: Decimal
    applied_on: Optional[_dt.date]

    def __init__(
        self,
        *,
        invoice_id: EntryId,
        amount: Decimal,
        applied_on: Optional[_dt.date] = None,
    ) -> None:
        self.invoice_id = invoice_id
        self.amount = amount
        self.applied_on = applied_on


class Payment(Entry):
    """Money received from the customer.

    Attributes:
        id: Identifier.
        customer_id: The account paying.
        at: When it was recorded.
        received_on: Accounting date of the payment.
        amount: Amount received (positive).
        method: How it was paid.
        reference: Check number, card authorisation, transfer id.
        applications: Invoices it pays; what is not applied stays on account.
        channel: Where it was paid (the portal, by mail, in person); when not given, the journey
            reckons it from the method (card and transfer: portal, check: mail, cash: in person).
    """

    __slots__ = (
        "id",
        "customer_id",
        "at",
        "received_on",
        "amount",
        "method",
        "reference",
        "applications",
        "channel",
    )
    entry: ClassVar[str] = "payment"

    id: EntryId
    customer_id: CustomerId
    at: _dt.datetime
    received_on: _dt.date
    amount: Decimal
    method: PaymentMethod
    reference: Optional[str]
    applications: List[Application]
    channel: Optional[JourneyChannel]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        at: Optional[_dt.datetime] = None,
        received_on: _dt.date,
        amount: Decimal,
        method: PaymentMethod,
        reference: Optional[str] = None,
        applications: Optional[List[Application]] = None,
        channel: Optional[JourneyChannel] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.at = _dt.datetime.combine(received_on, _dt.time(12), tzinfo=_dt.timezone.utc) if at is None else at
        self.received_on = received_on
        self.amount = amount
        self.method = method
        self.reference = reference
        self.applications = [] if applications is None else applications
        self.channel = channel


class Credit(Entry):
    """A credit or adjustment to the account.

    Attributes:
        id: Identifier.
        customer_id: The account.
        at: When it was recorded.
        posted_on: Accounting date.
        kind: Credit or adjustment.
        amount: For a credit: the amount taken off (positive). For an adjustment: the signed
            change to the balance.
        reason: Why.
        invoice_id: The invoice a credit, adjustment or void is applied to, if any.
        payment_id: The payment a refund gives money back from.
    """

    __slots__ = (
        "id",
        "customer_id",
        "at",
        "posted_on",
        "kind",
        "amount",
        "reason",
        "invoice_id",
        "payment_id",
    )
    entry: ClassVar[str] = "credit"

    id: EntryId
    customer_id: CustomerId
    at: _dt.datetime
    posted_on: _dt.date
    kind: CreditKind
    amount: Decimal
    reason: str
    invoice_id: Optional[EntryId]
    payment_id: Optional[EntryId]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        at: Optional[_dt.datetime] = None,
        posted_on: _dt.date,
        kind: CreditKind,
        amount: Decimal,
        reason: str,
        invoice_id: Optional[EntryId] = None,
        payment_id: Optional[EntryId] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.at = _dt.datetime.combine(posted_on, _dt.time(12), tzinfo=_dt.timezone.utc) if at is None else at
        self.posted_on = posted_on
        self.kind = kind
        self.amount = amount
        self.reason = reason
        self.invoice_id = invoice_id
        self.payment_id = payment_id


class Message(Entry):
    """A message to or from the customer.

    Attributes:
        id: Identifier.
        customer_id: The account.
        location_id: The property it concerns, if one.
        at: When it was sent or received.
        channel: The channel used.
        direction: Inbound or outbound.
        contact_id: The contact it went to or came from.
        subject: Subject line, for email.
        body: The text.
        template: The template it was written from (`payment_reminder`), if any: its journey
            touchpoint carries it, so funnels and experiments can tell one kind of message from
            another.
    """

    __slots__ = (
        "id",
        "customer_id",
        "location_id",
        "at",
        "channel",
        "direction",
        "contact_id",
        "subject",
        "body",
        "template",
    )
    entry: ClassVar[str] = "message"

    id: EntryId
    customer_id: CustomerId
    location_id: Optional[LocationId]
    at: _dt.datetime
    channel: ContactChannel
    direction: Direction
    contact_id: Optional[ContactId]
    subject: Optional[str]
    body: str
    template: Optional[str]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        location_id: Optional[LocationId] = None,
        at: Optional[_dt.datetime] = None,
        channel: ContactChannel,
        direction: Direction,
        contact_id: Optional[ContactId] = None,
        subject: Optional[str] = None,
        body: str,
        template: Optional[str] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.location_id = location_id
        self.at = _dt.datetime.now(_dt.timezone.utc) if at is None else at
        self.channel = channel
        self.direction = direction
        self.contact_id = contact_id
        self.subject = subject
        self.body = body
        self.template = template


class Issue(Entry):
    """Something that needs dealing with: a green pool, a leaking pump, a dispute.

    Attributes:
        id: Identifier.
        customer_id: The account.
        location_id: The property it concerns, if one.
        body_of_water_id: The pool or spa it concerns, if one.
        at: When it was raised.
        category: What it is about.
        summary: One line saying what is wrong.
        details: More detail.
        status: Open or resolved.
        resolved_at: When it was resolved.
        resolution: How it was resolved.
    """

    __slots__ = (
        "id",
        "customer_id",
        "location_id",
        "body_of_water_id",
        "at",
        "category",
        "summary",
        "details",
        "status",
        "resolved_at",
        "resolution",
    )
    entry: ClassVar[str] = "issue"

    id: EntryId
    customer_id: CustomerId
    location_id: Optional[LocationId]
    body_of_water_id: Optional[BodyOfWaterId]
    at: _dt.datetime
    category: IssueCategory
    summary: str
    details: Optional[str]
    status: IssueStatus
    resolved_at: Optional[_dt.datetime]
    resolution: Optional[str]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        location_id: Optional[LocationId] = None,
        body_of_water_id: Optional[BodyOfWaterId] = None,
        at: Optional[_dt.datetime] = None,
        category: IssueCategory,
        summary: str,
        details: Optional[str] = None,
        status: IssueStatus = IssueStatus.OPEN,
        resolved_at: Optional[_dt.datetime] = None,
        resolution: Optional[str] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.location_id = location_id
        self.body_of_water_id = body_of_water_id
        self.at = _dt.datetime.now(_dt.timezone.utc) if at is None else at
        self.category = category
        self.summary = summary
        self.details = details
        self.status = status
        self.resolved_at = resolved_at
        self.resolution = resolution


class Note(Entry):
    """A free note on the account.

    Attributes:
        id: Identifier.
        customer_id: The account.
        location_id: The property it concerns, if one.
        at: When it was written.
        text: The note.
    """

    __slots__ = ("id", "customer_id", "location_id", "at", "text")
    entry: ClassVar[str] = "note"

    id: EntryId
    customer_id: CustomerId
    location_id: Optional[LocationId]
    at: _dt.datetime
    text: str

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        location_id: Optional[LocationId] = None,
        at: Optional[_dt.datetime] = None,
        text: str,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.location_id = location_id
        self.at = _dt.datetime.now(_dt.timezone.utc) if at is None else at
        self.text = text


class Feedback(Entry):
    """The customer's rating of the service.

    Attributes:
        id: Identifier.
        customer_id: The account.
        at: When it was given.
        rating: 1 (poor) to 5 (excellent).
        comment: What the customer said.
        visit_id: The visit rated, if one.
        source: Where the feedback came from.
        topics: What it is about, from the book's feedback topics
            ([`crate::Book::feedback_topics`]).
        issue_id: The issue it led to, once linked ([`crate::Book::link_feedback_issue`]).
    """

    __slots__ = (
        "id",
        "customer_id",
        "at",
        "rating",
        "comment",
        "visit_id",
        "source",
        "topics",
        "issue_id",
    )
    entry: ClassVar[str] = "feedback"

    id: EntryId
    customer_id: CustomerId
    at: _dt.datetime
    rating: int
    comment: Optional[str]
    visit_id: Optional[EntryId]
    source: Optional[FeedbackSource]
    topics: List[str]
    issue_id: Optional[EntryId]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: CustomerId,
        at: Optional[_dt.datetime] = None,
        rating: int,
        comment: Optional[str] = None,
        visit_id: Optional[EntryId] = None,
        source: Optional[FeedbackSource] = None,
        topics: Optional[List[str]] = None,
        issue_id: Optional[EntryId] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.at = _dt.datetime.now(_dt.timezone.utc) if at is None else at
        self.rating = rating
        self.comment = comment
        self.visit_id = visit_id
        self.source = source
        self.topics = [] if topics is None else topics
        self.issue_id = issue_id


class IntegrityReport(Record):
    """The outcome of [`crate::Book::check_integrity`]: what was read back and
    anything found damaged. A sound book has no problems.

    Attributes:
        ok: Whether nothing is damaged.
        customers_checked: Customers read back whole.
        entries_checked: History entries read back.
        touchpoints_checked: Touchpoints read back.
        problems: What is damaged, in the order found (at most [`MAX_INTEGRITY_PROBLEMS`]).
    """

    __slots__ = ("ok", "customers_checked", "entries_checked", "touchpoints_checked", "problems")

    ok: bool
    customers_checked: int
    entries_checked: int
    touchpoints_checked: int
    problems: List[IntegrityProblem]

    def __init__(
        self,
        *,
        ok: bool,
        customers_checked: int,
        entries_checked: int,
        touchpoints_checked: int,
        problems: Optional[List[IntegrityProblem]] = None,
    ) -> None:
        self.ok = ok
        self.customers_checked = customers_checked
        self.entries_checked = entries_checked
        self.touchpoints_checked = touchpoints_checked
        self.problems = [] if problems is None else problems


class IntegrityProblem(Record):
    """One thing an integrity check found damaged.

    Attributes:
        area: Where: `file`, `search index`, `customer`, `entry`, `touchpoint`, `change log`.
        detail: What is wrong, naming the record by id where there is one.
    """

    __slots__ = ("area", "detail")

    area: str
    detail: str

    def __init__(self, *, area: str, detail: str) -> None:
        self.area = area
        self.detail = detail


class Touchpoint(TimelineItem):
    """A touchpoint: one step of someone's journey.

    Attributes:
        id: Identifier.
        customer_id: The customer, once known.
        visitor_id: The anonymous visitor id it was recorded under, if any.
        at: When it happened.
        channel: Where.
        direction: Towards the company (inbound) or from it (outbound).
        actor: Who acted.
        action: What happened: a snake_case name, see [`actions`].
        stage: Journey stage: given, or from the book's action → stage map. An action the map
            does not know is stored with no stage (never guessed), and `Book::unmapped_actions`
            lists such actions so the map can be extended.
        source: Traffic source, normalised ("google local").
        campaign: Campaign, normalised.
        value: Money involved, if any (a payment's amount, an estimate's value).
        properties: Anything else the source system said.
        source_system: The system the event came from ("segment", "website"), for idempotent
            imports.
        source_event_id: The event's id in that system: the same (system, id) is stored once.
        entry_id: The history entry whose recording wrote this touchpoint (a payment's
            `payment_made`); `None` for touchpoints recorded on their own.
    """

    __slots__ = (
        "id",
        "customer_id",
        "visitor_id",
        "at",
        "channel",
        "direction",
        "actor",
        "action",
        "stage",
        "source",
        "campaign",
        "value",
        "properties",
        "source_system",
        "source_event_id",
        "entry_id",
    )
    item: ClassVar[str] = "touchpoint"

    id: EntryId
    customer_id: Optional[CustomerId]
    visitor_id: Optional[str]
    at: _dt.datetime
    channel: JourneyChannel
    direction: Direction
    actor: Actor
    action: str
    stage: Optional[Stage]
    source: Optional[str]
    campaign: Optional[str]
    value: Optional[Decimal]
    properties: Dict[str, Any]
    source_system: Optional[str]
    source_event_id: Optional[str]
    entry_id: Optional[EntryId]

    def __init__(
        self,
        *,
        id: Optional[EntryId] = None,
        customer_id: Optional[CustomerId] = None,
        visitor_id: Optional[str] = None,
        at: _dt.datetime,
        channel: JourneyChannel,
        direction: Direction,
        actor: Actor,
        action: str,
        stage: Optional[Stage] = None,
        source: Optional[str] = None,
        campaign: Optional[str] = None,
        value: Optional[Decimal] = None,
        properties: Optional[Dict[str, Any]] = None,
        source_system: Optional[str] = None,
        source_event_id: Optional[str] = None,
        entry_id: Optional[EntryId] = None,
    ) -> None:
        self.id = EntryId(new_id()) if id is None else id
        self.customer_id = customer_id
        self.visitor_id = visitor_id
        self.at = at
        self.channel = channel
        self.direction = direction
        self.actor = actor
        self.action = action
        self.stage = stage
        self.source = source
        self.campaign = campaign
        self.value = value
        self.properties = {} if properties is None else properties
        self.source_system = source_system
        self.source_event_id = source_event_id
        self.entry_id = entry_id


class UnmappedAction(Record):
    """An action the book's stage map does not know, and how often it occurs.

    Attributes:
        action: The action.
        touchpoints: How many stored touchpoints have it and no stage.
        last_at: When the latest of them happened.
    """

    __slots__ = ("action", "touchpoints", "last_at")

    action: str
    touchpoints: int
    last_at: _dt.datetime

    def __init__(self, *, action: str, touchpoints: int, last_at: _dt.datetime) -> None:
        self.action = action
        self.touchpoints = touchpoints
        self.last_at = last_at


class TouchpointReport(Record):
    """How many touchpoints a recording added and skipped as already present.

    Attributes:
        added: Newly stored.
        skipped: Already stored under the same (source system, source event id).
        matched: Not stored because they describe an operation the book already recorded (a
            `payment_made` for a payment in the ledger).
    """

    __slots__ = ("added", "skipped", "matched")

    added: int
    skipped: int
    matched: int

    def __init__(self, *, added: int = 0, skipped: int = 0, matched: int = 0) -> None:
        self.added = added
        self.skipped = skipped
        self.matched = matched


class ServiceLocation(Record):
    """A property the company services.

    Attributes:
        id: Identifier.
        label: A short name when the account has several: "Beach house".
        address: Street address.
        coordinates: Latitude/longitude for routing software.
        special_instructions: Standing instructions for every visit.
        bodies_of_water: Pools, spas and water features at the property.
        access: How to get in.
        service_plan: When the property is serviced, and by whom.
    """

    __slots__ = (
        "id",
        "label",
        "address",
        "coordinates",
        "special_instructions",
        "bodies_of_water",
        "access",
        "service_plan",
    )

    id: LocationId
    label: Optional[str]
    address: Address
    coordinates: Optional[GeoPoint]
    special_instructions: Optional[str]
    bodies_of_water: List[BodyOfWater]
    access: AccessDetails
    service_plan: Optional[ServicePlan]

    def __init__(
        self,
        *,
        id: Optional[LocationId] = None,
        label: Optional[str] = None,
        address: Address,
        coordinates: Optional[GeoPoint] = None,
        special_instructions: Optional[str] = None,
        bodies_of_water: Optional[List[BodyOfWater]] = None,
        access: Optional[AccessDetails] = None,
        service_plan: Optional[ServicePlan] = None,
    ) -> None:
        self.id = LocationId(new_id()) if id is None else id
        self.label = label
        self.address = address
        self.coordinates = coordinates
        self.special_instructions = special_instructions
        self.bodies_of_water = [] if bodies_of_water is None else bodies_of_water
        self.access = AccessDetails() if access is None else access
        self.service_plan = service_plan


class GeoPoint(Record):
    """A point on the map, in WGS 84 degrees.

    Attributes:
        latitude: Latitude, -90 to 90.
        longitude: Longitude, -180 to 180.
    """

    __slots__ = ("latitude", "longitude")

    latitude: float
    longitude: float

    def __init__(self, *, latitude: float, longitude: float) -> None:
        self.latitude = latitude
        self.longitude = longitude


class BodyOfWater(Record):
    """A pool, spa or water feature.

    Attributes:
        id: Identifier.
        name: A name: "Main pool", "Spa".
        kind: Pool, spa or water feature.
        gallons: Volume in US gallons.
        surface: Interior finish.
        sanitizer: How the water is sanitised.
        setting: Indoors or outdoors.
        equipment: Pumps, filters, heaters and the rest.
    """

    __slots__ = ("id", "name", "kind", "gallons", "surface", "sanitizer", "setting", "equipment")

    id: BodyOfWaterId
    name: str
    kind: WaterKind
    gallons: Optional[float]
    surface: Optional[Surface]
    sanitizer: Sanitizer
    setting: Setting
    equipment: List[Equipment]

    def __init__(
        self,
        *,
        id: Optional[BodyOfWaterId] = None,
        name: str,
        kind: WaterKind,
        gallons: Optional[float] = None,
        surface: Optional[Surface] = None,
        sanitizer: Sanitizer,
        setting: Setting = Setting.OUTDOOR,
        equipment: Optional[List[Equipment]] = None,
    ) -> None:
        self.id = BodyOfWaterId(new_id()) if id is None else id
        self.name = name
        self.kind = kind
        self.gallons = gallons
        self.surface = surface
        self.sanitizer = sanitizer
        self.setting = setting
        self.equipment = [] if equipment is None else equipment


class Equipment(Record):
    """A piece of equipment on a body of water.

    Attributes:
        kind: What it is.
        make: Manufacturer.
        model: Model name or number.
        serial: Serial number.
        installed_on: When it was installed.
    """

    __slots__ = ("kind", "make", "model", "serial", "installed_on")

    kind: EquipmentKind
    make: Optional[str]
    model: Optional[str]
    serial: Optional[str]
    installed_on: Optional[_dt.date]

    def __init__(
        self,
        *,
        kind: EquipmentKind,
        make: Optional[str] = None,
        model: Optional[str] = None,
        serial: Optional[str] = None,
        installed_on: Optional[_dt.date] = None,
    ) -> None:
        self.kind = kind
        self.make = make
        self.model = model
        self.serial = serial
        self.installed_on = installed_on


class AccessDetails(Record):
    """How a technician gets in. The codes are [`Secret`]s.

    Attributes:
        gate_code: Gate code.
        lock_combination: Lock combination.
        alarm_code: Alarm code.
        key_location: Where a key is kept: "lockbox by the side gate".
        pets: Animals at the property.
        hazards: Dangers: "wasp nest by pump", "loose pool cover".
        access_hours: When the property may be entered; empty means any time.
        notes: Anything else about getting in.
    """

    __slots__ = (
        "gate_code",
        "lock_combination",
        "alarm_code",
        "key_location",
        "pets",
        "hazards",
        "access_hours",
        "notes",
    )

    gate_code: Optional[Secret]
    lock_combination: Optional[Secret]
    alarm_code: Optional[Secret]
    key_location: Optional[str]
    pets: List[Pet]
    hazards: List[str]
    access_hours: List[AccessWindow]
    notes: Optional[str]

    def __init__(
        self,
        *,
        gate_code: Optional[Secret] = None,
        lock_combination: Optional[Secret] = None,
        alarm_code: Optional[Secret] = None,
        key_location: Optional[str] = None,
        pets: Optional[List[Pet]] = None,
        hazards: Optional[List[str]] = None,
        access_hours: Optional[List[AccessWindow]] = None,
        notes: Optional[str] = None,
    ) -> None:
        self.gate_code = gate_code
        self.lock_combination = lock_combination
        self.alarm_code = alarm_code
        self.key_location = key_location
        self.pets = [] if pets is None else pets
        self.hazards = [] if hazards is None else hazards
        self.access_hours = [] if access_hours is None else access_hours
        self.notes = notes


class Pet(Record):
    """An animal at the property.

    Attributes:
        name: The pet's name.
        kind: What it is: "dog", "cat".
        temperament: How it behaves with strangers.
    """

    __slots__ = ("name", "kind", "temperament")

    name: str
    kind: str
    temperament: PetTemperament

    def __init__(self, *, name: str, kind: str, temperament: PetTemperament) -> None:
        self.name = name
        self.kind = kind
        self.temperament = temperament


class AccessWindow(Record):
    """When the property may be entered on some days of the week.

    Attributes:
        days: The days it applies to (at least one).
        start: Earliest entry.
        end: Latest departure (after `start`).
    """

    __slots__ = ("days", "start", "end")

    days: List[Weekday]
    start: _dt.time
    end: _dt.time

    def __init__(
        self,
        *,
        days: Optional[List[Weekday]] = None,
        start: _dt.time,
        end: _dt.time,
    ) -> None:
        self.days = [] if days is None else days
        self.start = start
        self.end = end


class ServicePlan(Record):
    """When a location is serviced, and by whom.

    Attributes:
        frequency: How often.
        preferred_weekday: The day of the week service happens.
        technician_id: The technician who serves the route.
        starts_on: First day of service.
        ends_on: Last day of service, if the plan ends.
        bills_chemicals: Whether chemicals added at visits are billed on top of the rate (priced
            from the book's price list).
    """

    __slots__ = (
        "frequency",
        "preferred_weekday",
        "technician_id",
        "starts_on",
        "ends_on",
        "bills_chemicals",
    )

    frequency: Frequency
    preferred_weekday: Optional[Weekday]
    technician_id: Optional[TechnicianId]
    starts_on: _dt.date
    ends_on: Optional[_dt.date]
    bills_chemicals: bool

    def __init__(
        self,
        *,
        frequency: Frequency,
        preferred_weekday: Optional[Weekday] = None,
        technician_id: Optional[TechnicianId] = None,
        starts_on: _dt.date,
        ends_on: Optional[_dt.date] = None,
        bills_chemicals: bool = False,
    ) -> None:
        self.frequency = frequency
        self.preferred_weekday = preferred_weekday
        self.technician_id = technician_id
        self.starts_on = starts_on
        self.ends_on = ends_on
        self.bills_chemicals = bills_chemicals


class TimeWindow(Record):
    """A span of the day in the property's local time. `end` before `start`
    wraps past midnight (quiet hours 21:00–08:00).

    Attributes:
        start: When the window opens.
        end: When the window closes.
    """

    __slots__ = ("start", "end")

    start: _dt.time
    end: _dt.time

    def __init__(self, *, start: _dt.time, end: _dt.time) -> None:
        self.start = start
        self.end = end


class Address(Record):
    """A postal address.

    Attributes:
        line1: Street number and name, e.g. `1420 Oak Street`.
        line2: Unit, suite or building, if any.
        city: City or town.
        region: State, province or region.
        postal_code: Postal or ZIP code.
        country: ISO 3166-1 alpha-2 country code, e.g. `US`.
    """

    __slots__ = ("line1", "line2", "city", "region", "postal_code", "country")

    line1: str
    line2: Optional[str]
    city: str
    region: str
    postal_code: str
    country: str

    def __init__(
        self,
        *,
        line1: str,
        line2: Optional[str] = None,
        city: str,
        region: str,
        postal_code: str,
        country: str,
    ) -> None:
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.region = region
        self.postal_code = postal_code
        self.country = country


class OpenOptions(Record):
    """How [`crate::Book::open_with`] opens a book file.

    Attributes:
        read_only: Read only: nothing in the file changes, every write fails with
            [`crate::Error::ReadOnly`], and the file must already be current.
        busy_timeout_ms: How long a write waits for another process's lock before failing with
            [`crate::Error::Busy`], in milliseconds (0 fails at once; at most
            [`MAX_BUSY_TIMEOUT_MS`]).
        check_on_open: Whether the file is checked with `quick_check` before it is used; a
            damaged file is then [`crate::Error::Corrupt`] at open. (Kotlin and Swift name it in
            every `OpenOptions`: a uniffi enum field cannot have a default.)
        device: The device or app this book is opened on ("Ana's phone, field app 2.3"), recorded
            with every reveal of a secret (at most 200 characters).
    """

    __slots__ = ("read_only", "busy_timeout_ms", "check_on_open", "device")

    read_only: bool
    busy_timeout_ms: int
    check_on_open: OpenCheck
    device: Optional[str]

    def __init__(
        self,
        *,
        read_only: bool = False,
        busy_timeout_ms: int = 10000,
        check_on_open: OpenCheck = OpenCheck.SMALL_FILES,
        device: Optional[str] = None,
    ) -> None:
        self.read_only = read_only
        self.busy_timeout_ms = busy_timeout_ms
        self.check_on_open = check_on_open
        self.device = device


class RuleSettings(Record):
    """One rule switched on or off.

    Attributes:
        enabled: Whether the rule makes messages.
        legally_required: Whether its messages are required by law (they reach a do-not-contact
            customer, flagged as such; an opt-out of the channel still holds).
    """

    __slots__ = ("enabled", "legally_required")

    enabled: bool
    legally_required: bool

    def __init__(self, *, enabled: bool, legally_required: bool) -> None:
        self.enabled = enabled
        self.legally_required = legally_required


class OutboxSettings(Record):
    """How a book's outbox works: which rules run and how, the languages its
    templates must speak. Stored as one setting; a book that never saved
    any has the defaults.

    Attributes:
        languages: The languages every template must have (BCP 47 primary tags such as `en`,
            `es`); the first is the fallback for a customer whose language has no translation.
        currency_symbol: Put before amounts of money: `$`.
        office_email: Where internal alerts (lead follow-ups) go.
        visit_notice: Notice before each planned visit.
        arrival_time: The local time a planned visit is reckoned to start when its notice is
            timed (plans carry days, not times).
        skipped_visit: Notice of a skipped visit.
        balance_overdue: Reminder of a past-due invoice.
        days_after_due: Days after the due date the reminder goes.
        reminder_time: The local time reminders of past-due invoices go out.
        partial_payment: Thanks for a partial payment, with what remains.
        issue_followup: Follow-up when a customer's issue is resolved.
        lead_followup: Office alert for a lead not answered in time.
        lead_answer_minutes: Minutes a lead may wait for an answer before the office is alerted.
        lookback_hours: Hours after an event (a skip, a payment, a resolution, a lead's message)
            during which its message is still due.
    """

    __slots__ = (
        "languages",
        "currency_symbol",
        "office_email",
        "visit_notice",
        "arrival_time",
        "skipped_visit",
        "balance_overdue",
        "days_after_due",
        "reminder_time",
        "partial_payment",
        "issue_followup",
        "lead_followup",
        "lead_answer_minutes",
        "lookback_hours",
    )

    languages: List[str]
    currency_symbol: str
    office_email: Optional[str]
    visit_notice: RuleSettings
    arrival_time: _dt.time
    skipped_visit: RuleSettings
    balance_overdue: RuleSettings
    days_after_due: int
    reminder_time: _dt.time
    partial_payment: RuleSettings
    issue_followup: RuleSettings
    lead_followup: RuleSettings
    lead_answer_minutes: int
    lookback_hours: int

    def __init__(
        self,
        *,
        languages: Optional[List[str]] = None,
        currency_symbol: str = "$",
        office_email: Optional[str] = None,
        visit_notice: RuleSettings,
        arrival_time: _dt.time,
        skipped_visit: RuleSettings,
        balance_overdue: RuleSettings,
        days_after_due: int = 3,
        reminder_time: _dt.time,
        partial_payment: RuleSettings,
        issue_followup: RuleSettings,
        lead_followup: RuleSettings,
        lead_answer_minutes: int = 60,
        lookback_hours: int = 72,
    ) -> None:
        self.languages = [] if languages is None else languages
        self.currency_symbol = currency_symbol
        self.office_email = office_email
        self.visit_notice = visit_notice
        self.arrival_time = arrival_time
        self.skipped_visit = skipped_visit
        self.balance_overdue = balance_overdue
        self.days_after_due = days_after_due
        self.reminder_time = reminder_time
        self.partial_payment = partial_payment
        self.issue_followup = issue_followup
        self.lead_followup = lead_followup
        self.lead_answer_minutes = lead_answer_minutes
        self.lookback_hours = lookback_hours


class TemplateText(Record):
    """A template's words in one language. `{{field}}` is replaced by the
    field's value (see [`crate::template_fields`] for a rule's fields).

    Attributes:
        language: The language, a BCP 47 primary tag: `en`, `es`.
        subject: The subject line (used for email).
        body: The text.
    """

    __slots__ = ("language", "subject", "body")

    language: str
    subject: Optional[str]
    body: str

    def __init__(self, *, language: str, subject: Optional[str] = None, body: str) -> None:
        self.language = language
        self.subject = subject
        self.body = body


class MessageTemplate(Record):
    """The wording of one rule's messages, in every language of the book.
    Several variants of the same rule make an experiment: each customer
    gets one, by [`crate::assign_variant`] with the rule's name as the
    experiment and the variants in name order, so the experiment report
    (hashed assignment, exposure `message_sent` with
    `{"template": "<rule>"}`) sees the same split.

    Attributes:
        rule: The rule whose messages it words (its name is the template's name).
        variant: The variant: `a` unless an experiment needs more.
        translations: One per language.
    """

    __slots__ = ("rule", "variant", "translations")

    rule: OutboxRule
    variant: str
    translations: List[TemplateText]

    def __init__(
        self,
        *,
        rule: OutboxRule,
        variant: str,
        translations: Optional[List[TemplateText]] = None,
    ) -> None:
        self.rule = rule
        self.variant = variant
        self.translations = [] if translations is None else translations


class DueMessage(Record):
    """A message that should go out.

    Attributes:
        key: Stable for the same rule, reason, contact and channel: a message with this key is
            due until an outcome is recorded for it, and never again after.
        rule: The rule that made it.
        customer_id: The account (for a lead alert: the lead).
        customer_name: The account's display name.
        contact_id: The contact it goes to; `None` for an internal alert to the office.
        recipient_name: The contact's name, or `office`.
        channel: SMS or email.
        address: The phone number in E.164 form, or the email address.
        send_at: When to send it: out of the contact's quiet hours in the book's time zone.
        reason: Why it is due: `visit on 2026-05-12 at 1420 Oak Street`.
        location_id: The location it concerns.
        visit_date: The day of the visit it concerns.
        entry_id: The entry it concerns: the skipped visit, the invoice, the payment, the issue.
        subject: The subject line, for email.
        body: The text.
        template: The template's name (the rule's).
        variant: The template's variant.
        language: The language it is written in.
        legally_required: Sent although the customer asked not to be contacted, because the
            rule's messages are required by law.
        internal: An alert to the office, not a message to the customer.
    """

    __slots__ = (
        "key",
        "rule",
        "customer_id",
        "customer_name",
        "contact_id",
        "recipient_name",
        "channel",
        "address",
        "send_at",
        "reason",
        "location_id",
        "visit_date",
        "entry_id",
        "subject",
        "body",
        "template",
        "variant",
        "language",
        "legally_required",
        "internal",
    )

    key: str
    rule: OutboxRule
    customer_id: CustomerId
    customer_name: str
    contact_id: Optional[ContactId]
    recipient_name: str
    channel: ContactChannel
    address: str
    send_at: _dt.datetime
    reason: str
    location_id: Optional[LocationId]
    visit_date: Optional[_dt.date]
    entry_id: Optional[EntryId]
    subject: Optional[str]
    body: str
    template: str
    variant: str
    language: str
    legally_required: bool
    internal: bool

    def __init__(
        self,
        *,
        key: str,
        rule: OutboxRule,
        customer_id: CustomerId,
        customer_name: str,
        contact_id: Optional[ContactId] = None,
        recipient_name: str,
        channel: ContactChannel,
        address: str,
        send_at: _dt.datetime,
        reason: str,
        location_id: Optional[LocationId] = None,
        visit_date: Optional[_dt.date] = None,
        entry_id: Optional[EntryId] = None,
        subject: Optional[str] = None,
        body: str,
        template: str,
        variant: str,
        language: str,
        legally_required: bool,
        internal: bool,
    ) -> None:
        self.key = key
        self.rule = rule
        self.customer_id = customer_id
        self.customer_name = customer_name
        self.contact_id = contact_id
        self.recipient_name = recipient_name
        self.channel = channel
        self.address = address
        self.send_at = send_at
        self.reason = reason
        self.location_id = location_id
        self.visit_date = visit_date
        self.entry_id = entry_id
        self.subject = subject
        self.body = body
        self.template = template
        self.variant = variant
        self.language = language
        self.legally_required = legally_required
        self.internal = internal


class SuppressedMessage(Record):
    """A message a rule would have made but that must not go out, and why.

    Attributes:
        key: The key the message would have had.
        rule: The rule.
        customer_id: The account.
        contact_id: The contact, if the rule named one.
        channel: The channel it would have used.
        why: Why it is held back: `suppressed: Maria Lopez opted out of SMS on 2026-05-02 by
            reply STOP`.
    """

    __slots__ = ("key", "rule", "customer_id", "contact_id", "channel", "why")

    key: str
    rule: OutboxRule
    customer_id: CustomerId
    contact_id: Optional[ContactId]
    channel: ContactChannel
    why: str

    def __init__(
        self,
        *,
        key: str,
        rule: OutboxRule,
        customer_id: CustomerId,
        contact_id: Optional[ContactId] = None,
        channel: ContactChannel,
        why: str,
    ) -> None:
        self.key = key
        self.rule = rule
        self.customer_id = customer_id
        self.contact_id = contact_id
        self.channel = channel
        self.why = why


class Outbox(Record):
    """What is due now or within the horizon, and what is held back.

    Attributes:
        due: Messages to send, by send time then key.
        suppressed: Messages held back, by key.
    """

    __slots__ = ("due", "suppressed")

    due: List[DueMessage]
    suppressed: List[SuppressedMessage]

    def __init__(
        self,
        *,
        due: Optional[List[DueMessage]] = None,
        suppressed: Optional[List[SuppressedMessage]] = None,
    ) -> None:
        self.due = [] if due is None else due
        self.suppressed = [] if suppressed is None else suppressed


class OutboxRecord(Record):
    """A message the host reported on: sent, then perhaps delivered or failed,
    perhaps replied to.

    Attributes:
        key: The due message's key.
        rule: The rule that made it.
        customer_id: The account.
        contact_id: The contact; `None` for an internal alert.
        channel: The channel.
        address: The address it went to.
        template: The template's name.
        variant: The template's variant.
        message_id: The history message it became (`None` for an internal alert).
        status: Sent, delivered or failed.
        sent_at: When it was sent.
        delivered_at: When it was reported delivered.
        failed_at: When it was reported failed.
        failure: Why it failed: `mailbox does not exist`, `number not in service`.
        replied_at: When the first reply to it came.
        reply_kind: What the first reply said.
    """

    __slots__ = (
        "key",
        "rule",
        "customer_id",
        "contact_id",
        "channel",
        "address",
        "template",
        "variant",
        "message_id",
        "status",
        "sent_at",
        "delivered_at",
        "failed_at",
        "failure",
        "replied_at",
        "reply_kind",
    )

    key: str
    rule: OutboxRule
    customer_id: CustomerId
    contact_id: Optional[ContactId]
    channel: ContactChannel
    address: str
    template: str
    variant: str
    message_id: Optional[EntryId]
    status: OutboxStatus
    sent_at: _dt.datetime
    delivered_at: Optional[_dt.datetime]
    failed_at: Optional[_dt.datetime]
    failure: Optional[str]
    replied_at: Optional[_dt.datetime]
    reply_kind: Optional[ReplyKind]

    def __init__(
        self,
        *,
        key: str,
        rule: OutboxRule,
        customer_id: CustomerId,
        contact_id: Optional[ContactId] = None,
        channel: ContactChannel,
        address: str,
        template: str,
        variant: str,
        message_id: Optional[EntryId] = None,
        status: OutboxStatus,
        sent_at: _dt.datetime,
        delivered_at: Optional[_dt.datetime] = None,
        failed_at: Optional[_dt.datetime] = None,
        failure: Optional[str] = None,
        replied_at: Optional[_dt.datetime] = None,
        reply_kind: Optional[ReplyKind] = None,
    ) -> None:
        self.key = key
        self.rule = rule
        self.customer_id = customer_id
        self.contact_id = contact_id
        self.channel = channel
        self.address = address
        self.template = template
        self.variant = variant
        self.message_id = message_id
        self.status = status
        self.sent_at = sent_at
        self.delivered_at = delivered_at
        self.failed_at = failed_at
        self.failure = failure
        self.replied_at = replied_at
        self.reply_kind = reply_kind


class OutboxQuery(Record):
    """Which outbox records to read. Filters combine with AND.

    Attributes:
        keys: Only these keys (all when empty).
        customer_id: Only this customer's.
        status: Only with this status.
        since: Only sent at or after this time.
        until: Only sent before this time.
    """

    __slots__ = ("keys", "customer_id", "status", "since", "until")

    keys: List[str]
    customer_id: Optional[CustomerId]
    status: Optional[OutboxStatus]
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        keys: Optional[List[str]] = None,
        customer_id: Optional[CustomerId] = None,
        status: Optional[OutboxStatus] = None,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
    ) -> None:
        self.keys = [] if keys is None else keys
        self.customer_id = customer_id
        self.status = status
        self.since = since
        self.until = until


class InboundReply(Record):
    """A message from a contact, as the host received it.

    Attributes:
        customer_id: The account.
        contact_id: The contact who wrote.
        channel: The channel it came on.
        body: What it says.
        at: When it came.
        in_reply_to: The key of the outbox message it answers, if the host knows it.
    """

    __slots__ = ("customer_id", "contact_id", "channel", "body", "at", "in_reply_to")

    customer_id: CustomerId
    contact_id: ContactId
    channel: ContactChannel
    body: str
    at: _dt.datetime
    in_reply_to: Optional[str]

    def __init__(
        self,
        *,
        customer_id: CustomerId,
        contact_id: ContactId,
        channel: ContactChannel,
        body: str,
        at: _dt.datetime,
        in_reply_to: Optional[str] = None,
    ) -> None:
        self.customer_id = customer_id
        self.contact_id = contact_id
        self.channel = channel
        self.body = body
        self.at = at
        self.in_reply_to = in_reply_to


class ReplyOutcome(Record):
    """What recording a reply did.

    Attributes:
        message: The inbound message recorded in the history.
        kind: STOP, HELP or free text.
        opted_out: Whether it recorded an opt-out of the channel for the contact.
    """

    __slots__ = ("message", "kind", "opted_out")

    message: Message
    kind: ReplyKind
    opted_out: bool

    def __init__(self, *, message: Message, kind: ReplyKind, opted_out: bool) -> None:
        self.message = message
        self.kind = kind
        self.opted_out = opted_out


class ReplyRate(Record):
    """How often one template variant's messages were answered.

    Attributes:
        template: The template's name.
        variant: The variant.
        sent: Messages sent.
        replied: Of those, messages answered.
        stopped: Of those, answers that were STOP.
        rate: `replied / sent` (0 when nothing was sent).
    """

    __slots__ = ("template", "variant", "sent", "replied", "stopped", "rate")

    template: str
    variant: str
    sent: int
    replied: int
    stopped: int
    rate: float

    def __init__(
        self,
        *,
        template: str,
        variant: str,
        sent: int,
        replied: int,
        stopped: int,
        rate: float,
    ) -> None:
        self.template = template
        self.variant = variant
        self.sent = sent
        self.replied = replied
        self.stopped = stopped
        self.rate = rate


class DuplicateQuery(Record):
    """Which duplicate candidates to find: over the whole book, for one stored
    customer, or for a record being typed in (not yet saved).

    Attributes:
        customer_id: Only pairs with this customer.
        record: A record not yet saved (a lead being typed in): pairs between it and the book.
            Its id stands for it in the candidates.
        match_probability: Probability at or above which a pair is a likely duplicate (default
            [`DEFAULT_MATCH_PROBABILITY`]).
        review_probability: Probability at or above which a pair is shown for review (default
            [`DEFAULT_REVIEW_PROBABILITY`]); pairs below are ignored.
        limit: At most this many candidates, best first (default and most
            [`MAX_DUPLICATE_CANDIDATES`]).
    """

    __slots__ = ("customer_id", "record", "match_probability", "review_probability", "limit")

    customer_id: Optional[CustomerId]
    record: Optional[NewCustomer]
    match_probability: Optional[float]
    review_probability: Optional[float]
    limit: Optional[int]

    def __init__(
        self,
        *,
        customer_id: Optional[CustomerId] = None,
        record: Optional[NewCustomer] = None,
        match_probability: Optional[float] = None,
        review_probability: Optional[float] = None,
        limit: Optional[int] = None,
    ) -> None:
        self.customer_id = customer_id
        self.record = record
        self.match_probability = match_probability
        self.review_probability = review_probability
        self.limit = limit


class FieldComparison(Record):
    """One comparison of an explained score: a field, the two values compared
    (secrets are never compared or shown), the agreement level reached, and
    the weight it added (positive) or removed (negative).

    Attributes:
        field: The field: `first_name`, `last_name`, `phone`, `email`, `street_number`, `street`,
            `city`, `postal_code`, `region`.
        a_value: The first record's value.
        b_value: The second record's value.
        level: The level reached: `exact`, `nickname`, `close`, `phonetic`, `last 7 digits`,
            `different`, `not counted (shared)`, …
        weight: log2(m/u) of that level; 0 for a value not counted.
    """

    __slots__ = ("field", "a_value", "b_value", "level", "weight")

    field: str
    a_value: str
    b_value: str
    level: str
    weight: float

    def __init__(
        self,
        *,
        field: str,
        a_value: str,
        b_value: str,
        level: str,
        weight: float,
    ) -> None:
        self.field = field
        self.a_value = a_value
        self.b_value = b_value
        self.level = level
        self.weight = weight


class DuplicateCandidate(Record):
    """A pair of records that may be one customer, with its explained score:
    `prior + sum(comparisons.weight) == weight`, and
    `probability == 1 / (1 + 2^-weight)`. Symmetric: the pair (b, a)
    scores the same.

    Attributes:
        a: One record (the lower id; for a record being typed, its id).
        a_name: Its display name.
        b: The other record.
        b_name: Its display name.
        weight: Total match weight in bits: the prior plus every comparison.
        probability: Probability that the two are one customer.
        prior: The prior weight: log2 of the odds that two records of this book, picked at
            random, are one customer.
        band: Likely duplicate or one to review.
        verdict: The office's verdict, if the pair was confirmed.
        comparisons: One line per comparison, in field order.
    """

    __slots__ = (
        "a",
        "a_name",
        "b",
        "b_name",
        "weight",
        "probability",
        "prior",
        "band",
        "verdict",
        "comparisons",
    )

    a: CustomerId
    a_name: str
    b: CustomerId
    b_name: str
    weight: float
    probability: float
    prior: float
    band: MatchBand
    verdict: Optional[DuplicateVerdict]
    comparisons: List[FieldComparison]

    def __init__(
        self,
        *,
        a: CustomerId,
        a_name: str,
        b: CustomerId,
        b_name: str,
        weight: float,
        probability: float,
        prior: float,
        band: MatchBand,
        verdict: Optional[DuplicateVerdict] = None,
        comparisons: Optional[List[FieldComparison]] = None,
    ) -> None:
        self.a = a
        self.a_name = a_name
        self.b = b
        self.b_name = b_name
        self.weight = weight
        self.probability = probability
        self.prior = prior
        self.band = band
        self.verdict = verdict
        self.comparisons = [] if comparisons is None else comparisons


class DuplicateDecision(Record):
    """A decision about a pair, as stored: the verdict, the comparison levels
    (which teach the model), and the evidence that mattered (a rejected pair
    returns only when it changes).

    Attributes:
        a: The lower id of the pair.
        b: The higher id.
        verdict: Same customer or not a duplicate.
        levels: Field and level name of every comparison made when deciding.
        evidence: (field, a value, b value) of every comparison that carried weight.
        decided_at: When it was decided.
        author: Who decided.
    """

    __slots__ = ("a", "b", "verdict", "levels", "evidence", "decided_at", "author")

    a: CustomerId
    b: CustomerId
    verdict: DuplicateVerdict
    levels: List[Tuple[str, str]]
    evidence: List[Tuple[str, str, str]]
    decided_at: _dt.datetime
    author: Author

    def __init__(
        self,
        *,
        a: CustomerId,
        b: CustomerId,
        verdict: DuplicateVerdict,
        levels: Optional[List[Tuple[str, str]]] = None,
        evidence: Optional[List[Tuple[str, str, str]]] = None,
        decided_at: _dt.datetime,
        author: Author,
    ) -> None:
        self.a = a
        self.b = b
        self.verdict = verdict
        self.levels = [] if levels is None else levels
        self.evidence = [] if evidence is None else evidence
        self.decided_at = decided_at
        self.author = author


class MergePicks(Record):
    """Per-field choices for a merge; a field left `None` follows the defaults:
    the survivor's value unless it is empty and the absorbed one's is not,
    status `active` if either is, the earliest creation time, tags and
    custom fields combined (the survivor's value on a clash). Contacts and
    locations of both are kept.

    Attributes:
        display_name: Display name.
        kind: Account kind.
        status: Lifecycle status.
        billing: Billing details.
        preferences: Preferences.
    """

    __slots__ = ("display_name", "kind", "status", "billing", "preferences")

    display_name: Optional[MergeSide]
    kind: Optional[MergeSide]
    status: Optional[MergeSide]
    billing: Optional[MergeSide]
    preferences: Optional[MergeSide]

    def __init__(
        self,
        *,
        display_name: Optional[MergeSide] = None,
        kind: Optional[MergeSide] = None,
        status: Optional[MergeSide] = None,
        billing: Optional[MergeSide] = None,
        preferences: Optional[MergeSide] = None,
    ) -> None:
        self.display_name = display_name
        self.kind = kind
        self.status = status
        self.billing = billing
        self.preferences = preferences


class MergeOutcome(Record):
    """What a merge did.

    Attributes:
        survivor: The survivor as stored after the merge.
        absorbed: The absorbed record, archived, its id now resolving to the survivor.
        moved_entries: History entries moved to the survivor.
        moved_touchpoints: Touchpoints moved to the survivor.
        moved_visitors: Visitor links moved to the survivor.
    """

    __slots__ = ("survivor", "absorbed", "moved_entries", "moved_touchpoints", "moved_visitors")

    survivor: Customer
    absorbed: Customer
    moved_entries: int
    moved_touchpoints: int
    moved_visitors: int

    def __init__(
        self,
        *,
        survivor: Customer,
        absorbed: Customer,
        moved_entries: int,
        moved_touchpoints: int,
        moved_visitors: int,
    ) -> None:
        self.survivor = survivor
        self.absorbed = absorbed
        self.moved_entries = moved_entries
        self.moved_touchpoints = moved_touchpoints
        self.moved_visitors = moved_visitors


class UnmergeOutcome(Record):
    """What an unmerge did.

    Attributes:
        survivor: The survivor as stored after the unmerge.
        restored: The absorbed record, live again.
        kept_edits: Edits made after the merge that were kept, one line each ("display_name was
            changed after the merge; kept").
    """

    __slots__ = ("survivor", "restored", "kept_edits")

    survivor: Customer
    restored: Customer
    kept_edits: List[str]

    def __init__(
        self,
        *,
        survivor: Customer,
        restored: Customer,
        kept_edits: Optional[List[str]] = None,
    ) -> None:
        self.survivor = survivor
        self.restored = restored
        self.kept_edits = [] if kept_edits is None else kept_edits


class MergeUndo(Record):
    """The snapshot a merge keeps so it can be undone: both records as they
    were (locations by id: they move back as they are now, with their
    sealed codes), the survivor as the merge left it, and the ids moved.

    Attributes:
        survivor_before: The survivor before the merge, without locations.
        absorbed_before: The absorbed record before the merge, without locations.
        survivor_after: The survivor right after the merge, without locations.
        absorbed_locations: The absorbed record's live locations, in order.
        entries: History entries moved.
        touchpoints: Touchpoints moved that no entry wrote (an entry's own touchpoints move with
            it).
        visitors: Visitors whose link moved.
    """

    __slots__ = (
        "survivor_before",
        "absorbed_before",
        "survivor_after",
        "absorbed_locations",
        "entries",
        "touchpoints",
        "visitors",
    )

    survivor_before: Customer
    absorbed_before: Customer
    survivor_after: Customer
    absorbed_locations: List[LocationId]
    entries: List[EntryId]
    touchpoints: List[EntryId]
    visitors: List[str]

    def __init__(
        self,
        *,
        survivor_before: Customer,
        absorbed_before: Customer,
        survivor_after: Customer,
        absorbed_locations: Optional[List[LocationId]] = None,
        entries: Optional[List[EntryId]] = None,
        touchpoints: Optional[List[EntryId]] = None,
        visitors: Optional[List[str]] = None,
    ) -> None:
        self.survivor_before = survivor_before
        self.absorbed_before = absorbed_before
        self.survivor_after = survivor_after
        self.absorbed_locations = [] if absorbed_locations is None else absorbed_locations
        self.entries = [] if entries is None else entries
        self.touchpoints = [] if touchpoints is None else touchpoints
        self.visitors = [] if visitors is None else visitors


class MergeRecord(Record):
    """A merge as stored: the absorbed id resolves to the survivor while it
    stands.

    Attributes:
        absorbed: The absorbed customer.
        survivor: The customer it was merged into.
        merged_at: When.
        unmerged_at: When it was undone, if it was.
        undo: What is needed to undo it.
    """

    __slots__ = ("absorbed", "survivor", "merged_at", "unmerged_at", "undo")

    absorbed: CustomerId
    survivor: CustomerId
    merged_at: _dt.datetime
    unmerged_at: Optional[_dt.datetime]
    undo: MergeUndo

    def __init__(
        self,
        *,
        absorbed: CustomerId,
        survivor: CustomerId,
        merged_at: _dt.datetime,
        unmerged_at: Optional[_dt.datetime] = None,
        undo: MergeUndo,
    ) -> None:
        self.absorbed = absorbed
        self.survivor = survivor
        self.merged_at = merged_at
        self.unmerged_at = unmerged_at
        self.undo = undo


class QualityFinding(Record):
    """One problem in the book.

    Attributes:
        customer_id: The customer concerned.
        field: Path of the field within the record, e.g. `contacts[0].emails[1]`.
        rule: The rule (see `QUALITY_RULES` for what each checks and why).
        severity: How much it matters.
        message: What is wrong, for a person.
    """

    __slots__ = ("customer_id", "field", "rule", "severity", "message")

    customer_id: CustomerId
    field: str
    rule: str
    severity: Severity
    message: str

    def __init__(
        self,
        *,
        customer_id: CustomerId,
        field: str,
        rule: str,
        severity: Severity,
        message: str,
    ) -> None:
        self.customer_id = customer_id
        self.field = field
        self.rule = rule
        self.severity = severity
        self.message = message


class RuleCount(Record):
    """How many findings a rule made.

    Attributes:
        rule: The rule.
        count: Its findings.
    """

    __slots__ = ("rule", "count")

    rule: str
    count: int

    def __init__(self, *, rule: str, count: int) -> None:
        self.rule = rule
        self.count = count


class FillRate(Record):
    """How often a field is filled in among live customers.

    Attributes:
        field: The field, e.g. `contacts.phones`.
        filled: Customers with it.
        total: Customers checked.
        rate: `filled / total` (1 for an empty book).
    """

    __slots__ = ("field", "filled", "total", "rate")

    field: str
    filled: int
    total: int
    rate: float

    def __init__(self, *, field: str, filled: int, total: int, rate: float) -> None:
        self.field = field
        self.filled = filled
        self.total = total
        self.rate = rate


class QualityReport(Record):
    """The quality of a whole book at one moment.

    Attributes:
        as_of: The moment the rules were judged at.
        customers: Live customers checked.
        findings: Every finding, by customer then rule.
        counts: Findings per rule, every rule listed (zero included).
        fill_rates: Fill rate per field.
    """

    __slots__ = ("as_of", "customers", "findings", "counts", "fill_rates")

    as_of: _dt.datetime
    customers: int
    findings: List[QualityFinding]
    counts: List[RuleCount]
    fill_rates: List[FillRate]

    def __init__(
        self,
        *,
        as_of: _dt.datetime,
        customers: int,
        findings: Optional[List[QualityFinding]] = None,
        counts: Optional[List[RuleCount]] = None,
        fill_rates: Optional[List[FillRate]] = None,
    ) -> None:
        self.as_of = as_of
        self.customers = customers
        self.findings = [] if findings is None else findings
        self.counts = [] if counts is None else counts
        self.fill_rates = [] if fill_rates is None else fill_rates


class CustomerQuery(Record):
    """Which customers to list, and which page. Filters combine with AND; pages
    are ordered by id (creation order) and continue after a cursor, so they
    stay stable while records are added or changed.

    Attributes:
        status: Only this lifecycle status.
        kind: Only this kind of account.
        tag: Only customers with this tag.
        technician_id: Only customers with a location whose plan assigns this technician.
        updated_since: Only customers changed at or after this time.
        archived: Live, archived or both.
        after: Continue after this customer (the previous page's `next_after`).
        limit: Page size (default 100, at most 1000).
    """

    __slots__ = (
        "status",
        "kind",
        "tag",
        "technician_id",
        "updated_since",
        "archived",
        "after",
        "limit",
    )

    status: Optional[LifecycleStatus]
    kind: Optional[CustomerKind]
    tag: Optional[str]
    technician_id: Optional[TechnicianId]
    updated_since: Optional[_dt.datetime]
    archived: ArchivedFilter
    after: Optional[CustomerId]
    limit: Optional[int]

    def __init__(
        self,
        *,
        status: Optional[LifecycleStatus] = None,
        kind: Optional[CustomerKind] = None,
        tag: Optional[str] = None,
        technician_id: Optional[TechnicianId] = None,
        updated_since: Optional[_dt.datetime] = None,
        archived: ArchivedFilter = ArchivedFilter.EXCLUDE,
        after: Optional[CustomerId] = None,
        limit: Optional[int] = None,
    ) -> None:
        self.status = status
        self.kind = kind
        self.tag = tag
        self.technician_id = technician_id
        self.updated_since = updated_since
        self.archived = archived
        self.after = after
        self.limit = limit


class CustomerPage(Record):
    """One page of a customer listing.

    Attributes:
        customers: The customers on this page.
        next_after: Pass as `after` to get the next page; `None` on the last page.
    """

    __slots__ = ("customers", "next_after")

    customers: List[Customer]
    next_after: Optional[CustomerId]

    def __init__(
        self,
        *,
        customers: Optional[List[Customer]] = None,
        next_after: Optional[CustomerId] = None,
    ) -> None:
        self.customers = [] if customers is None else customers
        self.next_after = next_after


class StoredEntry(Record):
    """A history entry as stored: the entry, who recorded it, and whether it is archived.

    Attributes:
        entry: The entry.
        author: Who recorded it.
        archived_at: When it was archived (entered in error), if it was.
    """

    __slots__ = ("entry", "author", "archived_at")

    entry: Entry
    author: Author
    archived_at: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        entry: Entry,
        author: Author,
        archived_at: Optional[_dt.datetime] = None,
    ) -> None:
        self.entry = entry
        self.author = author
        self.archived_at = archived_at


class ScanPosition(Record):
    """A position in a newest-first scan: entries strictly older than this come next.
    Ties in time are broken by `key` (descending), so equal times keep one order.

    Attributes:
        at: The time of the last item seen.
        key: Its tie-breaking key (`e:<entry id>` or `c:<change seq>`).
    """

    __slots__ = ("at", "key")

    at: _dt.datetime
    key: str

    def __init__(self, *, at: _dt.datetime, key: str) -> None:
        self.at = at
        self.key = key


class EntryQuery(Record):
    """Which history entries to read. Filters combine with AND.

    Attributes:
        customer_id: Only this customer's entries.
        location_id: Only entries about this location.
        body_of_water_id: Only entries about this body of water.
        kinds: Only these kinds (all kinds when empty).
        since: Only entries at or after this time.
        until: Only entries before this time.
        status: Only entries with this status word (a visit outcome or issue status).
        include_archived: Include archived entries.
        newest_first: Newest first (the timeline's order) instead of oldest first.
        before: With `newest_first`: continue strictly after this position.
        limit: At most this many entries.
    """

    __slots__ = (
        "customer_id",
        "location_id",
        "body_of_water_id",
        "kinds",
        "since",
        "until",
        "status",
        "include_archived",
        "newest_first",
        "before",
        "limit",
    )

    customer_id: Optional[CustomerId]
    location_id: Optional[LocationId]
    body_of_water_id: Optional[BodyOfWaterId]
    kinds: List[EntryKind]
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    status: Optional[str]
    include_archived: bool
    newest_first: bool
    before: Optional[ScanPosition]
    limit: Optional[int]

    def __init__(
        self,
        *,
        customer_id: Optional[CustomerId] = None,
        location_id: Optional[LocationId] = None,
        body_of_water_id: Optional[BodyOfWaterId] = None,
        kinds: Optional[List[EntryKind]] = None,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        status: Optional[str] = None,
        include_archived: bool = False,
        newest_first: bool = False,
        before: Optional[ScanPosition] = None,
        limit: Optional[int] = None,
    ) -> None:
        self.customer_id = customer_id
        self.location_id = location_id
        self.body_of_water_id = body_of_water_id
        self.kinds = [] if kinds is None else kinds
        self.since = since
        self.until = until
        self.status = status
        self.include_archived = include_archived
        self.newest_first = newest_first
        self.before = before
        self.limit = limit


class NotableChangeQuery(Record):
    """Which notable change-log rows to read for a timeline.

    Attributes:
        customer_id: Rows about this customer account.
        location_id: Rows about this location.
        since: Only rows at or after this time.
        until: Only rows before this time.
        before: Continue strictly after this position (newest first).
        limit: At most this many rows.
    """

    __slots__ = ("customer_id", "location_id", "since", "until", "before", "limit")

    customer_id: Optional[CustomerId]
    location_id: Optional[LocationId]
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    before: Optional[ScanPosition]
    limit: int

    def __init__(
        self,
        *,
        customer_id: Optional[CustomerId] = None,
        location_id: Optional[LocationId] = None,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        before: Optional[ScanPosition] = None,
        limit: int = 0,
    ) -> None:
        self.customer_id = customer_id
        self.location_id = location_id
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit


class TouchpointQuery(Record):
    """Which touchpoints to read. Filters combine with AND.

    Attributes:
        customer_id: Only this customer's touchpoints (including linked visitors').
        visitor_id: Only this visitor's touchpoints.
        since: Only touchpoints at or after this time.
        until: Only touchpoints before this time.
        newest_first: Newest first instead of oldest first.
        exclude_operations: Leave out the touchpoints the book's own operations wrote (a
            payment's `payment_made`, a status change's `converted`): the timeline shows those as
            the entries and changes they came from.
        include_archived: Include the touchpoints archived with their entries.
        before: With `newest_first`: continue strictly after this position (key `t:<id>`).
        limit: At most this many.
    """

    __slots__ = (
        "customer_id",
        "visitor_id",
        "since",
        "until",
        "newest_first",
        "exclude_operations",
        "include_archived",
        "before",
        "limit",
    )

    customer_id: Optional[CustomerId]
    visitor_id: Optional[str]
    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    newest_first: bool
    exclude_operations: bool
    include_archived: bool
    before: Optional[ScanPosition]
    limit: Optional[int]

    def __init__(
        self,
        *,
        customer_id: Optional[CustomerId] = None,
        visitor_id: Optional[str] = None,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        newest_first: bool = False,
        exclude_operations: bool = False,
        include_archived: bool = False,
        before: Optional[ScanPosition] = None,
        limit: Optional[int] = None,
    ) -> None:
        self.customer_id = customer_id
        self.visitor_id = visitor_id
        self.since = since
        self.until = until
        self.newest_first = newest_first
        self.exclude_operations = exclude_operations
        self.include_archived = include_archived
        self.before = before
        self.limit = limit


class Readings(Record):
    """One visit's water test. Every reading is optional: a technician tests
    what the visit calls for.

    Attributes:
        free_chlorine: Free chlorine, ppm.
        combined_chlorine: Combined chlorine (chloramines), ppm.
        ph: pH.
        total_alkalinity: Total alkalinity, ppm as CaCO₃.
        cyanuric_acid: Cyanuric acid (stabiliser), ppm.
        calcium_hardness: Calcium hardness, ppm as CaCO₃.
        salt: Salt (sodium chloride), ppm.
        temperature_f: Water temperature, degrees Fahrenheit.
        tds: Total dissolved solids, ppm.
        phosphates: Phosphates, ppb.
        borate: Borate, ppm.
    """

    __slots__ = (
        "free_chlorine",
        "combined_chlorine",
        "ph",
        "total_alkalinity",
        "cyanuric_acid",
        "calcium_hardness",
        "salt",
        "temperature_f",
        "tds",
        "phosphates",
        "borate",
    )

    free_chlorine: Optional[float]
    combined_chlorine: Optional[float]
    ph: Optional[float]
    total_alkalinity: Optional[float]
    cyanuric_acid: Optional[float]
    calcium_hardness: Optional[float]
    salt: Optional[float]
    temperature_f: Optional[float]
    tds: Optional[float]
    phosphates: Optional[float]
    borate: Optional[float]

    def __init__(
        self,
        *,
        free_chlorine: Optional[float] = None,
        combined_chlorine: Optional[float] = None,
        ph: Optional[float] = None,
        total_alkalinity: Optional[float] = None,
        cyanuric_acid: Optional[float] = None,
        calcium_hardness: Optional[float] = None,
        salt: Optional[float] = None,
        temperature_f: Optional[float] = None,
        tds: Optional[float] = None,
        phosphates: Optional[float] = None,
        borate: Optional[float] = None,
    ) -> None:
        self.free_chlorine = free_chlorine
        self.combined_chlorine = combined_chlorine
        self.ph = ph
        self.total_alkalinity = total_alkalinity
        self.cyanuric_acid = cyanuric_acid
        self.calcium_hardness = calcium_hardness
        self.salt = salt
        self.temperature_f = temperature_f
        self.tds = tds
        self.phosphates = phosphates
        self.borate = borate


class RetentionQuery(Record):
    """Which cohorts to measure.

    Attributes:
        since: Only customers who became active at or after this time.
        until: Only customers who became active before this time.
        as_of: The moment retention is measured to: a mark after it is not measured yet.
        months: Months after activation to measure (default 1, 3, 6 and 12).
    """

    __slots__ = ("since", "until", "as_of", "months")

    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    as_of: _dt.datetime
    months: List[int]

    def __init__(
        self,
        *,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        as_of: _dt.datetime,
        months: Optional[List[int]] = None,
    ) -> None:
        self.since = since
        self.until = until
        self.as_of = as_of
        self.months = [] if months is None else months


class RetentionCell(Record):
    """One cohort's retention at one mark.

    Attributes:
        months: Months after activation.
        measured: Customers of the cohort whose mark has come (by `as_of`).
        retained: Of those, customers still a customer at their mark (active or paused).
        share: retained ÷ measured; `None` while nobody's mark has come.
    """

    __slots__ = ("months", "measured", "retained", "share")

    months: int
    measured: int
    retained: int
    share: Optional[float]

    def __init__(
        self,
        *,
        months: int,
        measured: int,
        retained: int,
        share: Optional[float] = None,
    ) -> None:
        self.months = months
        self.measured = measured
        self.retained = retained
        self.share = share


class Cohort(Record):
    """Customers who became active in one month, and how many stayed.

    Attributes:
        month: The first day of the activation month (UTC).
        customers: Customers who became active that month.
        cells: Retention at each mark, in the query's order.
    """

    __slots__ = ("month", "customers", "cells")

    month: _dt.date
    customers: int
    cells: List[RetentionCell]

    def __init__(
        self,
        *,
        month: _dt.date,
        customers: int,
        cells: Optional[List[RetentionCell]] = None,
    ) -> None:
        self.month = month
        self.customers = customers
        self.cells = [] if cells is None else cells


class ChurnReason(Record):
    """How many customers of the cohorts cancelled for one reason.

    Attributes:
        reason: The reason recorded on cancellation ("no reason recorded" when none was).
        customers: Customers whose latest cancellation (by `as_of`) gave it.
    """

    __slots__ = ("reason", "customers")

    reason: str
    customers: int

    def __init__(self, *, reason: str, customers: int) -> None:
        self.reason = reason
        self.customers = customers


class RetentionReport(Record):
    """Cohort retention and churn.

    Attributes:
        cohorts: One per activation month, oldest first.
        churned: Customers of the cohorts cancelled as of `as_of`.
        churn_reasons: Their reasons, commonest first.
        note: Why the report is empty, when it is.
    """

    __slots__ = ("cohorts", "churned", "churn_reasons", "note")

    cohorts: List[Cohort]
    churned: int
    churn_reasons: List[ChurnReason]
    note: Optional[str]

    def __init__(
        self,
        *,
        cohorts: Optional[List[Cohort]] = None,
        churned: int,
        churn_reasons: Optional[List[ChurnReason]] = None,
        note: Optional[str] = None,
    ) -> None:
        self.cohorts = [] if cohorts is None else cohorts
        self.churned = churned
        self.churn_reasons = [] if churn_reasons is None else churn_reasons
        self.note = note


class SatisfactionQuery(Record):
    """Which feedback to summarise.

    Attributes:
        since: Only feedback at or after this time.
        until: Only feedback before this time.
        period: The period `by_period` groups by (default month).
    """

    __slots__ = ("since", "until", "period")

    since: Optional[_dt.datetime]
    until: Optional[_dt.datetime]
    period: Optional[Period]

    def __init__(
        self,
        *,
        since: Optional[_dt.datetime] = None,
        until: Optional[_dt.datetime] = None,
        period: Optional[Period] = None,
    ) -> None:
        self.since = since
        self.until = until
        self.period = period


class RatingSummary(Record):
    """Ratings of one group.

    Attributes:
        responses: Feedback counted.
        average: The mean rating (1–5).
        share_4_5: Share of ratings of 4 or 5.
    """

    __slots__ = ("responses", "average", "share_4_5")

    responses: int
    average: float
    share_4_5: float

    def __init__(self, *, responses: int, average: float, share_4_5: float) -> None:
        self.responses = responses
        self.average = average
        self.share_4_5 = share_4_5


class PeriodRatings(Record):
    """Ratings in one period.

    Attributes:
        period_start: The first day of the period.
        ratings: Its ratings.
    """

    __slots__ = ("period_start", "ratings")

    period_start: _dt.date
    ratings: RatingSummary

    def __init__(self, *, period_start: _dt.date, ratings: RatingSummary) -> None:
        self.period_start = period_start
        self.ratings = ratings


class TechnicianRatings(Record):
    """Ratings of one technician's visits.

    Attributes:
        technician_id: The technician who made the rated visits.
        ratings: Their ratings.
    """

    __slots__ = ("technician_id", "ratings")

    technician_id: TechnicianId
    ratings: RatingSummary

    def __init__(self, *, technician_id: TechnicianId, ratings: RatingSummary) -> None:
        self.technician_id = technician_id
        self.ratings = ratings


class StageRatings(Record):
    """Ratings given at one journey stage.

    Attributes:
        stage: The stage the customer had reached (their latest staged touchpoint before the
            feedback); `None` when they had none.
        ratings: The ratings.
    """

    __slots__ = ("stage", "ratings")

    stage: Optional[Stage]
    ratings: RatingSummary

    def __init__(self, *, stage: Optional[Stage] = None, ratings: RatingSummary) -> None:
        self.stage = stage
        self.ratings = ratings


class Detractor(Record):
    """A rating of 1 or 2.

    Attributes:
        customer_id: The customer.
        display_name: Their display name.
        feedback_id: The feedback.
        at: When it was given.
        rating: The rating.
        comment: What they said.
        issue_id: The issue it led to, if linked.
    """

    __slots__ = (
        "customer_id",
        "display_name",
        "feedback_id",
        "at",
        "rating",
        "comment",
        "issue_id",
    )

    customer_id: CustomerId
    display_name: str
    feedback_id: EntryId
    at: _dt.datetime
    rating: int
    comment: Optional[str]
    issue_id: Optional[EntryId]

    def __init__(
        self,
        *,
        customer_id: CustomerId,
        display_name: str,
        feedback_id: EntryId,
        at: _dt.datetime,
        rating: int,
        comment: Optional[str] = None,
        issue_id: Optional[EntryId] = None,
    ) -> None:
        self.customer_id = customer_id
        self.display_name = display_name
        self.feedback_id = feedback_id
        self.at = at
        self.rating = rating
        self.comment = comment
        self.issue_id = issue_id


class SatisfactionReport(Record):
    """Satisfaction from feedback.

    Attributes:
        overall: Every rating counted.
        by_period: By period, oldest first.
        by_technician: By the technician of the rated visit (feedback on a visit only).
        by_stage: By journey stage.
        detractors: Ratings of 1 or 2, newest first.
    """

    __slots__ = ("overall", "by_period", "by_technician", "by_stage", "detractors")

    overall: RatingSummary
    by_period: List[PeriodRatings]
    by_technician: List[TechnicianRatings]
    by_stage: List[StageRatings]
    detractors: List[Detractor]

    def __init__(
        self,
        *,
        overall: RatingSummary,
        by_period: Optional[List[PeriodRatings]] = None,
        by_technician: Optional[List[TechnicianRatings]] = None,
        by_stage: Optional[List[StageRatings]] = None,
        detractors: Optional[List[Detractor]] = None,
    ) -> None:
        self.overall = overall
        self.by_period = [] if by_period is None else by_period
        self.by_technician = [] if by_technician is None else by_technician
        self.by_stage = [] if by_stage is None else by_stage
        self.detractors = [] if detractors is None else detractors


class EngagementQuery(Record):
    """Whose engagement to measure, and how.

    Attributes:
        as_of: The moment to measure to.
        window_days: Days in each of the two windows compared for the trend (default 30).
        quiet_days: Days without any activity that make a customer quiet (default 60).
        only_quiet: Only quiet customers.
    """

    __slots__ = ("as_of", "window_days", "quiet_days", "only_quiet")

    as_of: _dt.datetime
    window_days: Optional[int]
    quiet_days: Optional[int]
    only_quiet: bool

    def __init__(
        self,
        *,
        as_of: _dt.datetime,
        window_days: Optional[int] = None,
        quiet_days: Optional[int] = None,
        only_quiet: bool,
    ) -> None:
        self.as_of = as_of
        self.window_days = window_days
        self.quiet_days = quiet_days
        self.only_quiet = only_quiet


class CustomerEngagement(Record):
    """One customer's portal and email activity.

    Attributes:
        customer_id: The customer.
        display_name: Their display name.
        portal_recent: Their portal touchpoints in the last window.
        portal_before: In the window before.
        email_recent: Their email touchpoints (opens, clicks, replies) in the last window.
        email_before: In the window before.
        trend: Portal and email together, last window against the one before.
        last_active_at: Their latest touchpoint as the actor (any channel), by `as_of`.
        quiet: No activity for at least `quiet_days` (or never any).
    """

    __slots__ = (
        "customer_id",
        "display_name",
        "portal_recent",
        "portal_before",
        "email_recent",
        "email_before",
        "trend",
        "last_active_at",
        "quiet",
    )

    customer_id: CustomerId
    display_name: str
    portal_recent: int
    portal_before: int
    email_recent: int
    email_before: int
    trend: Trend
    last_active_at: Optional[_dt.datetime]
    quiet: bool

    def __init__(
        self,
        *,
        customer_id: CustomerId,
        display_name: str,
        portal_recent: int,
        portal_before: int,
        email_recent: int,
        email_before: int,
        trend: Trend,
        last_active_at: Optional[_dt.datetime] = None,
        quiet: bool,
    ) -> None:
        self.customer_id = customer_id
        self.display_name = display_name
        self.portal_recent = portal_recent
        self.portal_before = portal_before
        self.email_recent = email_recent
        self.email_before = email_before
        self.trend = trend
        self.last_active_at = last_active_at
        self.quiet = quiet


class RoutePin(Record):
    """A stop that must come at a given place in the day.

    Attributes:
        location_id: The location.
        position: Its place among the stops with coordinates, from 1.
    """

    __slots__ = ("location_id", "position")

    location_id: LocationId
    position: int

    def __init__(self, *, location_id: LocationId, position: int) -> None:
        self.location_id = location_id
        self.position = position


class RouteOptions(Record):
    """How to order a day's stops. Every field has a default.

    Attributes:
        start: Where the day starts (the technician's home, the yard); `None`: at the first stop.
        end: Where the day ends; `None`: at the last stop.
        depart_at: When the technician sets off, local time; `None`: 08:00.
        average_speed_kmh: Average driving speed over straight-line distance, km/h; `None`: 30.
        service_minutes: Minutes on site at each stop; `None`: 30.
        pins: Stops that must come at a given place.
    """

    __slots__ = ("start", "end", "depart_at", "average_speed_kmh", "service_minutes", "pins")

    start: Optional[GeoPoint]
    end: Optional[GeoPoint]
    depart_at: Optional[_dt.time]
    average_speed_kmh: Optional[float]
    service_minutes: Optional[int]
    pins: List[RoutePin]

    def __init__(
        self,
        *,
        start: Optional[GeoPoint] = None,
        end: Optional[GeoPoint] = None,
        depart_at: Optional[_dt.time] = None,
        average_speed_kmh: Optional[float] = None,
        service_minutes: Optional[int] = None,
        pins: Optional[List[RoutePin]] = None,
    ) -> None:
        self.start = start
        self.end = end
        self.depart_at = depart_at
        self.average_speed_kmh = average_speed_kmh
        self.service_minutes = service_minutes
        self.pins = [] if pins is None else pins


class SecretReveal(Record):
    """One reveal of a secret: who, when, which location and field, on which
    device, and why. Never the value.

    Attributes:
        at: When it was revealed.
        author: Who revealed it.
        location_id: The location whose secret it was.
        customer_id: The customer who owned the location then.
        field: Which secret.
        reason: Why, in the revealer's words.
        device: The device or app the book was opened on ([`crate::OpenOptions::device`]).
    """

    __slots__ = ("at", "author", "location_id", "customer_id", "field", "reason", "device")

    at: _dt.datetime
    author: Author
    location_id: LocationId
    customer_id: CustomerId
    field: SecretField
    reason: str
    device: Optional[str]

    def __init__(
        self,
        *,
        at: _dt.datetime,
        author: Author,
        location_id: LocationId,
        customer_id: CustomerId,
        field: SecretField,
        reason: str,
        device: Optional[str] = None,
    ) -> None:
        self.at = at
        self.author = author
        self.location_id = location_id
        self.customer_id = customer_id
        self.field = field
        self.reason = reason
        self.device = device


class SecretRevealQuery(Record):
    """Which reveals to read, newest first. Filters combine with AND.

    Attributes:
        location_id: Only reveals of this location's secrets.
        author_id: Only reveals by this author id (a technician's id, an office login).
        from_: Only reveals at or after this instant.
        to: Only reveals before this instant.
        limit: At most this many (default 100, at most 10,000).
    """

    __slots__ = ("location_id", "author_id", "from_", "to", "limit")
    _json_names: ClassVar[Dict[str, str]] = {"from_": "from"}

    location_id: Optional[LocationId]
    author_id: Optional[str]
    from_: Optional[_dt.datetime]
    to: Optional[_dt.datetime]
    limit: Optional[int]

    def __init__(
        self,
        *,
        location_id: Optional[LocationId] = None,
        author_id: Optional[str] = None,
        from_: Optional[_dt.datetime] = None,
        to: Optional[_dt.datetime] = None,
        limit: Optional[int] = None,
    ) -> None:
        self.location_id = location_id
        self.author_id = author_id
        self.from_ = from_
        self.to = to
        self.limit = limit


class SegmentRuleKind(SegmentRule):
    """The account is of this kind.

    Attributes:
        kind: The kind.
    """

    __slots__ = ("kind",)
    rule: ClassVar[str] = "kind"

    kind: CustomerKind

    def __init__(self, *, kind: CustomerKind) -> None:
        self.kind = kind


class SegmentRuleStatus(SegmentRule):
    """The account has this lifecycle status.

    Attributes:
        status: The status.
    """

    __slots__ = ("status",)
    rule: ClassVar[str] = "status"

    status: LifecycleStatus

    def __init__(self, *, status: LifecycleStatus) -> None:
        self.status = status


class SegmentRuleTag(SegmentRule):
    """The account has this tag.

    Attributes:
        tag: The tag.
    """

    __slots__ = ("tag",)
    rule: ClassVar[str] = "tag"

    tag: str

    def __init__(self, *, tag: str) -> None:
        self.tag = tag


class SegmentRuleOverdueMoreThan(SegmentRule):
    """Some invoice has money remaining more than `days` past its due date.

    Attributes:
        days: Days past due.
    """

    __slots__ = ("days",)
    rule: ClassVar[str] = "overdue_more_than"

    days: int

    def __init__(self, *, days: int) -> None:
        self.days = days


class SegmentRuleDidButNot(SegmentRule):
    """Did `did`, and then not `not` within `within_days` (the window has closed):
    "opened a payment reminder but made no payment within 7 days".

    Attributes:
        did: The action done.
        not_: The action not done after it.
        within_days: Days allowed.
    """

    __slots__ = ("did", "not_", "within_days")
    rule: ClassVar[str] = "did_but_not"
    _json_names: ClassVar[Dict[str, str]] = {"not_": "not"}

    did: str
    not_: str
    within_days: int

    def __init__(self, *, did: str, not_: str, within_days: int) -> None:
        self.did = did
        self.not_ = not_
        self.within_days = within_days


class SegmentRuleNoTouchpointFor(SegmentRule):
    """No touchpoint at all in the last `days` days.

    Attributes:
        days: Days of silence.
    """

    __slots__ = ("days",)
    rule: ClassVar[str] = "no_touchpoint_for"

    days: int

    def __init__(self, *, days: int) -> None:
        self.days = days


class Segment(Record):
    """A saved, named set of rules.

    Attributes:
        name: The segment's name.
        rules: Rules that must all hold.
    """

    __slots__ = ("name", "rules")

    name: str
    rules: List[SegmentRule]

    def __init__(self, *, name: str, rules: Optional[List[SegmentRule]] = None) -> None:
        self.name = name
        self.rules = [] if rules is None else rules


class SegmentMember(Record):
    """A customer in a segment, with the values its rules looked at.

    Attributes:
        customer_id: The customer.
        display_name: Their display name.
        values: What the rules saw: `remaining`, `days_overdue`, `did_at`, `last_touchpoint_at`,
            …
    """

    __slots__ = ("customer_id", "display_name", "values")

    customer_id: CustomerId
    display_name: str
    values: Dict[str, Any]

    def __init__(
        self,
        *,
        customer_id: CustomerId,
        display_name: str,
        values: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.customer_id = customer_id
        self.display_name = display_name
        self.values = {} if values is None else values


class ColumnMapping(Record):
    """One source column and the field it fills.

    Attributes:
        column: The column's header, as in the file (compared ignoring case and spaces).
        field: The field it fills.
    """

    __slots__ = ("column", "field")

    column: str
    field: ImportField

    def __init__(self, *, column: str, field: ImportField) -> None:
        self.column = column
        self.field = field


class ImportMapping(Record):
    """A named mapping from a spreadsheet's columns to customer fields, saved in
    the book for the next import of the same kind of file.

    Attributes:
        name: The mapping's name; rows are keyed within it, so re-importing a file with the same
            mapping finds the customers it created.
        columns: The columns of the main file (one row per pool, or the clients file).
        properties_columns: The columns of the properties file, in the clients + properties shape
            (joined to the clients by the columns mapped to `key`).
    """

    __slots__ = ("name", "columns", "properties_columns")

    name: str
    columns: List[ColumnMapping]
    properties_columns: List[ColumnMapping]

    def __init__(
        self,
        *,
        name: str,
        columns: Optional[List[ColumnMapping]] = None,
        properties_columns: Optional[List[ColumnMapping]] = None,
    ) -> None:
        self.name = name
        self.columns = [] if columns is None else columns
        self.properties_columns = [] if properties_columns is None else properties_columns


class ImportSource(Record):
    """The file (or files) an import reads: CSV (any delimiter, UTF-8 with or
    without BOM, or Windows-1252), or XLSX / ODS (feature `xlsx`).

    Attributes:
        path: The main file: one row per pool, or the clients.
        properties_path: The properties file of the clients + properties shape.
        sheet: The worksheet to read in a workbook (default: the first).
    """

    __slots__ = ("path", "properties_path", "sheet")

    path: str
    properties_path: Optional[str]
    sheet: Optional[str]

    def __init__(
        self,
        *,
        path: str,
        properties_path: Optional[str] = None,
        sheet: Optional[str] = None,
    ) -> None:
        self.path = path
        self.properties_path = properties_path
        self.sheet = sheet


class RowProblem(Record):
    """A problem with one cell or row.

    Attributes:
        row: 1-based row number in its file, the header being row 1.
        file: The file: `main` or `properties`.
        column: The column's header, when one cell is at fault.
        reason: What is wrong.
    """

    __slots__ = ("row", "file", "column", "reason")

    row: int
    file: str
    column: Optional[str]
    reason: str

    def __init__(self, *, row: int, file: str, column: Optional[str] = None, reason: str) -> None:
        self.row = row
        self.file = file
        self.column = column
        self.reason = reason


class PlannedRow(Record):
    """What the import will do (or did) with one row.

    Attributes:
        row: 1-based row number in the main file.
        action: Create, update, skip or error.
        key: The row's customer key (the `key` column, or one made of name and address).
        customer_id: The customer the row creates or updates.
        problems: Why the row is an error or was skipped.
    """

    __slots__ = ("row", "action", "key", "customer_id", "problems")

    row: int
    action: RowAction
    key: str
    customer_id: Optional[CustomerId]
    problems: List[RowProblem]

    def __init__(
        self,
        *,
        row: int,
        action: RowAction,
        key: str,
        customer_id: Optional[CustomerId] = None,
        problems: Optional[List[RowProblem]] = None,
    ) -> None:
        self.row = row
        self.action = action
        self.key = key
        self.customer_id = customer_id
        self.problems = [] if problems is None else problems


class PossibleDuplicate(Record):
    """A customer the book already has that a new row looks like.

    Attributes:
        row: The row that would create the customer.
        customer_id: The customer already in the book (or created by an earlier row).
        display_name: Its display name.
        matched_on: `phone`, `email` or `address`.
        value: The value both share (a phone in E.164, an email, an address).
    """

    __slots__ = ("row", "customer_id", "display_name", "matched_on", "value")

    row: int
    customer_id: CustomerId
    display_name: str
    matched_on: str
    value: str

    def __init__(
        self,
        *,
        row: int,
        customer_id: CustomerId,
        display_name: str,
        matched_on: str,
        value: str,
    ) -> None:
        self.row = row
        self.customer_id = customer_id
        self.display_name = display_name
        self.matched_on = matched_on
        self.value = value


class ImportPlan(Record):
    """An import's dry run: what it would do, row by row, writing nothing.

    Attributes:
        rows: Every data row of the main file, in order.
        creates: Customers it would create.
        updates: Customers it would update.
        skips: Rows with nothing to do.
        errors: Rows that cannot be imported.
        duplicates: New customers that look like ones already in the book (same phone, email or
            address).
        warnings: Cells imported but worth a look (a postal code or phone that arrived as a
            number and may have lost its leading zeros), and properties rows joined to no client.
    """

    __slots__ = ("rows", "creates", "updates", "skips", "errors", "duplicates", "warnings")

    rows: List[PlannedRow]
    creates: int
    updates: int
    skips: int
    errors: int
    duplicates: List[PossibleDuplicate]
    warnings: List[RowProblem]

    def __init__(
        self,
        *,
        rows: Optional[List[PlannedRow]] = None,
        creates: int = 0,
        updates: int = 0,
        skips: int = 0,
        errors: int = 0,
        duplicates: Optional[List[PossibleDuplicate]] = None,
        warnings: Optional[List[RowProblem]] = None,
    ) -> None:
        self.rows = [] if rows is None else rows
        self.creates = creates
        self.updates = updates
        self.skips = skips
        self.errors = errors
        self.duplicates = [] if duplicates is None else duplicates
        self.warnings = [] if warnings is None else warnings


class ImportResult(Record):
    """A committed import: its id (for `Book::undo_import`)
    and the plan it carried out.

    Attributes:
        import_id: The import's id.
        plan: What was done with each row (error rows were not imported).
    """

    __slots__ = ("import_id", "plan")

    import_id: str
    plan: ImportPlan

    def __init__(self, *, import_id: str, plan: ImportPlan) -> None:
        self.import_id = import_id
        self.plan = plan


class ImportedUpdate(Record):
    """A customer an import updated: enough to put it back.

    Attributes:
        before: The record before the import.
        version_after: The version the import left.
    """

    __slots__ = ("before", "version_after")

    before: Customer
    version_after: int

    def __init__(self, *, before: Customer, version_after: int) -> None:
        self.before = before
        self.version_after = version_after


class ImportBatch(Record):
    """What one committed import did, as the book keeps it.

    Attributes:
        id: The import's id.
        mapping: The mapping's name.
        file: The file's name.
        at: When it was committed.
        author: Who committed it.
        created: Customers it created (at version 1).
        updated: Customers it updated.
        undone_at: When it was undone.
    """

    __slots__ = ("id", "mapping", "file", "at", "author", "created", "updated", "undone_at")

    id: str
    mapping: str
    file: str
    at: _dt.datetime
    author: Author
    created: List[CustomerId]
    updated: List[ImportedUpdate]
    undone_at: Optional[_dt.datetime]

    def __init__(
        self,
        *,
        id: str,
        mapping: str,
        file: str,
        at: _dt.datetime,
        author: Author,
        created: Optional[List[CustomerId]] = None,
        updated: Optional[List[ImportedUpdate]] = None,
        undone_at: Optional[_dt.datetime] = None,
    ) -> None:
        self.id = id
        self.mapping = mapping
        self.file = file
        self.at = at
        self.author = author
        self.created = [] if created is None else created
        self.updated = [] if updated is None else updated
        self.undone_at = undone_at


class ImportKey(Record):
    """What the book remembers of a row key: which customer it became, and the
    version and content the last import left, so a re-import updates only
    what changed and never overwrites a newer edit.

    Attributes:
        mapping: The mapping's name.
        key: The row key within it.
        customer_id: The customer it became.
        version: The customer's version after the last import that wrote it.
        fingerprint: A fingerprint of what the last import wrote.
    """

    __slots__ = ("mapping", "key", "customer_id", "version", "fingerprint")

    mapping: str
    key: str
    customer_id: CustomerId
    version: int
    fingerprint: str

    def __init__(
        self,
        *,
        mapping: str,
        key: str,
        customer_id: CustomerId,
        version: int,
        fingerprint: str,
    ) -> None:
        self.mapping = mapping
        self.key = key
        self.customer_id = customer_id
        self.version = version
        self.fingerprint = fingerprint


class UndoReport(Record):
    """What undoing an import did.

    Attributes:
        archived: Customers the import created, now archived.
        restored: Customers the import updated, now as they were before it.
        kept: Customers changed by someone since the import: left as they are.
    """

    __slots__ = ("archived", "restored", "kept")

    archived: List[CustomerId]
    restored: List[CustomerId]
    kept: List[CustomerId]

    def __init__(
        self,
        *,
        archived: Optional[List[CustomerId]] = None,
        restored: Optional[List[CustomerId]] = None,
        kept: Optional[List[CustomerId]] = None,
    ) -> None:
        self.archived = [] if archived is None else archived
        self.restored = [] if restored is None else restored
        self.kept = [] if kept is None else kept


class Technician(Record):
    """A technician on the company's staff.

    Attributes:
        id: Identifier.
        name: Full name.
        active: Whether the technician currently works routes (technicians are deactivated, never
            deleted).
        phone: Phone in E.164 form.
        email: Email address.
        created_at: When the record was created.
        updated_at: When the record last changed.
        version: Optimistic-concurrency version.
    """

    __slots__ = ("id", "name", "active", "phone", "email", "created_at", "updated_at", "version")

    id: TechnicianId
    name: str
    active: bool
    phone: Optional[str]
    email: Optional[str]
    created_at: _dt.datetime
    updated_at: _dt.datetime
    version: int

    def __init__(
        self,
        *,
        id: Optional[TechnicianId] = None,
        name: str,
        active: bool,
        phone: Optional[str] = None,
        email: Optional[str] = None,
        created_at: _dt.datetime,
        updated_at: _dt.datetime,
        version: int,
    ) -> None:
        self.id = TechnicianId(new_id()) if id is None else id
        self.name = name
        self.active = active
        self.phone = phone
        self.email = email
        self.created_at = created_at
        self.updated_at = updated_at
        self.version = version


class NewTechnician(Record):
    """Everything needed to add a technician.

    Attributes:
        id: Identifier the technician will have.
        name: Full name.
        phone: Phone (any common formatting; normalised on save).
        email: Email address.
    """

    __slots__ = ("id", "name", "phone", "email")

    id: TechnicianId
    name: str
    phone: Optional[str]
    email: Optional[str]

    def __init__(
        self,
        *,
        id: Optional[TechnicianId] = None,
        name: str,
        phone: Optional[str] = None,
        email: Optional[str] = None,
    ) -> None:
        self.id = TechnicianId(new_id()) if id is None else id
        self.name = name
        self.phone = phone
        self.email = email


class TechnicianPatch(Record):
    """A partial update of a technician; `None` leaves a field alone.

    Attributes:
        name: New name.
        active: Activate or deactivate.
        phone: Set or clear the phone.
        email: Set or clear the email.
    """

    __slots__ = ("name", "active", "phone", "email")

    name: Optional[str]
    active: Optional[bool]
    phone: Optional[TextUpdate]
    email: Optional[TextUpdate]

    def __init__(
        self,
        *,
        name: Optional[str] = None,
        active: Optional[bool] = None,
        phone: Optional[TextUpdate] = None,
        email: Optional[TextUpdate] = None,
    ) -> None:
        self.name = name
        self.active = active
        self.phone = phone
        self.email = email


class TextUpdateSet(TextUpdate):
    """Set the field to this value.

    Attributes:
        value: The new value.
    """

    __slots__ = ("value",)
    op: ClassVar[str] = "set"

    value: str

    def __init__(self, *, value: str) -> None:
        self.value = value


class TextUpdateClear(TextUpdate):
    """Clear the field."""

    __slots__ = ()
    op: ClassVar[str] = "clear"


class CustomerSummary(Record):
    """What analytics need to know of a customer without loading the record.

    Attributes:
        id: The customer.
        display_name: Display name.
        kind: Account kind.
        status: Lifecycle status.
        tags: Tags.
        archived: Whether the customer is archived.
    """

    __slots__ = ("id", "display_name", "kind", "status", "tags", "archived")

    id: CustomerId
    display_name: str
    kind: CustomerKind
    status: LifecycleStatus
    tags: List[str]
    archived: bool

    def __init__(
        self,
        *,
        id: Optional[CustomerId] = None,
        display_name: str,
        kind: CustomerKind,
        status: LifecycleStatus,
        tags: Optional[List[str]] = None,
        archived: bool,
    ) -> None:
        self.id = CustomerId(new_id()) if id is None else id
        self.display_name = display_name
        self.kind = kind
        self.status = status
        self.tags = [] if tags is None else tags
        self.archived = archived


# Which class each union tag names --------------------------------------------

register_variants(TimelineItem, {
    "entry": TimelineItemEntry,
    "change": ChangeRecord,
    "touchpoint": Touchpoint,
})
register_variants(CountDimension, {
    "channel": CountDimensionChannel,
    "action": CountDimensionAction,
    "stage": CountDimensionStage,
    "direction": CountDimensionDirection,
    "customer_kind": CountDimensionCustomerKind,
    "technician": CountDimensionTechnician,
    "property": CountDimensionProperty,
})
register_variants(Entry, {
    "visit": Visit,
    "invoice": Invoice,
    "payment": Payment,
    "credit": Credit,
    "message": Message,
    "issue": Issue,
    "note": Note,
    "feedback": Feedback,
})
register_variants(SegmentRule, {
    "kind": SegmentRuleKind,
    "status": SegmentRuleStatus,
    "tag": SegmentRuleTag,
    "overdue_more_than": SegmentRuleOverdueMoreThan,
    "did_but_not": SegmentRuleDidButNot,
    "no_touchpoint_for": SegmentRuleNoTouchpointFor,
})
register_variants(TextUpdate, {"set": TextUpdateSet, "clear": TextUpdateClear})

__all__ = [
    "AccessDetails",
    "AccessWindow",
    "ActionShare",
    "Actor",
    "Address",
    "Aging",
    "Application",
    "ArchivedFilter",
    "ArrowTable",
    "Assignment",
    "AttributionModel",
    "AttributionQuery",
    "AttributionReport",
    "Author",
    "AuthorKind",
    "BackupReport",
    "Billing",
    "BillingPeriod",
    "BillingSettings",
    "BodyOfWater",
    "BodyOfWaterCard",
    "BodyOfWaterId",
    "BookEntryPage",
    "BookFile",
    "BookFilter",
    "BookTouchpointPage",
    "CannotCompute",
    "ChangeAction",
    "ChangeLogQuery",
    "ChangeRecord",
    "ChemicalDose",
    "ChemicalPrice",
    "ChurnReason",
    "Cohort",
    "ColumnMapping",
    "Comparison",
    "Consent",
    "ConsentStatus",
    "Contact",
    "ContactChannel",
    "ContactId",
    "ContactRole",
    "CountDimension",
    "CountDimensionAction",
    "CountDimensionChannel",
    "CountDimensionCustomerKind",
    "CountDimensionDirection",
    "CountDimensionProperty",
    "CountDimensionStage",
    "CountDimensionTechnician",
    "Credit",
    "CreditKind",
    "CsiMethod",
    "Customer",
    "CustomerEngagement",
    "CustomerId",
    "CustomerKind",
    "CustomerPage",
    "CustomerPatch",
    "CustomerQuery",
    "CustomerSummary",
    "DateRange",
    "Debtor",
    "DemoOptions",
    "DemoSummary",
    "Detractor",
    "Direction",
    "DoseUnit",
    "DraftOptions",
    "DrivingRoute",
    "DueMessage",
    "DuplicateCandidate",
    "DuplicateDecision",
    "DuplicateQuery",
    "DuplicateVerdict",
    "EngagementQuery",
    "EntityKind",
    "Entry",
    "EntryId",
    "EntryKind",
    "EntryQuery",
    "Equipment",
    "EquipmentKind",
    "EventMapping",
    "EventTarget",
    "ExperimentDefinition",
    "ExperimentReport",
    "Feedback",
    "FeedbackFollowUp",
    "FeedbackSource",
    "FieldChange",
    "FieldComparison",
    "FieldProblem",
    "FillRate",
    "Frequency",
    "FunnelComparison",
    "FunnelCounts",
    "FunnelDefinition",
    "FunnelReport",
    "FunnelStep",
    "GeoPoint",
    "ImportBatch",
    "ImportField",
    "ImportKey",
    "ImportMapping",
    "ImportPlan",
    "ImportReport",
    "ImportResult",
    "ImportSource",
    "ImportedUpdate",
    "InboundReply",
    "IntegrityProblem",
    "IntegrityReport",
    "Invoice",
    "InvoiceBalance",
    "InvoiceDraft",
    "InvoiceLine",
    "Issue",
    "IssueCategory",
    "IssueStatus",
    "JourneyChannel",
    "JourneyMap",
    "JourneyMapQuery",
    "Level",
    "LifecycleStatus",
    "LocationId",
    "LocationTransfer",
    "MapAction",
    "MapStage",
    "MatchBand",
    "MeasurementMethod",
    "MergeOutcome",
    "MergePicks",
    "MergeRecord",
    "MergeSide",
    "MergeUndo",
    "Message",
    "MessageTemplate",
    "ModelCredits",
    "NewChange",
    "NewCustomer",
    "NewTechnician",
    "NextActionsQuery",
    "NextActionsReport",
    "NotableChangeQuery",
    "Note",
    "OneOffCharge",
    "OpenCheck",
    "OpenOptions",
    "Outbox",
    "OutboxQuery",
    "OutboxRecord",
    "OutboxRule",
    "OutboxSettings",
    "OutboxStatus",
    "Parameter",
    "Payment",
    "PaymentMethod",
    "Period",
    "PeriodCount",
    "PeriodRatings",
    "Pet",
    "PetTemperament",
    "Phone",
    "PlannedRow",
    "PossibleDuplicate",
    "Preferences",
    "QualityFinding",
    "QualityReport",
    "RateBasis",
    "RatingSummary",
    "ReadingFlag",
    "ReadingPoint",
    "ReadingTrend",
    "Readings",
    "Receivables",
    "Region",
    "RejectedLine",
    "ReplyKind",
    "ReplyOutcome",
    "ReplyRate",
    "ResponseTimeQuery",
    "ResponseTimeReport",
    "RetentionCell",
    "RetentionQuery",
    "RetentionReport",
    "Route",
    "RouteOptions",
    "RoutePin",
    "RouteStop",
    "RowAction",
    "RowProblem",
    "RuleCount",
    "RuleSettings",
    "Sanitizer",
    "SatisfactionQuery",
    "SatisfactionReport",
    "SaturationIndex",
    "ScanPosition",
    "SearchHit",
    "SecretField",
    "SecretReveal",
    "SecretRevealQuery",
    "Segment",
    "SegmentMember",
    "SegmentRule",
    "SegmentRuleDidButNot",
    "SegmentRuleKind",
    "SegmentRuleNoTouchpointFor",
    "SegmentRuleOverdueMoreThan",
    "SegmentRuleStatus",
    "SegmentRuleTag",
    "ServiceLocation",
    "ServicePlan",
    "Setting",
    "Severity",
    "SkipReason",
    "Stage",
    "StageExit",
    "StageFlow",
    "StageRatings",
    "StageReport",
    "Statement",
    "StatementLine",
    "StepStats",
    "StopCard",
    "StoppedQuery",
    "StoppedReport",
    "StoredEntry",
    "SuppressedMessage",
    "Surface",
    "TableCount",
    "TargetProfile",
    "TargetRange",
    "Technician",
    "TechnicianId",
    "TechnicianPatch",
    "TechnicianRatings",
    "TemplateText",
    "TextUpdate",
    "TextUpdateClear",
    "TextUpdateSet",
    "TimeWindow",
    "TimelineItem",
    "TimelineItemEntry",
    "TimelinePage",
    "TimelineQuery",
    "TopicReport",
    "Touchpoint",
    "TouchpointCount",
    "TouchpointCountQuery",
    "TouchpointQuery",
    "TouchpointReport",
    "Trend",
    "UnansweredLead",
    "UndoReport",
    "UnmappedAction",
    "UnmergeOutcome",
    "VariantResult",
    "Visit",
    "VisitNotice",
    "VisitOutcome",
    "VisitSummary",
    "WaterAssessment",
    "WaterKind",
    "Weekday",
]
