//! Fuzzing the parsers that read outside input, for a bounded time, with proptest.
//!
//! A target is a check run on bytes: first on each input of its corpus
//! (`tests/fuzz/corpus/<target>/`, plus the seeds the target brings, such as other servers'
//! captured payloads), then on mutations of them (bytes changed, tokens of the target's
//! dictionary inserted, pieces removed, repeated or spliced from another input) until
//! `CONVIVE_FUZZ_SECONDS` have passed (2 by default; CI gives more). A failing input is shrunk
//! by proptest, written into the corpus as `found-<hash>` (so every later run tries it
//! first, and it is committed with its fix), and the test fails naming it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use sha2::{Digest, Sha256};

/// Seconds each target runs its mutations (`CONVIVE_FUZZ_SECONDS`).
pub const SECONDS_ENV: &str = "CONVIVE_FUZZ_SECONDS";

fn budget() -> Duration {
    let seconds = std::env::var(SECONDS_ENV)
        .ok()
        .and_then(|raw| raw.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(2.0);
    Duration::from_secs_f64(seconds)
}

/// Where a target's corpus lives.
pub fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fuzz/corpus")
        .join(target)
}

/// The inputs kept for `target`, in a stable order.
pub fn corpus(target: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(corpus_dir(target))
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect()
}

/// One change to an input.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Insert(usize, &'static str),
    Remove(usize, usize),
    Repeat(usize, usize, usize),
    Splice(usize, usize, usize),
}

fn apply(input: &mut Vec<u8>, edit: &Edit, seeds: &[Vec<u8>]) {
    let at = |position: usize, len: usize| if len == 0 { 0 } else { position % (len + 1) };
    match *edit {
        Edit::Set(position, byte) => {
            if !input.is_empty() {
                let i = position % input.len();
                input[i] = byte;
            }
        }
        Edit::Insert(position, token) => {
            let i = at(position, input.len());
            input.splice(i..i, token.bytes());
        }
        Edit::Remove(position, len) => {
            let i = at(position, input.len());
            let end = (i + len).min(input.len());
            input.drain(i..end);
        }
        Edit::Repeat(position, len, times) => {
            let i = at(position, input.len());
            let end = (i + len).min(input.len());
            let piece: Vec<u8> = input[i..end].to_vec();
            for _ in 0..times {
                input.splice(end..end, piece.iter().copied());
            }
        }
        Edit::Splice(position, from, len) => {
            let Some(other) = seeds.get(from % seeds.len().max(1)) else {
                return;
            };
            let start = at(from, other.len()).min(other.len());
            let end = (start + len).min(other.len());
            let i = at(position, input.len());
            input.splice(i..i, other[start..end].iter().copied());
        }
    }
}

/// Inputs made from `seeds` by a few edits each.
pub fn mutations(
    seeds: Vec<Vec<u8>>,
    dictionary: &'static [&'static str],
) -> BoxedStrategy<Vec<u8>> {
    let seeds = if seeds.is_empty() {
        vec![Vec::new()]
    } else {
        seeds
    };
    let dictionary = if dictionary.is_empty() {
        &[""][..]
    } else {
        dictionary
    };
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Set(p, b)),
        (any::<usize>(), select(dictionary)).prop_map(|(p, t)| Edit::Insert(p, t)),
        (any::<usize>(), 1..64usize).prop_map(|(p, n)| Edit::Remove(p, n)),
        (any::<usize>(), 1..32usize, 1..64usize).prop_map(|(p, n, t)| Edit::Repeat(p, n, t)),
        (any::<usize>(), any::<usize>(), 1..256usize).prop_map(|(p, f, n)| Edit::Splice(p, f, n)),
    ];
    let count = seeds.len();
    (0..count, proptest::collection::vec(edit, 1..8))
        .prop_map(move |(which, edits)| {
            let mut input = seeds[which].clone();
            for edit in &edits {
                apply(&mut input, edit, &seeds);
            }
            input
        })
        .boxed()
}

/// Runs `check` on `seeds` and the corpus of `target` as they are, then on `strategy`'s
/// inputs until the time budget is spent. Fails with the smallest failing input found, kept in
/// the corpus.
pub fn run(
    target: &str,
    seeds: &[Vec<u8>],
    strategy: BoxedStrategy<Vec<u8>>,
    check: impl Fn(&[u8]) -> Result<(), String>,
) {
    for input in corpus(target).iter().chain(seeds) {
        if let Err(why) = check(input) {
            fail(target, input, &why, false);
        }
    }
    let deadline = Instant::now() + budget();
    let mut cases = 0u64;
    while Instant::now() < deadline {
        let mut runner = TestRunner::new(Config {
            cases: 32,
            failure_persistence: None,
            max_shrink_iters: 4096,
            max_shrink_time: 30_000,
            ..Config::default()
        });
        let result = runner.run(&strategy, |input| {
            check(&input).map_err(TestCaseError::fail)
        });
        cases += 32;
        match result {
            Ok(()) => {}
            Err(TestError::Fail(why, input)) => fail(target, &input, &why.to_string(), true),
            Err(TestError::Abort(why)) => panic!("fuzzing {target} stopped: {why}"),
        }
    }
    eprintln!(
        "fuzz {target}: {cases} mutated inputs within {:?}",
        budget()
    );
}

fn fail(target: &str, input: &[u8], why: &str, keep: bool) -> ! {
    let name = format!("found-{}", &hex::encode(Sha256::digest(input))[..16]);
    let path = corpus_dir(target).join(&name);
    // Kept where the target has a corpus (a directory in the repository).
    if keep && corpus_dir(target).is_dir() {
        let _ = std::fs::write(&path, input);
    }
    panic!(
        "fuzz {target}: {why}\ninput ({} bytes, kept as {}): {:?}",
        input.len(),
        path.display(),
        String::from_utf8_lossy(&input[..input.len().min(2000)])
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_stay_within_the_input_whatever_their_positions() {
        let seeds = vec![b"{ config { name } }".to_vec(), Vec::new()];
        let mut input = seeds[0].clone();
        for edit in [
            Edit::Set(usize::MAX, b'x'),
            Edit::Insert(usize::MAX, "fragment"),
            Edit::Remove(3, usize::MAX / 2),
            Edit::Repeat(usize::MAX, usize::MAX / 2, 3),
            Edit::Splice(usize::MAX, usize::MAX, usize::MAX / 2),
        ] {
            apply(&mut input, &edit, &seeds);
        }
        let mut empty = Vec::new();
        apply(&mut empty, &Edit::Set(5, 1), &seeds);
        apply(&mut empty, &Edit::Remove(5, 5), &seeds);
        assert!(empty.is_empty());
    }

    #[test]
    #[should_panic(expected = "fuzz self-test")]
    fn a_check_that_fails_on_some_mutation_is_reported() {
        let seeds = vec![b"ab".to_vec()];
        run("self-test", &[], mutations(seeds, &["zz"]), |input| {
            if input.windows(2).any(|w| w == b"zz") {
                Err("found zz".to_owned())
            } else {
                Ok(())
            }
        });
    }
}
