//! When service is due: which days a service plan puts a location on a
//! technician's route.

use chrono::{Datelike, Duration, NaiveDate};

use crate::model::{Frequency, ServicePlan};

/// Whether a location on `plan` is due for service on `date`: within the
/// plan's dates, on its weekday (the preferred one, else the start's);
/// weekly every week, biweekly every other week counted from the first
/// service day, monthly on the first such weekday of the month; on-call never.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn plan_due_on(plan: &ServicePlan, date: NaiveDate) -> bool {
    if date < plan.starts_on || plan.ends_on.is_some_and(|end| date > end) {
        return false;
    }
    let weekday: chrono::Weekday = plan
        .preferred_weekday
        .map_or(plan.starts_on.weekday(), Into::into);
    if date.weekday() != weekday {
        return false;
    }
    match plan.frequency {
        Frequency::Weekly => true,
        Frequency::Biweekly => {
            let offset = (7 + weekday.num_days_from_monday() as i64
                - plan.starts_on.weekday().num_days_from_monday() as i64)
                % 7;
            let first = plan.starts_on + Duration::days(offset);
            (date - first).num_days() % 14 == 0
        }
        Frequency::Monthly => date.day() <= 7,
        Frequency::OnCall => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Weekday;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn plan(frequency: Frequency, starts_on: NaiveDate, weekday: Option<Weekday>) -> ServicePlan {
        ServicePlan {
            frequency,
            preferred_weekday: weekday,
            technician_id: None,
            starts_on,
            ends_on: None,
            bills_chemicals: false,
        }
    }

    fn due_days(plan: &ServicePlan, from: NaiveDate, days: i64) -> Vec<NaiveDate> {
        (0..days)
            .map(|n| from + Duration::days(n))
            .filter(|d| plan_due_on(plan, *d))
            .collect()
    }

    #[test]
    fn weekly_plans_fall_on_their_weekday_within_their_dates() {
        let mut weekly = plan(Frequency::Weekly, day(2026, 3, 2), Some(Weekday::Wednesday));
        weekly.ends_on = Some(day(2026, 3, 18));
        assert_eq!(
            due_days(&weekly, day(2026, 2, 20), 40),
            [day(2026, 3, 4), day(2026, 3, 11), day(2026, 3, 18)]
        );
    }

    #[test]
    fn biweekly_plans_count_every_other_week_from_the_first_service_day() {
        // Starts Monday 2 March; service on Thursdays: first Thursday is 5 March.
        let biweekly = plan(
            Frequency::Biweekly,
            day(2026, 3, 2),
            Some(Weekday::Thursday),
        );
        assert_eq!(
            due_days(&biweekly, day(2026, 3, 1), 50),
            [
                day(2026, 3, 5),
                day(2026, 3, 19),
                day(2026, 4, 2),
                day(2026, 4, 16)
            ]
        );
        // Without a preferred weekday, the start's weekday (Monday) is used.
        let from_start = plan(Frequency::Biweekly, day(2026, 3, 2), None);
        assert_eq!(
            due_days(&from_start, day(2026, 3, 1), 30),
            [day(2026, 3, 2), day(2026, 3, 16), day(2026, 3, 30)]
        );
    }

    #[test]
    fn monthly_plans_take_the_first_weekday_of_each_month_and_on_call_is_never_due() {
        let monthly = plan(Frequency::Monthly, day(2026, 1, 1), Some(Weekday::Tuesday));
        assert_eq!(
            due_days(&monthly, day(2026, 1, 1), 90),
            [day(2026, 1, 6), day(2026, 2, 3), day(2026, 3, 3)]
        );
        let on_call = plan(Frequency::OnCall, day(2026, 1, 1), Some(Weekday::Tuesday));
        assert!(due_days(&on_call, day(2026, 1, 1), 60).is_empty());
    }
}
