//! Duplicate detection: Fellegi–Sunter record linkage over customer records.
//!
//! Each record is read once into a [`Profile`] (normalised name parts,
//! phones, emails and addresses; placeholders dropped). Cheap blocking keys
//! (same phone, same email, same street number and postal code, surname
//! sound + postal code, first and last name sounds, nickname group +
//! surname, …) pick the pairs worth comparing. Each pair is compared field
//! by field; each field reaches a level (`exact`, `nickname`, `close`, …)
//! whose weight is log2(m/u): u, how often two records of this book picked
//! at random reach it, comes from random pairs (and, for an exact name,
//! street, city or postal code, from how common that value is); m, how
//! often two records of one customer reach it, starts from priors and
//! learns from the office's confirmed pairs. Phones and emails that are
//! placeholders, or shared by more than [`SHARED_LIMIT`] customers (an
//! office number), are never evidence. Secrets are never read.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::CustomerId;
use crate::domain::phone::{NumberingPlan, normalize};
use crate::domain::search::ADDRESS_ABBREVIATIONS;
use crate::model::{Address, Contact, FieldComparison};

/// A phone number or email on more customers than this is shared (an
/// office line, a property manager's inbox) and is not evidence.
pub const SHARED_LIMIT: usize = 4;

/// The share of records expected to have a duplicate somewhere in the
/// book, which sets the prior odds of a random pair.
pub const EXPECTED_DUPLICATE_SHARE: f64 = 0.1;

/// Blocks of a strong key (a phone, an email, an address) larger than
/// this make no pairs: the value is too common to say anything.
const MAX_BLOCK: usize = 100;

/// Blocks of a weak key (a name's sound with an area: everyone on one
/// postal code with a common surname sound) larger than this make no pairs.
const MAX_WEAK_BLOCK: usize = 12;

/// Random pairs sampled to estimate u.
const U_SAMPLE: usize = 12_000;

/// Pseudo-observations the m priors are worth against confirmed pairs.
const PRIOR_STRENGTH: f64 = 50.0;

/// Pseudo-pairs the u priors are worth against the book's random pairs.
const U_PRIOR_STRENGTH: f64 = 1_000.0;

/// Pseudo-records a value's prior frequency is worth against its count.
const TF_PRIOR_STRENGTH: f64 = 20.0;

/// A compared field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    FirstName,
    LastName,
    Phone,
    Email,
    StreetNumber,
    Street,
    Line2,
    City,
    PostalCode,
    Region,
}

/// Every compared field, in explanation order.
pub(crate) const FIELDS: [Field; 10] = [
    Field::FirstName,
    Field::LastName,
    Field::Phone,
    Field::Email,
    Field::StreetNumber,
    Field::Street,
    Field::Line2,
    Field::City,
    Field::PostalCode,
    Field::Region,
];

impl Field {
    /// The field's name in explanations.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::StreetNumber => "street_number",
            Field::Street => "street",
            Field::Line2 => "address_line2",
            Field::City => "city",
            Field::PostalCode => "postal_code",
            Field::Region => "region",
        }
    }

    /// The levels, best first; the last is always `different`.
    pub(crate) fn levels(self) -> &'static [&'static str] {
        match self {
            Field::FirstName => &[
                "exact",
                "nickname",
                "close",
                "similar",
                "phonetic",
                "initial",
                "different",
            ],
            Field::LastName => &["exact", "close", "similar", "phonetic", "different"],
            Field::Phone => &["exact", "last 7 digits", "one digit off", "different"],
            Field::Email => &["exact", "same local part", "close", "different"],
            Field::StreetNumber => &["exact", "one digit off", "different"],
            Field::Street | Field::Line2 | Field::City => {
                &["exact", "close", "similar", "different"]
            }
            Field::PostalCode => &["exact", "one digit off", "different"],
            Field::Region => &["exact", "different"],
        }
    }

    /// Prior m: how often two records of one customer reach each level.
    fn prior_m(self) -> &'static [f64] {
        match self {
            Field::FirstName => &[0.80, 0.03, 0.07, 0.03, 0.02, 0.02, 0.03],
            Field::LastName => &[0.84, 0.08, 0.03, 0.02, 0.03],
            Field::Phone => &[0.86, 0.04, 0.04, 0.06],
            Field::Email => &[0.86, 0.04, 0.04, 0.06],
            Field::StreetNumber => &[0.90, 0.05, 0.05],
            Field::Street | Field::City => &[0.82, 0.09, 0.04, 0.05],
            Field::Line2 => &[0.75, 0.10, 0.05, 0.10],
            Field::PostalCode => &[0.88, 0.07, 0.05],
            Field::Region => &[0.95, 0.05],
        }
    }

    /// Prior u: how often two records of different customers reach each
    /// level, before the book says otherwise (a small book cannot).
    fn prior_u(self) -> &'static [f64] {
        match self {
            Field::FirstName => &[0.01, 0.01, 0.02, 0.02, 0.02, 0.01, 0.91],
            Field::LastName => &[0.01, 0.01, 0.02, 0.02, 0.94],
            Field::Phone | Field::Email => &[0.0001, 0.0005, 0.002, 0.9974],
            Field::StreetNumber => &[0.01, 0.05, 0.94],
            Field::Street | Field::Line2 => &[0.01, 0.01, 0.03, 0.95],
            Field::City => &[0.2, 0.02, 0.05, 0.73],
            Field::PostalCode => &[0.1, 0.1, 0.8],
            Field::Region => &[0.8, 0.2],
        }
    }

    /// Whether an exact agreement is weighed by how common the value is.
    fn frequency_weighted(self) -> bool {
        matches!(
            self,
            Field::FirstName
                | Field::LastName
                | Field::Street
                | Field::Line2
                | Field::City
                | Field::PostalCode
        )
    }

    /// The field with this name.
    pub(crate) fn from_name(name: &str) -> Option<Field> {
        FIELDS.into_iter().find(|field| field.name() == name)
    }
}

/// A name part: normalised text, its Soundex code, its nickname groups,
/// and log2 of how common it is in the book.
#[derive(Debug, Clone)]
struct Token {
    text: String,
    sound: [u8; 4],
    nicknames: Vec<u16>,
    log_u: f64,
}

impl Token {
    fn new(text: String) -> Token {
        let sound = soundex(&text);
        let nicknames = nickname_groups(&text);
        Token {
            text,
            sound,
            nicknames,
            log_u: 0.0,
        }
    }
}

/// A normalised address: number, the street and the second line (which
/// people often swap), city, postal code, region, and how common each
/// value is.
#[derive(Debug, Clone, Default)]
struct Place {
    number: Option<String>,
    lines: [Option<String>; 2],
    city: Option<String>,
    postal: Option<String>,
    region: Option<String>,
    line_log_u: [f64; 2],
    city_log_u: f64,
    postal_log_u: f64,
}

/// A phone or email that is not evidence, and why.
#[derive(Debug, Clone)]
struct Ignored {
    value: String,
    why: String,
}

/// A customer as the matcher reads it.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// The customer (or record being typed).
    pub(crate) id: CustomerId,
    /// Its display name.
    pub(crate) name: String,
    first: Option<Token>,
    last: Option<Token>,
    phones: Vec<String>,
    emails: Vec<String>,
    places: Vec<Place>,
    ignored_phones: Vec<Ignored>,
    ignored_emails: Vec<Ignored>,
}

