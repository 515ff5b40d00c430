//! What the unit tests share.

/// An item of `pool` drawn by a small deterministic generator (`seed`
/// steps as a 64-bit linear congruential generator): varied test inputs
/// that are the same on every run, without a dependency.
pub(crate) fn pick<'p, T>(seed: &mut u64, pool: &'p [T]) -> &'p T {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    &pool[(*seed >> 33) as usize % pool.len()]
}
