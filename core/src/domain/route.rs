//! Ordering a day's stops for driving: haversine distances (no network),
//! access hours as time windows, a fixed start and end, pinned stops. Two
//! starting orders (nearest neighbour, earliest closing window) are each
//! improved by 2-opt and by moving single stops, judged first by minutes
//! outside access hours, then by minutes driving and waiting (the day's
//! length: without access hours, the distance), then by distance; the
//! better one is kept.

use crate::foundation::sorting;
use crate::model::GeoPoint;

/// The mean radius of the Earth, km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Straight-line distance between two points, km (haversine).
pub fn haversine_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (lat1, lat2) = (a.latitude.to_radians(), b.latitude.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.longitude - a.longitude).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A window of minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Earliest arrival.
    pub open: f64,
    /// Latest departure.
    pub close: f64,
}

/// One stop to order.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    /// Where it is.
    pub point: GeoPoint,
    /// When it may be entered; empty: any time.
    pub windows: Vec<Window>,
    /// Whether it has access hours but none open that day.
    pub closed_all_day: bool,
    /// The place it must take (0-based), if pinned.
    pub pin: Option<usize>,
}

/// What the ordering works with.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The stops.
    pub stops: Vec<Stop>,
    /// Where the day starts, if fixed.
    pub start: Option<GeoPoint>,
    /// Where the day ends, if fixed.
    pub end: Option<GeoPoint>,
    /// Departure, minutes after local midnight.
    pub depart: f64,
    /// km per minute.
    pub speed: f64,
    /// Minutes on site.
    pub service: f64,
}

/// How an order fares: minutes outside access hours, then minutes driving
/// and waiting, then distance.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Cost {
    /// Minutes past the access hours' close, summed (plus a day per stop
    /// closed all day).
    pub late_minutes: f64,
    /// Minutes driving and waiting for access hours to open, start to end.
    pub minutes: f64,
    /// Kilometres, start to end.
    pub km: f64,
}

impl Cost {
    /// Whether this order is better than `other`.
    pub fn better_than(self, other: Cost) -> bool {
        const EPSILON: f64 = 1e-9;
        if (self.late_minutes - other.late_minutes).abs() > EPSILON {
            return self.late_minutes < other.late_minutes;
        }
        if (self.minutes - other.minutes).abs() > EPSILON {
            return self.minutes < other.minutes;
        }
        self.km < other.km - EPSILON
    }
}

/// The timing of one stop in an order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Visit {
    /// Kilometres from the previous point.
    pub leg_km: f64,
    /// Arrival, minutes after local midnight.
    pub arrival: f64,
    /// Minutes waited for the window to open.
    pub wait: f64,
    /// Whether it falls outside the access hours.
    pub late: bool,
}

/// Distances between every pair of points: the stops, then the start and
/// the end when fixed.
struct Matrix {
    n: usize,
    km: Vec<f64>,
    start: Option<usize>,
    end: Option<usize>,
}

impl Matrix {
    fn new(problem: &Problem) -> Self {
        let mut points: Vec<GeoPoint> = problem.stops.iter().map(|s| s.point).collect();
        let start = problem.start.map(|p| {
            points.push(p);
            points.len() - 1
        });
        let end = problem.end.map(|p| {
            points.push(p);
            points.len() - 1
        });
        let n = points.len();
        let mut km = vec![0.0; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                let d = haversine_km(points[i], points[j]);
                km[i * n + j] = d;
                km[j * n + i] = d;
            }
        }
        Matrix { n, km, start, end }
    }

    fn at(&self, a: usize, b: usize) -> f64 {
        self.km[a * self.n + b]
    }
}