impl Profile {
    /// Reads a record's matching fields: the person's name (the primary
    /// contact's, else the first contact's, else the display name), every
    /// contact's phones and emails, and every location's address.
    pub(crate) fn build(
        id: CustomerId,
        display_name: &str,
        contacts: &[Contact],
        addresses: &[&Address],
        region: &NumberingPlan,
    ) -> Profile {
        let person = contacts
            .iter()
            .find(|contact| contact.primary)
            .or(contacts.first())
            .map_or(display_name, |contact| contact.name.as_str());
        let (first, last) = name_parts(person);
        let mut profile = Profile {
            id,
            name: display_name.to_owned(),
            first: first.map(Token::new),
            last: last.map(Token::new),
            phones: Vec::new(),
            emails: Vec::new(),
            places: Vec::new(),
            ignored_phones: Vec::new(),
            ignored_emails: Vec::new(),
        };
        for contact in contacts {
            for phone in &contact.phones {
                let digits = normalize(&phone.number, region, "phone")
                    .unwrap_or_else(|_| phone.number.clone())
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>();
                if let Some(why) = placeholder_phone(&digits) {
                    profile.ignored_phones.push(Ignored {
                        value: phone.number.clone(),
                        why: why.to_owned(),
                    });
                } else if !profile.phones.contains(&digits) {
                    profile.phones.push(digits);
                }
            }
            for email in &contact.emails {
                let canonical = canonical_email(email);
                if placeholder_email(&canonical) {
                    profile.ignored_emails.push(Ignored {
                        value: email.clone(),
                        why: "not counted (placeholder)".to_owned(),
                    });
                } else if !profile.emails.contains(&canonical) {
                    profile.emails.push(canonical);
                }
            }
        }
        for address in addresses {
            let (number, street) = street_parts(&address.line1);
            let line2 = address
                .line2
                .as_deref()
                .and_then(|line| street_parts(line).1);
            let place = Place {
                number,
                lines: [street, line2],
                city: clean_text(&address.city),
                postal: clean_postal(&address.postal_code),
                region: clean_text(&address.region),
                ..Place::default()
            };
            if place.number.is_some() || place.lines[0].is_some() || place.city.is_some() {
                profile.places.push(place);
            }
        }
        profile
    }
}

/// Fills in how common each name part and address value is, and takes
/// phones and emails shared by more than [`SHARED_LIMIT`] customers out of
/// the evidence.
pub(crate) fn prepare(profiles: &mut [Profile]) {
    let total = profiles.len().max(1) as f64;
    let key = |kind: u8, text: &str| fnv(&[&[kind], text.as_bytes()]);
    let mut counts: HashMap<u64, u32> = HashMap::with_capacity(profiles.len() * 8);
    let mut seen = Vec::new();
    for profile in profiles.iter() {
        seen.clear();
        for token in profile.first.iter().chain(profile.last.iter()) {
            seen.push(key(0, &token.text));
        }
        for place in &profile.places {
            seen.extend(place.lines.iter().flatten().map(|line| key(1, line)));
            seen.extend(place.city.iter().map(|city| key(2, city)));
            seen.extend(place.postal.iter().map(|postal| key(3, postal)));
        }
        seen.extend(profile.phones.iter().map(|phone| key(4, phone)));
        seen.extend(profile.emails.iter().map(|email| key(5, email)));
        seen.sort_unstable();
        seen.dedup();
        for &hash in &seen {
            *counts.entry(hash).or_default() += 1;
        }
    }
    let count = |kind: u8, text: &str| counts.get(&key(kind, text)).copied().unwrap_or(0);
    // log2 of a value's share of the book, drawn toward the field's prior
    // while the book is small: the u of an exact agreement on it.
    let log_u = |kind: u8, text: Option<&str>, field: Field| -> f64 {
        let count = text.map_or(0, |text| count(kind, text));
        let prior = field.prior_u()[0];
        ((f64::from(count) + prior * TF_PRIOR_STRENGTH) / (total + TF_PRIOR_STRENGTH))
            .max(1.0 / total)
            .log2()
    };
    for profile in profiles.iter_mut() {
        for token in profile.first.iter_mut().chain(profile.last.iter_mut()) {
            token.log_u = log_u(0, Some(&token.text), Field::LastName);
        }
        for place in &mut profile.places {
            place.line_log_u = [
                log_u(1, place.lines[0].as_deref(), Field::Street),
                log_u(1, place.lines[1].as_deref(), Field::Line2),
            ];
            place.city_log_u = log_u(2, place.city.as_deref(), Field::City);
            place.postal_log_u = log_u(3, place.postal.as_deref(), Field::PostalCode);
        }
        let shared = |kind: u8, value: &str| {
            Some(count(kind, value)).filter(|&count| count as usize > SHARED_LIMIT)
        };
        if profile
            .phones
            .iter()
            .any(|phone| shared(4, phone).is_some())
        {
            let (keep, drop): (Vec<String>, Vec<String>) = profile
                .phones
                .drain(..)
                .partition(|phone| shared(4, phone).is_none());
            for phone in drop {
                let count = shared(4, &phone).unwrap_or_default();
                profile.ignored_phones.push(Ignored {
                    value: format!("+{phone}"),
                    why: format!("not counted (shared by {count} customers)"),
                });
            }
            profile.phones = keep;
        }
        if profile
            .emails
            .iter()
            .any(|email| shared(5, email).is_some())
        {
            let (keep, drop): (Vec<String>, Vec<String>) = profile
                .emails
                .drain(..)
                .partition(|email| shared(5, email).is_none());
            for email in drop {
                let count = shared(5, &email).unwrap_or_default();
                profile.ignored_emails.push(Ignored {
                    value: email,
                    why: format!("not counted (shared by {count} customers)"),
                });
            }
            profile.emails = keep;
        }
    }
}

