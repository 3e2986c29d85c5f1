//! Quickstart: open a book file, add a customer with a location, a pool and a
//! gate code, search for it, and read it back.
//!
//! `cargo run --release --example quickstart [BOOK_FILE]` (default `poolbook-quickstart.sqlite`).

use poolbook::{
    Address, Author, BodyOfWater, Book, Contact, ContactRole, CustomerKind, NewCustomer, Sanitizer,
    Secret, ServiceLocation, WaterKind, passphrase_key_provider,
};

fn main() -> Result<(), poolbook::Error> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "poolbook-quickstart.sqlite".to_owned());
    let book = Book::open(&path)?;
    let office = Author::office("dana");
    // Gate codes are sealed in the file under a key from this passphrase.
    book.unlock(passphrase_key_provider("correct horse battery".into())?)?;

    let mut home = ServiceLocation::new(Address::new(
        "1420 Oak Street",
        "Phoenix",
        "AZ",
        "85018",
        "US",
    ))
    .with_body_of_water(
        BodyOfWater::new("Main pool", WaterKind::Pool, Sanitizer::Salt).with_gallons(18_000.0),
    );
    home.access.gate_code = Some(Secret::new("4417#", "gate_code")?);
    let maria = book.create_customer(
        NewCustomer::new(CustomerKind::Residential, "Maria Lopez")
            .with_contact(
                Contact::new("Maria Lopez", ContactRole::Owner)
                    .with_phone("(602) 555-0142", true)
                    .with_email("maria@example.com")
                    .primary(),
            )
            .with_location(home),
        &office,
    )?;

    for query in ["maria lo", "0142", "oak st"] {
        let hits = book.search_customers(query, 5)?;
        let names: Vec<&str> = hits.iter().map(|hit| hit.display_name.as_str()).collect();
        println!("search {query:?}: {names:?}");
    }

    let stored = book.customer(maria.id)?;
    let location = &stored.locations[0];
    println!("{} (version {})", stored.display_name, stored.version);
    println!("  phone: {}", stored.contacts[0].phones[0].number);
    println!("  at:    {}", location.address.one_line());
    println!(
        "  pool:  {} gallons",
        location.bodies_of_water[0].gallons.unwrap_or(0.0)
    );
    println!(
        "  gate:  {:?} (shown only when revealed)",
        location.access.gate_code
    );
    println!("book written to {path}");
    Ok(())
}