/// Where the service at a stop arriving at `arrival` starts, and how late
/// it finishes past its window (0 when on time).
fn fit(stop: &Stop, arrival: f64, service: f64) -> (f64, f64) {
    if stop.closed_all_day {
        return (arrival, 24.0 * 60.0);
    }
    if stop.windows.is_empty() {
        return (arrival, 0.0);
    }
    let mut best: Option<(f64, f64)> = None;
    for window in &stop.windows {
        let begin = arrival.max(window.open);
        let late = (begin + service - window.close).max(0.0);
        let better = match best {
            None => true,
            Some((best_begin, best_late)) => {
                late < best_late || (late == best_late && begin < best_begin)
            }
        };
        if better {
            best = Some((begin, late));
        }
    }
    best.unwrap_or((arrival, 0.0))
}

/// The cost of visiting the stops in `order`, without timing each one.
fn cost(problem: &Problem, matrix: &Matrix, order: &[usize]) -> Cost {
    let mut cost = Cost {
        late_minutes: 0.0,
        minutes: 0.0,
        km: 0.0,
    };
    let mut clock = problem.depart;
    let mut here = matrix.start;
    for &stop in order {
        let leg = here.map_or(0.0, |from| matrix.at(from, stop));
        cost.km += leg;
        let arrival = clock + leg / problem.speed;
        let (begin, late) = fit(&problem.stops[stop], arrival, problem.service);
        cost.late_minutes += late;
        cost.minutes += begin - clock;
        clock = begin + problem.service;
        here = Some(stop);
    }
    if let (Some(last), Some(end)) = (here, matrix.end) {
        let leg = matrix.at(last, end);
        cost.km += leg;
        cost.minutes += leg / problem.speed;
    }
    cost
}

/// Times each stop of `order`.
fn timings(problem: &Problem, matrix: &Matrix, order: &[usize]) -> Vec<Visit> {
    let mut visits = Vec::with_capacity(order.len());
    let mut clock = problem.depart;
    let mut here = matrix.start;
    for &stop in order {
        let leg = here.map_or(0.0, |from| matrix.at(from, stop));
        let arrival = clock + leg / problem.speed;
        let (begin, late) = fit(&problem.stops[stop], arrival, problem.service);
        visits.push(Visit {
            leg_km: leg,
            arrival,
            wait: begin - arrival,
            late: late > 0.0,
        });
        clock = begin + problem.service;
        here = Some(stop);
    }
    visits
}

/// Whether any place in `from..=to` holds a pinned stop.
fn touches_pin(fixed: &[bool], from: usize, to: usize) -> bool {
    fixed[from.min(to)..=from.max(to)].iter().any(|&f| f)
}

/// The distance between the point before place `i` (the start, or none)
/// and the stop at place `i`; and so on: the legs around places, by index.
struct Legs<'a> {
    matrix: &'a Matrix,
    order: &'a [usize],
}

impl Legs<'_> {
    /// The point before place `i`: the stop before it, or the start.
    fn before(&self, i: usize) -> Option<usize> {
        if i == 0 {
            self.matrix.start
        } else {
            Some(self.order[i - 1])
        }
    }

    /// The point after place `i`: the stop after it, or the end.
    fn after(&self, i: usize) -> Option<usize> {
        self.order.get(i + 1).copied().or(self.matrix.end)
    }

    fn km(&self, a: Option<usize>, b: Option<usize>) -> f64 {
        match (a, b) {
            (Some(a), Some(b)) => self.matrix.at(a, b),
            _ => 0.0,
        }
    }
}