/// The blocking keys of a profile, as hashes.
fn blocking_keys(profile: &Profile) -> Vec<u64> {
    let mut keys = Vec::new();
    // The low bit says whether a key is strong (a phone, an email, an
    // address) or weak (a name's sound and an area), which caps its blocks.
    let mut key = |parts: &[&[u8]]| {
        let strong = matches!(
            parts[0],
            b"p" | b"p7" | b"e" | b"el" | b"np" | b"ns" | b"lp"
        );
        keys.push(fnv(parts) & !1 | u64::from(strong));
    };
    for phone in &profile.phones {
        key(&[b"p", phone.as_bytes()]);
        key(&[b"p7", last_digits(phone, 7).as_bytes()]);
    }
    for email in &profile.emails {
        key(&[b"e", email.as_bytes()]);
        if let Some((local, _)) = email.split_once('@')
            && local.len() >= 5
            && !generic_local(local)
        {
            key(&[b"el", local.as_bytes()]);
        }
    }
    let first = profile.first.as_ref();
    let last = profile.last.as_ref();
    if let (Some(first), Some(last)) = (first, last) {
        let (low, high) = if first.sound <= last.sound {
            (first.sound, last.sound)
        } else {
            (last.sound, first.sound)
        };
        key(&[b"fs", &low, &high]);
        let initial = first
            .text
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default();
        key(&[b"fl", initial.as_bytes(), last.text.as_bytes()]);
        for group in &first.nicknames {
            key(&[b"n", &group.to_le_bytes(), last.text.as_bytes()]);
        }
    }
    for place in &profile.places {
        let postal = place.postal.as_deref().map(str::as_bytes);
        if let (Some(number), Some(postal)) = (&place.number, postal) {
            key(&[b"np", number.as_bytes(), postal]);
        }
        if let Some(number) = &place.number {
            for line in place.lines.iter().flatten() {
                key(&[b"ns", number.as_bytes(), &soundex(line)]);
            }
        }
        if let (Some(line2), Some(postal)) = (&place.lines[1], postal) {
            key(&[b"lp", line2.as_bytes(), postal]);
        }
        for token in [first, last].into_iter().flatten() {
            for line in place.lines.iter().flatten() {
                key(&[b"sl", &token.sound, &soundex(line)]);
            }
            if let Some(postal) = postal {
                key(&[b"sp", &token.sound, postal]);
            }
            if let Some(city) = &place.city {
                key(&[b"sc", &token.sound, &soundex(city)]);
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The pairs worth comparing, as (lower index, higher index): every pair
/// sharing a blocking key. With `only`, just the pairs with that profile.
pub(crate) fn candidate_pairs(profiles: &[Profile], only: Option<usize>) -> Vec<(u32, u32)> {
    let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(profiles.len() * 16);
    for (index, profile) in profiles.iter().enumerate() {
        keyed.extend(
            blocking_keys(profile)
                .into_iter()
                .map(|key| (key, index as u32)),
        );
    }
    keyed.sort_unstable();
    let wanted: Option<Vec<u64>> = only.map(|target| blocking_keys(&profiles[target]));
    let mut pairs: Vec<u64> = Vec::new();
    for block in keyed.chunk_by(|x, y| x.0 == y.0) {
        match (only, &wanted) {
            (Some(target), Some(wanted)) => {
                if block.len() > MAX_BLOCK * 10 || wanted.binary_search(&block[0].0).is_err() {
                    continue;
                }
                for &(_, other) in block {
                    if other as usize != target {
                        pairs.push(pack(target as u32, other));
                    }
                }
            }
            _ => {
                let cap = if block[0].0 & 1 == 1 {
                    MAX_BLOCK
                } else {
                    MAX_WEAK_BLOCK
                };
                if block.len() < 2 || block.len() > cap {
                    continue;
                }
                for (i, &(_, a)) in block.iter().enumerate() {
                    for &(_, b) in &block[i + 1..] {
                        pairs.push(pack(a, b));
                    }
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
        .into_iter()
        .map(|packed| ((packed >> 32) as u32, packed as u32))
        .collect()
}

/// The pairs whose match weight is at least `min_weight`, with it: the
/// pairs are split among the machine's cores.
pub(crate) fn score(
    profiles: &[Profile],
    model: &Model,
    pairs: &[(u32, u32)],
    min_weight: f64,
) -> Vec<(u32, u32, f64)> {
    in_parallel(pairs, |chunk| {
        chunk
            .iter()
            .filter_map(|&(i, j)| {
                let (a, b) = (&profiles[i as usize], &profiles[j as usize]);
                let weight = model.total(a, &compare(a, b, Some(model)));
                (weight >= min_weight).then_some((i, j, weight))
            })
            .collect()
    })
}

/// `work` over `items` split into one chunk per core (at most four), the
/// results in the order of the items.
pub(crate) fn in_parallel<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if threads == 1 || items.len() < 2_000 {
        return work(items);
    }
    let size = items.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(size)
            .map(|chunk| scope.spawn(|| work(chunk)))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    })
}

fn pack(a: u32, b: u32) -> u64 {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    (u64::from(low) << 32) | u64::from(high)
}

/// The levels two profiles reach, field by field (`None`: a side has no
/// value), and which values were compared.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outcome {
    levels: [Option<u8>; 10],
    /// Whether the names matched best with first and last swapped.
    swapped: bool,
    /// Which name part (0 first, 1 last) of a and of b each name field compared.
    names: [(u8, u8); 2],
    /// Which address line (0 street, 1 second line) of a and of b the
    /// street and second-line fields compared.
    lines: [(u8, u8); 2],
    phone: Option<(usize, usize)>,
    email: Option<(usize, usize)>,
    place: Option<(usize, usize)>,
}

impl Outcome {
    /// The level of `field`, if it was compared.
    pub(crate) fn level(&self, field: Field) -> Option<u8> {
        self.levels[field as usize]
    }
}

/// The weight of each level of each field, and the prior.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// log2(m/u) of each level of each field.
    weights: Vec<Vec<f64>>,
    /// log2(m) of each field's exact level, for value-weighted agreements.
    log_m_exact: Vec<f64>,
    /// log2 of the prior odds of a random pair.
    pub(crate) prior: f64,
}

/// What the model learns from: the office's confirmed pairs (their levels)
/// and rejected pairs (their levels).
#[derive(Debug, Clone, Default)]
pub(crate) struct Lessons {
    /// Levels of pairs confirmed as one customer.
    pub(crate) same: Vec<Vec<(Field, u8)>>,
    /// Levels of pairs rejected as not duplicates.
    pub(crate) different: Vec<Vec<(Field, u8)>>,
}

impl Model {
    /// Estimates the model for `profiles`: u from random pairs (and the
    /// rejected pairs), m from the priors and the confirmed pairs.
    pub(crate) fn estimate(profiles: &[Profile], lessons: &Lessons) -> Model {
        let n = profiles.len();
        let mut u_counts: Vec<Vec<f64>> = FIELDS
            .iter()
            .map(|field| vec![0.0; field.levels().len()])
            .collect();
        if n >= 2 {
            let total_pairs = (n as u128) * (n as u128 - 1) / 2;
            let sample: Vec<(usize, usize)> = if total_pairs <= U_SAMPLE as u128 {
                (0..n)
                    .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
                    .collect()
            } else {
                let mut rng = SplitMix(0x9e37_79b9_7f4a_7c15 ^ n as u64);
                (0..U_SAMPLE)
                    .map(|_| {
                        let a = rng.below(n);
                        let b = rng.below(n - 1);
                        (a, if b >= a { b + 1 } else { b })
                    })
                    .collect()
            };
            let levels = in_parallel(&sample, |chunk| {
                chunk
                    .iter()
                    .map(|&(a, b)| compare(&profiles[a], &profiles[b], None).levels)
                    .collect()
            });
            for outcome in levels {
                for (field, level) in FIELDS.iter().zip(outcome) {
                    if let Some(level) = level {
                        u_counts[*field as usize][level as usize] += 1.0;
                    }
                }
            }
        }
        for pair in &lessons.different {
            for &(field, level) in pair {
                if let Some(count) = u_counts[field as usize].get_mut(level as usize) {
                    *count += 1.0;
                }
            }
        }
        let u: Vec<Vec<f64>> = u_counts
            .iter()
            .zip(FIELDS)
            .map(|(counts, field)| {
                let total: f64 = counts.iter().sum();
                counts
                    .iter()
                    .zip(field.prior_u())
                    .map(|(count, prior)| {
                        (count + prior * U_PRIOR_STRENGTH) / (total + U_PRIOR_STRENGTH)
                    })
                    .collect()
            })
            .collect();
        let mut m_counts: Vec<Vec<f64>> = FIELDS
            .iter()
            .map(|field| field.prior_m().iter().map(|p| p * PRIOR_STRENGTH).collect())
            .collect();
        for pair in &lessons.same {
            for &(field, level) in pair {
                if let Some(count) = m_counts[field as usize].get_mut(level as usize) {
                    *count += 1.0;
                }
            }
        }
        let m: Vec<Vec<f64>> = m_counts
            .iter()
            .map(|counts| {
                let total: f64 = counts.iter().sum();
                counts.iter().map(|count| count / total).collect()
            })
            .collect();
        let lambda = if n >= 2 {
            (EXPECTED_DUPLICATE_SHARE / (n as f64 - 1.0)).min(0.5)
        } else {
            0.5
        };
        Model {
            weights: m
                .iter()
                .zip(&u)
                .map(|(m, u)| m.iter().zip(u).map(|(m, u)| (m / u).log2()).collect())
                .collect(),
            log_m_exact: m.iter().map(|m| m[0].log2()).collect(),
            prior: (lambda / (1.0 - lambda)).log2(),
        }
    }

    /// The weight of `field` at `level`; an exact agreement on a value
    /// weighted by how common it is uses `log_u`, log2 of that value's u.
    fn weight(&self, field: Field, level: u8, log_u: Option<f64>) -> f64 {
        match log_u {
            Some(log_u) if level == 0 && field.frequency_weighted() => {
                self.log_m_exact[field as usize] - log_u
            }
            _ => self.weights[field as usize][level as usize],
        }
    }

    /// The total weight of a compared pair.
    pub(crate) fn total(&self, a: &Profile, outcome: &Outcome) -> f64 {
        let mut total = self.prior;
        for field in FIELDS {
            if let Some(level) = outcome.level(field) {
                total += self.weight(field, level, frequency(a, outcome, field));
            }
        }
        total
    }

    /// One explanation line per comparison, in field order; their weights
    /// and the prior sum to [`Model::total`].
    pub(crate) fn explain(
        &self,
        a: &Profile,
        b: &Profile,
        outcome: &Outcome,
    ) -> Vec<FieldComparison> {
        let mut lines = Vec::new();
        for field in FIELDS {
            let Some(level) = outcome.level(field) else {
                if let Some(line) = ignored_line(a, b, field) {
                    lines.push(line);
                }
                continue;
            };
            let (a_value, b_value) = values(a, b, outcome, field);
            let mut level_name = field.levels()[level as usize].to_owned();
            if outcome.swapped && matches!(field, Field::FirstName | Field::LastName) {
                level_name.push_str(" (first and last swapped)");
            }
            lines.push(FieldComparison {
                field: field.name().to_owned(),
                a_value,
                b_value,
                level: level_name,
                weight: self.weight(field, level, frequency(a, outcome, field)),
            });
        }
        lines
    }
}

/// The probability of a match weight in bits.
pub(crate) fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// A line for a field not compared because one side's value was not
/// evidence: the same shared or placeholder phone (email) on both.
fn ignored_line(a: &Profile, b: &Profile, field: Field) -> Option<FieldComparison> {
    let (left, right) = match field {
        Field::Phone => (&a.ignored_phones, &b.ignored_phones),
        Field::Email => (&a.ignored_emails, &b.ignored_emails),
        _ => return None,
    };
    let both = left
        .iter()
        .find(|ignored| right.iter().any(|other| other.value == ignored.value))?;
    Some(FieldComparison {
        field: field.name().to_owned(),
        a_value: both.value.clone(),
        b_value: both.value.clone(),
        level: both.why.clone(),
        weight: 0.0,
    })
}

/// The name part (`0` first, `1` last) of a profile.
fn part(profile: &Profile, which: u8) -> Option<&Token> {
    if which == 0 {
        profile.first.as_ref()
    } else {
        profile.last.as_ref()
    }
}

/// log2 of the u of the exactly agreeing value of `field`, for the
/// fields weighted by how common their values are.
fn frequency(a: &Profile, outcome: &Outcome, field: Field) -> Option<f64> {
    let place = || outcome.place.and_then(|(i, _)| a.places.get(i));
    match field {
        Field::FirstName => part(a, outcome.names[0].0).map(|token| token.log_u),
        Field::LastName => part(a, outcome.names[1].0).map(|token| token.log_u),
        Field::Street => place().map(|place| place.line_log_u[usize::from(outcome.lines[0].0)]),
        Field::Line2 => place().map(|place| place.line_log_u[usize::from(outcome.lines[1].0)]),
        Field::City => place().map(|place| place.city_log_u),
        Field::PostalCode => place().map(|place| place.postal_log_u),
        _ => None,
    }
}

/// The two values a line shows.
fn values(a: &Profile, b: &Profile, outcome: &Outcome, field: Field) -> (String, String) {
    let text = |token: Option<&Token>| token.map(|t| t.text.clone()).unwrap_or_default();
    match field {
        Field::FirstName | Field::LastName => {
            let (i, j) = outcome.names[usize::from(field == Field::LastName)];
            (text(part(a, i)), text(part(b, j)))
        }
        Field::Phone => outcome
            .phone
            .map(|(i, j)| (format!("+{}", a.phones[i]), format!("+{}", b.phones[j])))
            .unwrap_or_default(),
        Field::Email => outcome
            .email
            .map(|(i, j)| (a.emails[i].clone(), b.emails[j].clone()))
            .unwrap_or_default(),
        _ => {
            let Some((pa, pb)) = outcome
                .place
                .and_then(|(i, j)| a.places.get(i).zip(b.places.get(j)))
            else {
                return Default::default();
            };
            let pick = |p: &Place, side: usize| match field {
                Field::StreetNumber => p.number.clone(),
                Field::Street => p.lines[side].clone(),
                Field::Line2 => p.lines[side].clone(),
                Field::City => p.city.clone(),
                Field::PostalCode => p.postal.clone(),
                _ => p.region.clone(),
            };
            let (i, j) = match field {
                Field::Street => outcome.lines[0],
                Field::Line2 => outcome.lines[1],
                _ => (0, 0),
            };
            (
                pick(pa, usize::from(i)).unwrap_or_default(),
                pick(pb, usize::from(j)).unwrap_or_default(),
            )
        }
    }
}

/// Compares two profiles field by field. With a `model`, a choice between
/// ways of pairing values (names swapped or not, which phone, which
/// address) takes the one with the most weight; without, the best levels.
/// Either way the choice is the same from both sides: `compare(a, b)` and
/// `compare(b, a)` reach the same levels.
pub(crate) fn compare(a: &Profile, b: &Profile, model: Option<&Model>) -> Outcome {
    let mut outcome = Outcome::default();
    compare_names(a, b, model, &mut outcome);
    let best = |pairs: &mut dyn Iterator<Item = ((usize, usize), u8)>| {
        pairs.min_by_key(|&((i, j), level)| (level, i.min(j), i.max(j)))
    };
    if let Some((pair, level)) = best(&mut product(&a.phones, &b.phones, phone_level)) {
        outcome.levels[Field::Phone as usize] = Some(level);
        outcome.phone = Some(pair);
    }
    if let Some((pair, level)) = best(&mut product(&a.emails, &b.emails, email_level)) {
        outcome.levels[Field::Email as usize] = Some(level);
        outcome.email = Some(pair);
    }
    let mut chosen: Option<((usize, usize), PlaceLevels, f64)> = None;
    for (i, pa) in a.places.iter().enumerate() {
        for (j, pb) in b.places.iter().enumerate() {
            let levels = place_levels(pa, pb);
            let score = match model {
                Some(model) => PLACE_FIELDS
                    .iter()
                    .zip(levels.levels)
                    .filter_map(|(&field, level)| {
                        let freq = match field {
                            Field::Street => Some(pa.line_log_u[usize::from(levels.lines[0].0)]),
                            Field::Line2 => Some(pa.line_log_u[usize::from(levels.lines[1].0)]),
                            Field::City => Some(pa.city_log_u),
                            Field::PostalCode => Some(pa.postal_log_u),
                            _ => None,
                        };
                        level.map(|level| model.weight(field, level, freq))
                    })
                    .sum(),
                None => goodness(&levels.levels, &PLACE_FIELDS),
            };
            if chosen.as_ref().is_none_or(|(_, _, best)| score > *best) {
                chosen = Some(((i, j), levels, score));
            }
        }
    }
    if let Some((pair, levels, _)) = chosen {
        for (field, level) in PLACE_FIELDS.iter().zip(levels.levels) {
            outcome.levels[*field as usize] = level;
        }
        outcome.lines = levels.lines;
        outcome.place = Some(pair);
    }
    outcome
}

const PLACE_FIELDS: [Field; 6] = [
    Field::StreetNumber,
    Field::Street,
    Field::Line2,
    Field::City,
    Field::PostalCode,
    Field::Region,
];

/// How good some levels are without a model: 1 for exact, 0 for different.
fn goodness(levels: &[Option<u8>], fields: &[Field]) -> f64 {
    levels
        .iter()
        .zip(fields)
        .filter_map(|(level, field)| {
            let last = field.levels().len() as f64 - 1.0;
            level.map(|level| (last - f64::from(level)) / last)
        })
        .sum()
}

/// Every pairing of two value lists with its level.
fn product<'a>(
    left: &'a [String],
    right: &'a [String],
    level: fn(&str, &str) -> u8,
) -> impl Iterator<Item = ((usize, usize), u8)> + 'a {
    left.iter().enumerate().flat_map(move |(i, x)| {
        right
            .iter()
            .enumerate()
            .map(move |(j, y)| ((i, j), level(x, y)))
    })
}

/// Compares the name parts straight and swapped, keeping the better.
fn compare_names(a: &Profile, b: &Profile, model: Option<&Model>, outcome: &mut Outcome) {
    let straight = [(0, 0), (1, 1)];
    // Swapped: a's first with b's last and a's last with b's first. Which
    // of the two crossed pairs counts as the first name is decided by the
    // values alone, so both orders of the records agree.
    let crossed_key = |(i, j): (u8, u8)| {
        let x = part(a, i).map_or("", |t| t.text.as_str());
        let y = part(b, j).map_or("", |t| t.text.as_str());
        if x <= y { (x, y) } else { (y, x) }
    };
    let swapped = if crossed_key((0, 1)) <= crossed_key((1, 0)) {
        [(0, 1), (1, 0)]
    } else {
        [(1, 0), (0, 1)]
    };
    let levels_of = |names: [(u8, u8); 2]| -> [Option<u8>; 2] {
        let first = match (part(a, names[0].0), part(b, names[0].1)) {
            (Some(x), Some(y)) => Some(first_name_level(x, y)),
            _ => None,
        };
        let last = match (part(a, names[1].0), part(b, names[1].1)) {
            (Some(x), Some(y)) => Some(last_name_level(x, y)),
            _ => None,
        };
        [first, last]
    };
    let score = |names: [(u8, u8); 2], levels: [Option<u8>; 2]| -> f64 {
        match model {
            Some(model) => [Field::FirstName, Field::LastName]
                .iter()
                .zip(levels)
                .zip(names)
                .filter_map(|((&field, level), (i, _))| {
                    level.map(|level| model.weight(field, level, part(a, i).map(|t| t.log_u)))
                })
                .sum(),
            None => goodness(&levels, &[Field::FirstName, Field::LastName]),
        }
    };
    let straight_levels = levels_of(straight);
    let swapped_levels = levels_of(swapped);
    let use_swapped = score(swapped, swapped_levels) > score(straight, straight_levels) + 1e-9;
    let (names, levels) = if use_swapped {
        (swapped, swapped_levels)
    } else {
        (straight, straight_levels)
    };
    outcome.swapped = use_swapped;
    outcome.names = names;
    outcome.levels[Field::FirstName as usize] = levels[0];
    outcome.levels[Field::LastName as usize] = levels[1];
}

fn first_name_level(a: &Token, b: &Token) -> u8 {
    if a.text == b.text {
        return 0;
    }
    if a.nicknames.iter().any(|group| b.nicknames.contains(group)) {
        return 1;
    }
    if a.text.len() == 1 || b.text.len() == 1 {
        return if a.text.as_bytes()[0] == b.text.as_bytes()[0] {
            5
        } else {
            6
        };
    }
    match similarity_level(&a.text, &b.text) {
        0 => 2,
        1 => 3,
        _ if a.sound == b.sound => 4,
        _ => 6,
    }
}

fn last_name_level(a: &Token, b: &Token) -> u8 {
    if a.text == b.text {
        return 0;
    }
    match similarity_level(&a.text, &b.text) {
        0 => 1,
        1 => 2,
        _ if a.sound == b.sound => 3,
        _ => 4,
    }
}

fn phone_level(a: &str, b: &str) -> u8 {
    if a == b {
        0
    } else if last_digits(a, 7) == last_digits(b, 7) {
        1
    } else if one_digit_off(a, b) {
        2
    } else {
        3
    }
}

fn email_level(a: &str, b: &str) -> u8 {
    if a == b {
        return 0;
    }
    let (local_a, _) = a.split_once('@').unwrap_or((a, ""));
    let (local_b, _) = b.split_once('@').unwrap_or((b, ""));
    if local_a == local_b && local_a.len() >= 4 && !generic_local(local_a) {
        1
    } else if similarity_level(a, b) == 0 {
        2
    } else {
        3
    }
}

/// The levels two places reach, and which address lines were compared.
#[derive(Debug, Clone, Copy)]
struct PlaceLevels {
    /// Number, street, second line, city, postal code, region.
    levels: [Option<u8>; 6],
    /// Which line of each place the street and second-line fields compared.
    lines: [(u8, u8); 2],
}

/// Street number, street, second line, city, postal code and region levels
/// of two places. The street and second line are compared straight or
/// crossed (a street typed in the second line), whichever agrees better.
fn place_levels(a: &Place, b: &Place) -> PlaceLevels {
    fn both<'a>(x: &'a Option<String>, y: &'a Option<String>) -> Option<(&'a str, &'a str)> {
        x.as_deref().zip(y.as_deref())
    }
    let text_level = |x: &str, y: &str| {
        if x == y {
            0
        } else {
            1 + similarity_level(x, y)
        }
    };
    let digits_level = |x: &str, y: &str| {
        if x == y {
            0
        } else if one_digit_off(x, y) {
            1
        } else {
            2
        }
    };
    let line_levels = |pairs: [(u8, u8); 2]| -> [Option<u8>; 2] {
        pairs.map(|(i, j)| {
            both(&a.lines[usize::from(i)], &b.lines[usize::from(j)]).map(|(x, y)| text_level(x, y))
        })
    };
    let straight = [(0, 0), (1, 1)];
    let key = |(i, j): (u8, u8)| {
        let x = a.lines[usize::from(i)].as_deref().unwrap_or("");
        let y = b.lines[usize::from(j)].as_deref().unwrap_or("");
        if x <= y { (x, y) } else { (y, x) }
    };
    let crossed = if key((0, 1)) <= key((1, 0)) {
        [(0, 1), (1, 0)]
    } else {
        [(1, 0), (0, 1)]
    };
    let line_fields = [Field::Street, Field::Line2];
    let (straight_levels, crossed_levels) = (line_levels(straight), line_levels(crossed));
    let (lines, found) = if goodness(&crossed_levels, &line_fields)
        > goodness(&straight_levels, &line_fields) + 1e-9
    {
        (crossed, crossed_levels)
    } else {
        (straight, straight_levels)
    };
    PlaceLevels {
        levels: [
            both(&a.number, &b.number).map(|(x, y)| digits_level(x, y)),
            found[0],
            found[1],
            both(&a.city, &b.city).map(|(x, y)| text_level(x, y)),
            both(&a.postal, &b.postal).map(|(x, y)| digits_level(x, y)),
            both(&a.region, &b.region).map(|(x, y)| u8::from(x != y)),
        ],
        lines,
    }
}

