//! The store conformance suite (feature `testing`): one set of cases,
//! written once through the public [`Book`] API, that every [`Store`]
//! must pass — the SQLite file and in-memory stores, the PostgreSQL store,
//! or a store written outside this crate.
//!
//! Each case is a function taking a fresh, empty book; the
//! [`store_conformance_suite!`](crate::store_conformance_suite) macro turns
//! every case into a `#[test]` for one way of making a book:
//!
//! ```ignore
//! mod my_store {
//!     // Any expression that makes a `Fixture`: a `Book`, or a `Book` with
//!     // whatever must live as long as it (a temporary directory, a server).
//!     poolbook::store_conformance_suite!(|| poolbook::Book::with_store(MyStore::new()));
//! }
//! ```
//!
//! The cases cover the customer record ([`customers`]), history entries,
//! the ledger, the timeline's order and cursors, notable changes, the stop
//! card and routes, target profiles ([`history`]), touchpoints, visitor
//! links, the journey scan behind funnels, attribution and response times,
//! segments and event imports ([`journey`]), operations written as
//! touchpoints ([`operations`]), questions across the whole book
//! ([`book_questions`]), retention, satisfaction and engagement
//! ([`retention`]), experiments ([`experiments`]), drop-off ([`dropoff`]),
//! the outbox ([`outbox`]), billing from the record ([`billing`]), routes
//! in driving order, turnover and the stop card's preferences
//! ([`fieldwork`]), duplicates, merges and the quality report
//! ([`quality`]), and atomicity: a batch that
//! fails part-way leaves nothing behind ([`atomicity`]), batch writes
//! ([`batches`]), and data in and out: spreadsheet imports and the book
//! file ([`data`]).
//!
//! [`Store`]: crate::Store

// The cases are tests: a failed expectation panics with its reason.
#![allow(clippy::unwrap_used, clippy::missing_panics_doc)]

pub mod atomicity;
pub mod batches;
pub mod billing;
pub mod book_questions;
pub mod customers;
pub mod data;
pub mod dropoff;
pub mod experiments;
pub mod feedback;
pub mod fieldwork;
pub mod history;
pub mod journey;
pub mod operations;
pub mod outbox;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod quality;
pub mod retention;
pub mod stages;

use std::sync::Arc;

use crate::{Author, Book, KeyProvider, LocationId, SecretField};

/// The key provider every suite book is unlocked with: a fixed test key.
pub fn test_key_provider() -> Arc<dyn KeyProvider> {
    crate::static_key_provider(vec![0x42; 32]).unwrap()
}

/// Unlocks a fresh suite book with [`test_key_provider`] and returns it.
pub fn unlocked(book: &Book) -> &Book {
    book.unlock(test_key_provider()).unwrap();
    book
}

/// The value of a location's secret, revealed (and audited) as the office.
pub fn revealed(book: &Book, location: LocationId, field: SecretField) -> Option<String> {
    book.reveal_secret(
        location,
        field,
        &Author::office("dana"),
        "conformance check",
    )
    .unwrap()
    .and_then(|secret| secret.reveal().map(str::to_owned))
}

/// What a suite's constructor returns: a book, and whatever must outlive it.
pub trait Fixture {
    /// The book the case runs against.
    fn book(&self) -> &Book;
}

impl Fixture for Book {
    fn book(&self) -> &Book {
        self
    }
}

impl<T> Fixture for (Book, T) {
    fn book(&self) -> &Book {
        &self.0
    }
}