/// Shortens `order` by distance alone (2-opt and single moves with
/// constant-time gains), leaving pinned places alone.
fn shorten(matrix: &Matrix, fixed: &[bool], order: &mut [usize]) {
    const GAIN: f64 = 1e-9;
    let n = order.len();
    let mut improved = true;
    let mut rounds = 0;
    while improved && rounds < 100 {
        improved = false;
        rounds += 1;
        for i in 0..n {
            for j in (i + 1)..n {
                if touches_pin(fixed, i, j) {
                    continue;
                }
                let legs = Legs { matrix, order };
                let (before, after) = (legs.before(i), legs.after(j));
                let (first, last) = (Some(order[i]), Some(order[j]));
                let gain = legs.km(before, first) + legs.km(last, after)
                    - legs.km(before, last)
                    - legs.km(first, after);
                if gain > GAIN {
                    order[i..=j].reverse();
                    improved = true;
                }
            }
        }
        for from in 0..n {
            if fixed[from] {
                continue;
            }
            for to in 0..n {
                if to == from || touches_pin(fixed, from, to) {
                    continue;
                }
                let legs = Legs { matrix, order };
                let stop = Some(order[from]);
                let (before, after) = (legs.before(from), legs.after(from));
                let removed = legs.km(before, stop) + legs.km(stop, after) - legs.km(before, after);
                // Where it would go: between the neighbours of place `to`
                // once it is taken out.
                let (left, right) = if to < from {
                    (legs.before(to), Some(order[to]))
                } else {
                    (Some(order[to]), legs.after(to))
                };
                let added = legs.km(left, stop) + legs.km(stop, right) - legs.km(left, right);
                if removed - added > GAIN {
                    let moved = order[from];
                    if to < from {
                        order.copy_within(to..from, to + 1);
                    } else {
                        order.copy_within(from + 1..=to, from);
                    }
                    order[to] = moved;
                    improved = true;
                    break;
                }
            }
        }
    }
}

/// Improves `order` by the full judgement (access hours, then time, then
/// distance): 2-opt reversals and single-stop moves until neither helps.
fn improve(problem: &Problem, matrix: &Matrix, fixed: &[bool], order: &mut Vec<usize>) {
    let mut best = cost(problem, matrix, order);
    let n = order.len();
    let mut improved = true;
    let mut rounds = 0;
    while improved && rounds < 20 {
        improved = false;
        rounds += 1;
        for i in 0..n {
            for j in (i + 1)..n {
                if touches_pin(fixed, i, j) {
                    continue;
                }
                order[i..=j].reverse();
                let candidate = cost(problem, matrix, order);
                if candidate.better_than(best) {
                    best = candidate;
                    improved = true;
                } else {
                    order[i..=j].reverse();
                }
            }
        }
        for from in 0..n {
            for to in 0..n {
                if from == to || touches_pin(fixed, from, to) {
                    continue;
                }
                let stop = order.remove(from);
                order.insert(to, stop);
                let candidate = cost(problem, matrix, order);
                if candidate.better_than(best) {
                    best = candidate;
                    improved = true;
                } else {
                    let stop = order.remove(to);
                    order.insert(from, stop);
                }
            }
        }
    }
}

/// The free stops in nearest-neighbour order from the start (or the first
/// stop), with the pinned ones at their places.
fn nearest_neighbour(matrix: &Matrix, pinned: &[Option<usize>], free: &[usize]) -> Vec<usize> {
    let mut left: Vec<usize> = free.to_vec();
    let mut order = Vec::with_capacity(pinned.len());
    let mut here = matrix.start;
    for place in pinned {
        let stop = match place {
            Some(stop) => *stop,
            None => {
                let pick = match here {
                    None => 0,
                    Some(from) => {
                        let mut pick = 0;
                        for (index, &stop) in left.iter().enumerate() {
                            if matrix.at(from, stop) < matrix.at(from, left[pick]) {
                                pick = index;
                            }
                        }
                        pick
                    }
                };
                left.remove(pick)
            }
        };
        order.push(stop);
        here = Some(stop);
    }
    order
}

