//! Moving a company: copies a whole book from one store to another — a
//! SQLite file into PostgreSQL when the office outgrows one file, or back —
//! through the `Store` traits, keeping every id, version, time and author,
//! the history, touchpoints and change log, and the gate codes sealed as
//! they were (the same key opens them). The source is opened read-only and
//! left as it was; the target must be new and empty.
//!
//! `cargo run --release --example move-book -- FROM TO`, each a book file
//! or a PostgreSQL URL, e.g.
//! `cargo run --release --example move-book -- company.sqlite postgresql://office@db/company`.

use poolbook::{Book, copy_book};

fn main() -> Result<(), poolbook::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [from, to] = args.as_slice() else {
        eprintln!("usage: move-book FROM TO (each a book file or a postgresql:// URL)");
        std::process::exit(2);
    };
    let source = Book::open_read_only(from.as_str())?;
    let target = Book::open(to.as_str())?;
    let copied = copy_book(&source, &target)?;
    println!(
        "Copied {} customers, {} technicians, {} history entries, {} touchpoints, \
         {} reveals, {} change-log rows and {} other records.",
        copied.customers,
        copied.technicians,
        copied.entries,
        copied.touchpoints,
        copied.reveals,
        copied.changes,
        copied.other
    );
    let report = target.check_integrity()?;
    println!(
        "The new book reads back whole: {} customers, {} entries, {} touchpoints checked, {}.",
        report.customers_checked,
        report.entries_checked,
        report.touchpoints_checked,
        if report.ok {
            "no problem found"
        } else {
            "PROBLEMS FOUND"
        }
    );
    source.close()?;
    target.close()?;
    if !report.ok {
        for problem in &report.problems {
            eprintln!("{}: {}", problem.area, problem.detail);
        }
        std::process::exit(1);
    }
    Ok(())
}