/// Runs every conformance case as a `#[test]` against books made by
/// `$make`, a closure (or function) returning a [`testing::Fixture`]:
/// a [`Book`], or a `(Book, guard)` pair. Invoke it once per way of making
/// a book, each in its own module.
///
/// [`testing::Fixture`]: crate::testing::Fixture
/// [`Book`]: crate::Book
#[macro_export]
macro_rules! store_conformance_suite {
    ($make:expr) => {
        $crate::store_conformance_suite!(@cases $make;
            atomicity::a_customer_that_fails_part_way_writes_nothing,
            atomicity::a_touchpoint_batch_that_fails_part_way_writes_nothing,
            batches::a_customer_batch_lands_whole_or_not_at_all,
            batches::a_customer_batch_reusing_a_stored_part_id_writes_nothing,
            batches::an_entry_batch_lands_whole_or_not_at_all,
            batches::an_entry_batch_over_many_customers_checks_each_one,
            billing::drafts_bill_each_rate_basis_line_by_line,
            billing::issuing_numbers_invoices_and_never_bills_an_item_twice,
            billing::a_merge_never_bills_a_service_twice,
            billing::bad_billing_input_is_refused_naming_the_field,
            billing::voids_refunds_and_late_applications_are_ledger_entries,
            billing::overdue_is_reckoned_on_the_books_local_date,
            fieldwork::a_day_is_ordered_for_driving_with_arrivals_in_the_books_time,
            fieldwork::turnover_moves_every_plan_in_one_change,
            fieldwork::the_stop_card_carries_every_preference_and_the_recent_visits,
            customers::create_and_get,
            data::an_imports_batch_keys_and_mappings_are_kept,
            data::the_book_file_carries_every_record,
            data::an_import_whose_feed_fails_part_way_stores_nothing,
            customers::update_is_partial,
            customers::stale_update_conflicts,
            customers::update_that_changes_nothing_writes_nothing,
            customers::an_update_of_every_part_stores_exactly_the_new_record,
            customers::an_integrity_check_of_a_sound_book_finds_nothing,
            customers::secrets_are_sealed_and_every_reveal_is_audited,
            customers::archive_and_restore,
            customers::removed_contacts_are_archived_and_restorable,
            customers::list_filters,
            customers::keyset_pagination_is_stable,
            customers::search_finds_by_name_phone_email_and_address,
            customers::search_ranks_and_skips_archived,
            customers::search_forgives_typos,
            customers::location_transfer_keeps_the_pool,
            customers::change_log_reads_by_entity_customer_and_author,
            customers::secrets_never_leak,
            customers::technicians,
            customers::default_region_reads_national_numbers,
            customers::closed_book_refuses_calls,
            customers::the_change_log_filters_by_entity_kind,
            customers::a_technicians_phone_and_email_can_be_cleared,
            history::visits_record_readings_doses_and_every_skip_reason,
            history::bad_visits_are_refused_and_the_book_is_unchanged,
            history::a_visit_with_several_bad_fields_reports_them_all,
            history::the_stop_card_reckons_today_in_the_books_time_zone,
            history::a_pools_readings_form_a_series_for_trend_charts,
            history::the_ledger_derives_balances_statements_and_aging,
            history::messages_issues_notes_and_feedback_join_the_history,
            history::the_timeline_pages_through_equal_times_without_skipping_or_repeating,
            history::the_timeline_can_include_notable_changes_without_secret_values,
            history::the_stop_card_has_everything_needed_at_the_gate,
            history::the_days_route_follows_the_plans,
            history::target_profiles_are_editable_and_judge_the_readings,
            history::any_visit_can_be_judged_by_either_saturation_method,
            history::timelines_filter_by_kind_and_a_locations_history_follows_it_to_a_new_owner,
            journey::touchpoints_are_normalised_and_staged,
            journey::the_same_event_recorded_twice_is_stored_once,
            journey::bad_touchpoints_refuse_the_whole_batch,
            journey::linking_a_visitor_moves_their_journey_to_the_customer_and_can_be_undone,
            journey::the_stage_map_is_editable,
            journey::touchpoints_are_in_their_customers_change_log,
            journey::touchpoints_join_the_customers_timeline_in_one_order,
            journey::a_funnel_counts_people_by_their_best_attempt_within_the_window,
            journey::lead_response_time_is_timed_to_the_first_staff_reply,
            journey::conversions_are_attributed_within_the_lookback_and_each_sums_to_one,
            journey::a_conversion_before_the_range_makes_later_ones_repeat_business,
            journey::segment_events_import_once_and_bad_lines_are_reported_by_number,
            journey::segments_find_customers_by_record_ledger_and_journey_with_the_values_they_saw,
            operations::operations_write_their_touchpoints_once_linked_to_their_entries,
            operations::an_imported_event_for_a_recorded_payment_is_matched_not_doubled,
            operations::archiving_an_entry_takes_its_touchpoints_out_of_the_journey,
            book_questions::touchpoints_are_counted_across_the_book_by_period_and_dimension,
            book_questions::touchpoints_and_entries_page_across_the_book,
            book_questions::receivables_sum_every_customers_aging_and_rank_debtors,
            retention::retention_tables_cohorts_by_activation_month_with_churn_reasons,
            retention::satisfaction_rates_feedback_by_period_technician_and_stage,
            retention::engagement_shows_each_customers_trend_and_who_went_quiet,
            experiments::an_experiment_compares_variants_with_a_confidence_interval,
            experiments::a_funnel_is_compared_before_and_after_a_change,
            outbox::visit_notices_go_to_the_named_contact_out_of_quiet_hours,
            outbox::consent_do_not_contact_and_landlines_hold_messages_back,
            outbox::balance_reminders_state_what_remains_and_stop_once_paid,
            outbox::skipped_visits_resolved_issues_and_waiting_leads_make_messages,
            outbox::templates_are_checked_when_saved_and_split_into_variants,
            outbox::outcomes_and_replies_are_recorded_with_their_opt_outs,
            dropoff::funnel_steps_match_touchpoint_properties,
            dropoff::what_happened_next_after_a_step_has_shares_and_nothing,
            dropoff::the_last_touchpoint_before_people_stopped_is_counted,
            stages::the_stage_report_counts_entries_time_spent_and_exits,
            stages::a_journey_map_per_customer_kind_is_measured,
            stages::changing_the_stage_map_restages_stored_touchpoints,
            feedback::feedback_closes_the_loop_by_topic,
            quality::duplicate_candidates_are_found_and_explained,
            quality::a_record_being_typed_is_matched_against_the_book,
            quality::placeholders_and_shared_numbers_are_not_evidence,
            quality::a_rejected_pair_returns_only_when_a_field_that_mattered_changes,
            quality::bad_duplicate_queries_are_refused,
            quality::a_merge_moves_everything_and_unmerge_gives_both_records_back,
            quality::unmerge_keeps_and_reports_edits_made_after_the_merge,
            quality::a_merge_and_its_undo_carry_every_touchpoint_with_its_entry,
            quality::impossible_merges_are_refused,
            quality::a_merge_never_leaves_records_added_meanwhile_behind,
            quality::each_quality_rule_fires_on_its_case_and_not_on_a_clean_customer,
        );
    };
    (@cases $make:expr; $($area:ident :: $case:ident),+ $(,)?) => {
        $(
            #[test]
            fn $case() {
                let fixture = ($make)();
                let book = $crate::testing::Fixture::book(&fixture);
                $crate::testing::$area::$case($crate::testing::unlocked(book));
            }
        )+
    };
}
