//! Sorting through one shared sort. The standard library's sort is copied
//! into the binary for every element type and comparison it is called
//! with, about 7 KB each, and core's forty-odd sorts by a comparison or a
//! key made 330 KB of the phone library (issue 6's size limit). These sort
//! positions with one comparison type, so the library carries one copy of
//! the sort, and then move the items into place. Like `slice::sort_by` they
//! are stable, with O(n log n) comparisons and O(n) extra memory. Sorts of
//! plain numbers by their own order (`sort_unstable()` on `[i64]`) share
//! one copy per type already and stay as they are.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, as `slice::sort_by` does.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` stably by the key `key` gives each, as `slice::sort_by_key`
/// does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the order `compare` puts them: the one sort
/// the library carries.
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_by(|&a, &b| compare(a, b));
    positions
}

/// Moves the item at `order[i]` to position `i`, for every `i`, following
/// each cycle of the permutation once; `order` is a permutation of the
/// positions of `items`.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut current = start;
        loop {
            let next = order[current];
            order[current] = current;
            if next == start || next == current {
                break;
            }
            items.swap(current, next);
            current = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_the_standard_library_and_keeps_equal_items_in_order() {
        let mut seed = 0x2545_f491_u64;
        for len in [0usize, 1, 2, 3, 7, 20, 100, 1000] {
            let items: Vec<(u8, usize)> = (0..len)
                .map(|position| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 5) as u8, position)
                })
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            let mut theirs = items.clone();
            theirs.sort_by_key(|item| item.0);
            assert_eq!(ours, theirs, "length {len}");

            let mut reversed = items.clone();
            sort_by(&mut reversed, |a, b| b.cmp(a));
            let mut expected = items;
            expected.sort_by(|a, b| b.cmp(a));
            assert_eq!(reversed, expected, "length {len}, descending");
        }
    }

    #[test]
    fn sorts_items_that_own_memory() {
        let mut names: Vec<String> = ["pearl", "ash", "oak", "ash", "birch"]
            .into_iter()
            .map(String::from)
            .collect();
        sort_by(&mut names, |a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
        assert_eq!(names, ["ash", "ash", "oak", "birch", "pearl"]);
    }
}