/// Same length and one character different, or two neighbours swapped.
fn one_digit_off(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match differ.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

fn last_digits(digits: &str, count: usize) -> &str {
    &digits[digits.len().saturating_sub(count)..]
}

/// How alike two texts are: `0` for a Jaro–Winkler similarity of at
/// least 0.92, `1` for at least 0.84, `2` below. Texts whose letters could
/// not reach 0.84 however they were arranged are told apart without the
/// full computation (most random pairs).
fn similarity_level(a: &str, b: &str) -> u8 {
    if a.is_ascii() && b.is_ascii() && !could_reach(a.as_bytes(), b.as_bytes(), 0.84) {
        return 2;
    }
    let similarity = jaro_winkler(a, b);
    if similarity >= 0.92 {
        0
    } else if similarity >= 0.84 {
        1
    } else {
        2
    }
}

/// Whether two ASCII texts could have a Jaro–Winkler similarity of at
/// least `bound`: an upper limit from their shared letters and prefix.
fn could_reach(a: &[u8], b: &[u8], bound: f64) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let mut counts = [0i16; 128];
    for &c in a {
        counts[usize::from(c & 0x7f)] += 1;
    }
    let mut shared = 0usize;
    for &c in b {
        let slot = &mut counts[usize::from(c & 0x7f)];
        if *slot > 0 {
            *slot -= 1;
            shared += 1;
        }
    }
    if shared == 0 {
        return false;
    }
    let m = shared as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro) >= bound
}