/// The stops in driving order (indices into `problem.stops`), with each
/// stop's timing and the order's cost.
pub fn order(problem: &Problem) -> (Vec<usize>, Vec<Visit>, Cost) {
    let total = problem.stops.len();
    let matrix = Matrix::new(problem);
    // Which stop each place is pinned to (later pins to a taken place, and
    // pins past the end, take the next free place from the end).
    let mut pinned: Vec<Option<usize>> = vec![None; total];
    let mut pins: Vec<(usize, usize)> = problem
        .stops
        .iter()
        .enumerate()
        .filter_map(|(stop, s)| {
            s.pin
                .map(|place| (place.min(total.saturating_sub(1)), stop))
        })
        .collect();
    pins.sort_unstable();
    for (place, stop) in pins {
        let free = (place..total)
            .chain((0..place).rev())
            .find(|&p| pinned[p].is_none());
        if let Some(free) = free {
            pinned[free] = Some(stop);
        }
    }
    let fixed: Vec<bool> = pinned.iter().map(Option::is_some).collect();
    let free: Vec<usize> = (0..total)
        .filter(|stop| !pinned.contains(&Some(*stop)))
        .collect();
    let timed = problem
        .stops
        .iter()
        .any(|s| s.closed_all_day || !s.windows.is_empty());

    let mut by_distance = nearest_neighbour(&matrix, &pinned, &free);
    shorten(&matrix, &fixed, &mut by_distance);
    if !timed {
        let cost = cost(problem, &matrix, &by_distance);
        let visits = timings(problem, &matrix, &by_distance);
        return (by_distance, visits, cost);
    }
    improve(problem, &matrix, &fixed, &mut by_distance);
    let closes = |stop: usize| {
        problem.stops[stop]
            .windows
            .iter()
            .map(|w| w.close)
            .fold(f64::INFINITY, f64::min)
    };
    let mut by_window_free = free.clone();
    sorting::sort_by(&mut by_window_free, |a, b| {
        closes(*a).total_cmp(&closes(*b))
    });
    let mut queue = by_window_free.into_iter();
    let mut by_window: Vec<usize> = pinned
        .iter()
        .filter_map(|place| place.or_else(|| queue.next()))
        .collect();
    improve(problem, &matrix, &fixed, &mut by_window);
    let best =
        if cost(problem, &matrix, &by_window).better_than(cost(problem, &matrix, &by_distance)) {
            by_window
        } else {
            by_distance
        };
    let cost = cost(problem, &matrix, &best);
    let visits = timings(problem, &matrix, &best);
    (best, visits, cost)
}