/// Jaro–Winkler similarity (prefix scale 0.1, up to 4 characters).
/// Computed on the two strings in a fixed order, so it is symmetric.
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    if a.is_ascii() && b.is_ascii() {
        jaro_winkler_of(a.as_bytes(), b.as_bytes())
    } else {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        jaro_winkler_of(&a, &b)
    }
}

fn jaro_winkler_of<T: PartialEq + Copy>(a: &[T], b: &[T]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_matched = [false; 64];
    let mut b_matched = [false; 64];
    if a.len() > 64 || b.len() > 64 {
        return if a == b { 1.0 } else { 0.0 };
    }
    let mut matches = 0usize;
    for (i, x) in a.iter().enumerate() {
        let start = i.saturating_sub(window);
        let end = (i + window + 1).min(b.len());
        for j in start..end {
            if !b_matched[j] && b[j] == *x {
                a_matched[i] = true;
                b_matched[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, x) in a.iter().enumerate() {
        if !a_matched[i] {
            continue;
        }
        while !b_matched[k] {
            k += 1;
        }
        if *x != b[k] {
            transpositions += 1;
        }
        k += 1;
    }
    let m = matches as f64;
    let jaro =
        (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// American Soundex of the letters of `text` (`R163` for "robert").
pub(crate) fn soundex(text: &str) -> [u8; 4] {
    let code = |c: u8| match c {
        b'b' | b'f' | b'p' | b'v' => b'1',
        b'c' | b'g' | b'j' | b'k' | b'q' | b's' | b'x' | b'z' => b'2',
        b'd' | b't' => b'3',
        b'l' => b'4',
        b'm' | b'n' => b'5',
        b'r' => b'6',
        b'h' | b'w' => b'h',
        _ => b'0',
    };
    let letters: Vec<u8> = text
        .bytes()
        .map(|c| c.to_ascii_lowercase())
        .filter(u8::is_ascii_lowercase)
        .collect();
    let mut out = [b'0'; 4];
    let Some(&first) = letters.first() else {
        return out;
    };
    out[0] = first.to_ascii_uppercase();
    let mut last = code(first);
    let mut at = 1;
    for &c in &letters[1..] {
        let digit = code(c);
        if digit == b'h' {
            continue;
        }
        if digit != b'0' && digit != last {
            out[at] = digit;
            at += 1;
            if at == 4 {
                break;
            }
        }
        last = digit;
    }
    out
}

/// Common given names and their nicknames; a name may be in several groups.
const NICKNAMES: &[&[&str]] = &[
    &["william", "will", "bill", "billy", "willy", "liam", "wil"],
    &["robert", "rob", "bob", "bobby", "robbie", "bert"],
    &["richard", "rich", "rick", "ricky", "dick", "richie"],
    &["james", "jim", "jimmy", "jamie"],
    &["john", "jack", "johnny", "jon", "jonathan"],
    &["joseph", "joe", "joey", "jose"],
    &["michael", "mike", "mikey", "mick", "mickey"],
    &["thomas", "tom", "tommy"],
    &["charles", "charlie", "chuck", "chas"],
    &["christopher", "chris", "topher", "kit"],
    &["daniel", "dan", "danny"],
    &["david", "dave", "davey"],
    &["edward", "ed", "eddie", "ted", "teddy", "ned"],
    &[
        "elizabeth",
        "liz",
        "lizzie",
        "beth",
        "betty",
        "betsy",
        "eliza",
        "libby",
    ],
    &[
        "margaret", "maggie", "meg", "peggy", "marge", "margie", "greta",
    ],
    &[
        "katherine",
        "catherine",
        "kathryn",
        "kate",
        "katie",
        "kathy",
        "cathy",
        "kat",
        "kitty",
    ],
    &["jennifer", "jen", "jenny", "jenn"],
    &["patricia", "pat", "patty", "trish", "tricia"],
    &["patrick", "pat", "paddy", "rick"],
    &["susan", "sue", "susie", "suzy"],
    &["deborah", "debra", "deb", "debbie"],
    &["rebecca", "becky", "becca"],
    &["anthony", "tony"],
    &["andrew", "andy", "drew"],
    &["alexander", "alex", "al", "sandy", "xander"],
    &["alexandra", "alex", "sandra", "sandy", "lexi"],
    &["albert", "al", "bert", "bertie"],
    &["alan", "allan", "allen", "al"],
    &["benjamin", "ben", "benny", "benji"],
    &["samuel", "sam", "sammy"],
    &["samantha", "sam", "sammy"],
    &["matthew", "matt", "matty"],
    &["nicholas", "nick", "nicky", "nico"],
    &["steven", "stephen", "steve", "stevie"],
    &["timothy", "tim", "timmy"],
    &["gregory", "greg"],
    &["jeffrey", "geoffrey", "jeff", "geoff"],
    &["kenneth", "ken", "kenny"],
    &["ronald", "ron", "ronnie"],
    &["donald", "don", "donnie"],
    &["douglas", "doug"],
    &["gerald", "gerry", "jerry"],
    &["lawrence", "laurence", "larry"],
    &["raymond", "ray"],
    &["peter", "pete"],
    &["philip", "phillip", "phil"],
    &["frederick", "fred", "freddie", "fredrick"],
    &["francis", "frank", "frankie", "fran"],
    &["frances", "fran", "frannie"],
    &["henry", "hank", "harry"],
    &["harold", "harry", "hal"],
    &["victoria", "vicky", "tori"],
    &["christine", "christina", "chris", "tina", "chrissy"],
    &["barbara", "barb", "barbie"],
    &["dorothy", "dot", "dottie"],
    &["jacqueline", "jackie"],
    &["pamela", "pam"],
    &["cynthia", "cindy"],
    &["kimberly", "kim"],
    &["abigail", "abby", "gail"],
    &["nancy", "nan", "ann"],
    &["anne", "ann", "anna", "annie", "hannah"],
    &["mary", "molly", "polly", "mae", "maria", "marie"],
    &["theresa", "teresa", "terry", "tess", "tessa"],
    &["terence", "terrence", "terry"],
    &["zachary", "zach", "zack"],
    &["joshua", "josh"],
    &["jessica", "jess", "jessie"],
    &["leonard", "leo", "len", "lenny"],
    &["vincent", "vince", "vinny"],
    &["walter", "walt", "wally"],
    &["eugene", "gene"],
    &["stanley", "stan"],
    &["louis", "lou", "louie", "luis"],
    &["gabriel", "gabe"],
    &["isabel", "isabella", "bella", "izzy"],
    &["madeline", "madeleine", "maddie", "maddy"],
    &["natalie", "nat", "natasha"],
    &["olivia", "liv", "livvy"],
    &["sophia", "sophie"],
    &["emily", "em", "emmy"],
    &["angela", "angie"],
    &["caroline", "carol", "carrie", "carolyn"],
    &["guadalupe", "lupe", "lupita"],
    &["francisco", "paco", "pancho", "frank"],
    &["alejandro", "alex", "alejo"],
    &["roberto", "beto", "rob"],
    &["eduardo", "lalo", "ed"],
    &["enrique", "kike", "henry"],
    &["ignacio", "nacho"],
    &["jesus", "chuy"],
];

/// The nickname groups a given name belongs to.
fn nickname_groups(name: &str) -> Vec<u16> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<u16>>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index: HashMap<&'static str, Vec<u16>> = HashMap::new();
        for (group, names) in NICKNAMES.iter().enumerate() {
            for name in *names {
                index.entry(name).or_default().push(group as u16);
            }
        }
        index
    });
    index.get(name).cloned().unwrap_or_default()
}

/// Lower-case words of `text`, punctuation as spaces.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Values that mean "nothing here".
const PLACEHOLDER_WORDS: &[&str] = &[
    "na",
    "n a",
    "none",
    "unknown",
    "unk",
    "tbd",
    "test",
    "x",
    "xx",
    "xxx",
    "null",
    "nil",
    "no",
    "no name",
    "noname",
    "customer",
    "not provided",
    "not given",
    "blank",
    "n",
    "",
];

/// Whether a value means "nothing here" (`N/A`, `unknown`, `TBD`, `-`).
pub(crate) fn placeholder(text: &str) -> bool {
    placeholder_text(&words(text))
}

fn placeholder_text(words: &[String]) -> bool {
    let joined = words.join(" ");
    PLACEHOLDER_WORDS.contains(&joined.as_str())
}

fn clean_text(text: &str) -> Option<String> {
    let words = words(text);
    (!placeholder_text(&words)).then(|| words.join(" "))
}

fn clean_postal(text: &str) -> Option<String> {
    let code: String = text
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let repeated = code.len() > 1 && code.bytes().all(|c| c == code.as_bytes()[0]);
    (!code.is_empty() && !repeated && !placeholder_text(&[code.to_lowercase()])).then_some(code)
}

/// Titles and suffixes that are not part of a name.
const NAME_NOISE: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "jr", "sr", "ii", "iii", "iv", "esq", "and", "the",
];

/// The first and last name of a person's name as written: "Maria Lopez",
/// "Lopez, Maria", "Dr. Maria G. Lopez Jr". One word is taken as a last name.
pub(crate) fn name_parts(name: &str) -> (Option<String>, Option<String>) {
    // "Sara-Louise", "O'Brien": one word each.
    let name: String = name
        .chars()
        .filter(|c| !matches!(c, '-' | '\'' | '’'))
        .collect();
    let (given, family) = match name.split_once(',') {
        Some((family, given)) => (words(given), words(family)),
        None => (words(&name), Vec::new()),
    };
    let clean = |list: Vec<String>| -> Vec<String> {
        list.into_iter()
            .filter(|word| !NAME_NOISE.contains(&word.as_str()))
            .collect()
    };
    let (given, family) = (clean(given), clean(family));
    if placeholder_text(&given) && placeholder_text(&family) {
        return (None, None);
    }
    if !family.is_empty() {
        return (given.first().cloned(), family.last().cloned());
    }
    match given.as_slice() {
        [] => (None, None),
        [only] => (None, Some(only.clone())),
        [first, .., last] => (Some(first.clone()), Some(last.clone())),
    }
}

/// The street number and standardised street name of an address line:
/// lower case, abbreviations in their short form (`street` → `st`).
pub(crate) fn street_parts(line: &str) -> (Option<String>, Option<String>) {
    let words = words(line);
    if placeholder_text(&words) {
        return (None, None);
    }
    let mut rest = words.as_slice();
    let mut number = None;
    if let Some(first) = rest.first()
        && first.starts_with(|c: char| c.is_ascii_digit())
    {
        number = Some(first.clone());
        rest = &rest[1..];
    }
    let street: Vec<&str> = rest
        .iter()
        .map(|word| {
            ADDRESS_ABBREVIATIONS
                .iter()
                .find(|(full, _)| full == word)
                .map_or(word.as_str(), |(_, short)| short)
        })
        .collect();
    let street = (!street.is_empty()).then(|| street.join(" "));
    (number, street)
}

/// The form of an email two spellings of one mailbox share: lower case,
/// no `+tag`, and for Gmail no dots before the `@`.
pub(crate) fn canonical_email(email: &str) -> String {
    let email = email.trim().to_lowercase();
    let Some((local, domain)) = email.split_once('@') else {
        return email;
    };
    let local = local.split('+').next().unwrap_or(local);
    let domain = if domain == "googlemail.com" {
        "gmail.com"
    } else {
        domain
    };
    if domain == "gmail.com" {
        format!("{}@{domain}", local.replace('.', ""))
    } else {
        format!("{local}@{domain}")
    }
}

/// Mailbox names many people share (`info@`, `office@`).
fn generic_local(local: &str) -> bool {
    const GENERIC: &[&str] = &[
        "info",
        "office",
        "admin",
        "contact",
        "sales",
        "billing",
        "accounts",
        "hello",
        "service",
        "support",
        "mail",
        "manager",
        "frontdesk",
        "reception",
    ];
    GENERIC.contains(&local)
}

/// Whether an email is a placeholder (`test@test.com`, `none@none.com`).
pub(crate) fn placeholder_email(canonical: &str) -> bool {
    const LOCALS: &[&str] = &[
        "test",
        "none",
        "noemail",
        "nomail",
        "no",
        "na",
        "unknown",
        "nobody",
        "noreply",
        "no-reply",
        "donotreply",
        "fake",
        "asdf",
        "x",
        "xx",
        "xxx",
        "null",
        "email",
        "abc",
    ];
    const DOMAINS: &[&str] = &[
        "test.com",
        "example.com",
        "example.org",
        "example.net",
        "none.com",
        "noemail.com",
        "nomail.com",
        "email.invalid",
        "fake.com",
        "asdf.com",
    ];
    let (local, domain) = canonical.split_once('@').unwrap_or((canonical, ""));
    LOCALS.contains(&local) || DOMAINS.contains(&domain)
}

/// Why a phone's digits are a placeholder (`555-555-5555`, `000-000-0000`,
/// `123-456-7890`), if they are.
pub(crate) fn placeholder_phone(digits: &str) -> Option<&'static str> {
    let national = last_digits(digits, 10);
    let first = national.as_bytes().first().copied()?;
    if national.len() < 7 {
        return Some("not counted (too short)");
    }
    let repeated = national.bytes().filter(|&c| c == first).count();
    let tail = last_digits(national, 7);
    let tail_repeated = tail.bytes().all(|c| c == tail.as_bytes()[0]);
    if repeated == national.len()
        || tail_repeated
        || national == "1234567890"
        || national == "0123456789"
        || tail == "1234567"
    {
        return Some("not counted (placeholder)");
    }
    None
}

/// 64-bit FNV-1a over the parts, with a separator between them.
fn fnv(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &byte in part.iter().chain(std::iter::once(&0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// A small deterministic generator for sampling pairs (SplitMix64).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContactRole;

    fn us() -> &'static NumberingPlan {
        NumberingPlan::find("US").unwrap()
    }

    fn person(name: &str, phone: Option<&str>, email: Option<&str>, line1: &str) -> Profile {
        let mut contact = Contact::new(name, ContactRole::Owner).primary();
        if let Some(phone) = phone {
            contact = contact.with_phone(phone, true);
        }
        if let Some(email) = email {
            contact = contact.with_email(email);
        }
        let address = Address::new(line1, "Tampa", "FL", "33602", "US");
        Profile::build(CustomerId::new(), name, &[contact], &[&address], us())
    }

    /// `count` distinct people, none alike.
    fn filler(count: usize) -> Vec<Profile> {
        const FIRST: &[&str] = &[
            "alma", "boris", "cleo", "dmitri", "esme", "farid", "gwen", "hugo", "ines", "jorge",
            "kenji", "lotte", "milo", "nadia", "oskar", "priya", "quinn",
        ];
        const LAST: &[&str] = &[
            "abbot",
            "brandt",
            "castillo",
            "dunmore",
            "eriksen",
            "fairweather",
            "gallo",
            "hollis",
            "ivanova",
            "jansen",
            "kowalski",
            "lindqvist",
            "moreau",
            "nakamura",
            "okafor",
            "petrov",
            "quintero",
            "rasmussen",
            "sato",
        ];
        const STREET: &[&str] = &[
            "Birch", "Cedar", "Dogwood", "Fir", "Hawthorn", "Juniper", "Laurel", "Magnolia",
            "Olive", "Poplar", "Redwood", "Spruce", "Willow",
        ];
        (0..count)
            .map(|i| {
                let name = format!(
                    "{} {}",
                    FIRST[i % FIRST.len()],
                    LAST[(i / FIRST.len()) % LAST.len()]
                );
                let phone = format!("813-{:03}-{:04}", 200 + i % 700, 1000 + i * 7 % 9000);
                let line1 = format!("{} {} Way", 100 + i, STREET[i % STREET.len()]);
                person(&name, Some(&phone), None, &line1)
            })
            .collect()
    }

    #[test]
    fn jaro_winkler_matches_the_textbook_values() {
        assert!((jaro_winkler("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler("dwayne", "duane") - 0.84).abs() < 1e-3);
        assert!((jaro_winkler("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jaro_winkler("abc", "abc"), 1.0);
        assert_eq!(jaro_winkler("", "abc"), 0.0);
        assert_eq!(
            jaro_winkler("crate", "trace"),
            jaro_winkler("trace", "crate")
        );
    }

    #[test]
    fn soundex_codes_names_that_sound_alike_the_same() {
        assert_eq!(&soundex("robert"), b"R163");
        assert_eq!(&soundex("rupert"), b"R163");
        assert_eq!(&soundex("ashcraft"), b"A261");
        assert_eq!(&soundex("tymczak"), b"T522");
        assert_eq!(&soundex("lee"), b"L000");
    }

    #[test]
    fn names_addresses_and_emails_are_read_into_their_parts() {
        assert_eq!(
            name_parts("Lopez, Maria G."),
            (Some("maria".into()), Some("lopez".into()))
        );
        assert_eq!(
            name_parts("Dr. Maria Lopez Jr"),
            (Some("maria".into()), Some("lopez".into()))
        );
        assert_eq!(name_parts("Lopez"), (None, Some("lopez".into())));
        assert_eq!(name_parts("N/A"), (None, None));
        assert_eq!(
            street_parts("1420 Oak Street"),
            (Some("1420".into()), Some("oak st".into()))
        );
        assert_eq!(street_parts("unknown"), (None, None));
        assert_eq!(
            canonical_email("Maria.Lopez+pool@GMAIL.com"),
            "marialopez@gmail.com"
        );
        assert_eq!(canonical_email("m.lopez+x@work.com"), "m.lopez@work.com");
        assert!(placeholder_email("test@test.com"));
        assert!(!placeholder_email("maria@test.org"));
        assert!(placeholder_phone("15555555555").is_some());
        assert!(placeholder_phone("11234567890").is_some());
        assert!(placeholder_phone("15550102233").is_none());
    }

    #[test]
    fn a_score_is_the_same_both_ways_and_its_lines_sum_to_it() {
        let mut profiles = vec![
            person(
                "Maria Lopez",
                Some("555-010-2233"),
                Some("maria.lopez@gmail.com"),
                "1420 Oak St",
            ),
            person(
                "Lopez Mary",
                Some("+1 555 010 2233"),
                Some("marialopez@gmail.com"),
                "1420 Oak Street",
            ),
            person("Bill Turner", Some("555-010-9999"), None, "9 Elm Ave"),
            person("William Turner", Some("555-010-9998"), None, "9 Elm Avenue"),
            person("Ann Smith", None, Some("ann@smith.net"), "77 Pine Rd"),
        ];
        profiles.extend(filler(300));
        prepare(&mut profiles);
        let model = Model::estimate(&profiles, &Lessons::default());
        for (i, j) in [(0, 1), (2, 3), (0, 4), (1, 3)] {
            let (a, b) = (&profiles[i], &profiles[j]);
            let ab = compare(a, b, Some(&model));
            let ba = compare(b, a, Some(&model));
            let total_ab = model.total(a, &ab);
            let total_ba = model.total(b, &ba);
            assert!(
                (total_ab - total_ba).abs() < 1e-9,
                "{i} {j}: {total_ab} {total_ba}"
            );
            let lines = model.explain(a, b, &ab);
            let sum: f64 = model.prior + lines.iter().map(|line| line.weight).sum::<f64>();
            assert!((sum - total_ab).abs() < 1e-9);
            let levels_ba: Vec<_> = model
                .explain(b, a, &ba)
                .into_iter()
                .map(|l| (l.field, l.level))
                .collect();
            let levels_ab: Vec<_> = lines.into_iter().map(|l| (l.field, l.level)).collect();
            assert_eq!(levels_ab, levels_ba);
        }
        let maria = compare(&profiles[0], &profiles[1], Some(&model));
        assert_eq!(maria.level(Field::Phone), Some(0));
        assert_eq!(
            maria.level(Field::Email),
            Some(0),
            "gmail dots do not matter"
        );
        assert_eq!(maria.level(Field::Street), Some(0), "St is Street");
        assert!(maria.swapped);
        let bill = compare(&profiles[2], &profiles[3], Some(&model));
        assert_eq!(bill.level(Field::FirstName), Some(1), "Bill is William");
        assert_eq!(bill.level(Field::Phone), Some(2), "one digit off");
        assert!(probability(model.total(&profiles[0], &maria)) > 0.99);
        let strangers = compare(&profiles[0], &profiles[4], Some(&model));
        assert!(probability(model.total(&profiles[0], &strangers)) < 0.01);
    }

    #[test]
    fn blocking_pairs_records_sharing_a_key_and_no_others() {
        let mut profiles = vec![
            person("Maria Lopez", Some("555-010-2233"), None, "1420 Oak St"),
            person("M Lopez", Some("555-010-2233"), None, "1 Elm St"),
            person("Zed Quill", Some("555-010-7777"), None, "8 Birch Ln"),
        ];
        prepare(&mut profiles);
        assert_eq!(candidate_pairs(&profiles, None), vec![(0, 1)]);
        assert_eq!(candidate_pairs(&profiles, Some(2)), vec![]);
        assert_eq!(candidate_pairs(&profiles, Some(1)), vec![(0, 1)]);
    }
}