/// The cost of visiting the stops in exactly `order`.
pub fn cost_in_order(problem: &Problem, order: &[usize]) -> Cost {
    cost(problem, &Matrix::new(problem), order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(latitude: f64, longitude: f64) -> GeoPoint {
        GeoPoint {
            latitude,
            longitude,
        }
    }

    /// A small deterministic generator (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % 1_000_000) as f64 / 1_000_000.0
        }
    }

    fn problem(rng: &mut Rng, n: usize, windows: bool) -> Problem {
        let stops = (0..n)
            .map(|_| {
                let windows = if windows && rng.next() < 0.4 {
                    let open = 8.0 * 60.0 + rng.next() * 240.0;
                    vec![Window {
                        open,
                        close: open + 120.0,
                    }]
                } else {
                    Vec::new()
                };
                Stop {
                    point: point(33.3 + rng.next() * 0.3, -112.2 + rng.next() * 0.3),
                    windows,
                    closed_all_day: false,
                    pin: None,
                }
            })
            .collect();
        Problem {
            stops,
            start: Some(point(33.45, -112.07)),
            end: Some(point(33.45, -112.07)),
            depart: 8.0 * 60.0,
            speed: 0.5,
            service: 20.0,
        }
    }

    /// Every order of the stops, the best by the same judgement.
    fn brute_force(problem: &Problem) -> Cost {
        fn permute(items: &mut Vec<usize>, k: usize, visit: &mut dyn FnMut(&[usize])) {
            if k == items.len() {
                visit(items);
                return;
            }
            for i in k..items.len() {
                items.swap(k, i);
                permute(items, k + 1, visit);
                items.swap(k, i);
            }
        }
        let mut best: Option<Cost> = None;
        let mut items: Vec<usize> = (0..problem.stops.len()).collect();
        permute(&mut items, 0, &mut |order| {
            let cost = cost_in_order(problem, order);
            if best.is_none_or(|b| cost.better_than(b)) {
                best = Some(cost);
            }
        });
        best.unwrap()
    }

    #[test]
    fn haversine_gives_known_distances() {
        // A quarter of a meridian, and one degree along the equator.
        let quarter = haversine_km(point(0.0, 0.0), point(90.0, 0.0));
        assert!((quarter - 10_007.557).abs() < 1e-3, "{quarter}");
        let degree = haversine_km(point(0.0, 10.0), point(0.0, 11.0));
        assert!((degree - 111.195_08).abs() < 1e-4, "{degree}");
        assert_eq!(haversine_km(point(1.0, 2.0), point(1.0, 2.0)), 0.0);
    }

    #[test]
    fn small_days_are_within_ten_percent_of_the_best_order() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut worst: f64 = 1.0;
        for n in 3..=8 {
            for _ in 0..6 {
                let problem = problem(&mut rng, n, false);
                let (order, _, cost) = order(&problem);
                assert_eq!(order.len(), n);
                let best = brute_force(&problem);
                let ratio = cost.km / best.km;
                worst = worst.max(ratio);
                assert!(
                    ratio <= 1.10,
                    "{n} stops: {} km vs best {} km",
                    cost.km,
                    best.km
                );
            }
        }
        assert!(worst >= 1.0);
    }

    #[test]
    fn access_hours_are_respected_when_an_order_can_respect_them() {
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        let mut with_windows = 0;
        for n in 3..=7 {
            for _ in 0..8 {
                let problem = problem(&mut rng, n, true);
                let best = brute_force(&problem);
                let (order, visits, cost) = order(&problem);
                if problem.stops.iter().any(|s| !s.windows.is_empty()) {
                    with_windows += 1;
                }
                if best.late_minutes == 0.0 {
                    assert_eq!(cost.late_minutes, 0.0, "{n} stops: a feasible order exists");
                    assert!(
                        cost.minutes <= best.minutes * 1.10,
                        "{n} stops: {} minutes vs best {}",
                        cost.minutes,
                        best.minutes
                    );
                    for (&stop, visit) in order.iter().zip(&visits) {
                        let begin = visit.arrival + visit.wait;
                        for window in &problem.stops[stop].windows {
                            assert!(begin >= window.open - 1e-9);
                            assert!(begin + problem.service <= window.close + 1e-9);
                        }
                        assert!(!visit.late);
                    }
                }
            }
        }
        assert!(with_windows > 20);
    }

    #[test]
    fn a_stop_that_opens_late_is_put_after_the_others_and_waited_for() {
        // Three stops in a line east of the yard; the nearest opens at 11:00:
        // the others first, then back to it (rather than waiting at 08:01).
        let yard = point(33.45, -112.10);
        let stop = |longitude: f64, windows: Vec<Window>| Stop {
            point: point(33.45, longitude),
            windows,
            closed_all_day: false,
            pin: None,
        };
        let problem = Problem {
            stops: vec![
                stop(
                    -112.09,
                    vec![Window {
                        open: 660.0,
                        close: 720.0,
                    }],
                ),
                stop(-112.08, vec![]),
                stop(-112.07, vec![]),
            ],
            start: Some(yard),
            end: None,
            depart: 480.0,
            speed: 0.5,
            service: 30.0,
        };
        let (order, visits, cost) = order(&problem);
        assert_eq!(cost.late_minutes, 0.0);
        assert_eq!(*order.last().unwrap(), 0);
        assert!(visits[2].wait > 0.0, "waits for 11:00");
        assert!((visits[2].arrival + visits[2].wait - 660.0).abs() < 1e-9);
    }

    #[test]
    fn pinned_stops_keep_their_place() {
        let mut rng = Rng(42);
        let mut problem = problem(&mut rng, 8, false);
        problem.stops[5].pin = Some(0);
        problem.stops[2].pin = Some(7);
        let (order, _, _) = order(&problem);
        assert_eq!(order[0], 5);
        assert_eq!(order[7], 2);
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>());
    }
}
