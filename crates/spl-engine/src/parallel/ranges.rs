//! The workers' side of reading a plain file in byte ranges: each worker claims the next
//! range, reads it with positional reads and parses it; the calling thread merges the
//! ranges in file order.

use super::{LineParser, Merge, Order, Parsed};
use crate::input::ranges::{RangeReader, RangeText};
use crate::run::RunError;
use crate::scan::ScanError;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;

/// A range back from a worker: its index, what it held, and its buffer for reuse.
type RangeDone = (u64, Parsed, RangeText);

/// What the workers reading ranges share.
struct RangeWork<'a> {
    ranges: &'a RangeReader<'a>,
    parser: &'a LineParser<'a>,
    /// The next range to claim.
    next: AtomicU64,
    /// Set when the merging side stops early.
    stop: AtomicBool,
    /// Buffers free for a range: a worker takes one before claiming a range, so at most as
    /// many ranges as buffers are claimed and not yet merged.
    free: Mutex<Receiver<RangeText>>,
}

/// Reads the ranges of a plain file on `threads` workers, each reading and parsing the
/// ranges it claims, and merges them in order.
pub(super) fn scan_ranges(
    ranges: &RangeReader<'_>,
    parser: &LineParser<'_>,
    threads: usize,
    order: &mut Order<'_>,
    merge: &mut Merge<'_>,
) -> Result<(), ScanError> {
    if threads <= 1 {
        // One parsing thread: the calling thread reads and parses each range itself, which
        // saves the hand-over and frees every event on the thread that made it.
        let mut text = RangeText::default();
        for index in 0..ranges.ranges() {
            let parsed = read_range(ranges, parser, index, &mut text);
            order.arrive(index, parsed, merge)?;
        }
        return Ok(());
    }
    let (free_sender, free) = channel::<RangeText>();
    for _ in 0..2 * threads + 1 {
        let _ = free_sender.send(RangeText::default());
    }
    let work = RangeWork {
        ranges,
        parser,
        next: AtomicU64::new(0),
        stop: AtomicBool::new(false),
        free: Mutex::new(free),
    };
    std::thread::scope(|scope| {
        let (done_sender, done) = channel::<RangeDone>();
        for _ in 0..threads {
            let done_sender = done_sender.clone();
            let work = &work;
            scope.spawn(move || read_ranges(work, &done_sender));
        }
        drop(done_sender);
        let result = merge_ranges(ranges.ranges(), &done, &free_sender, order, merge);
        work.stop.store(true, Ordering::Relaxed);
        drop(free_sender);
        result
    })
}

/// The merging side of [`scan_ranges`]: takes ranges back until all `count` are merged.
/// A buffer goes back to the workers only when a range is merged, so the ranges waiting for
/// their turn (and their events) stay as few as the buffers.
fn merge_ranges(
    count: u64,
    done: &Receiver<RangeDone>,
    free: &Sender<RangeText>,
    order: &mut Order<'_>,
    merge: &mut Merge<'_>,
) -> Result<(), ScanError> {
    let mut held = Vec::new();
    while order.next_to_merge < count {
        let Ok((index, parsed, text)) = done.recv() else {
            return Err(ScanError::Run(RunError::Failed(format!(
                "{}: internal error: the reading threads stopped after line {}",
                order.path, order.next_line
            ))));
        };
        held.push(text);
        order.arrive(index, parsed, merge)?;
        while held.len() > order.waiting.len() {
            if let Some(text) = held.pop() {
                let _ = free.send(text);
            }
        }
    }
    Ok(())
}

/// Reads and parses range `index` into `text`. A read error is passed on in the result; a
/// panic (a bug: neither reading nor parsing panics on any input) marks it failed, so the
/// merging side stops with an error instead of waiting for it.
fn read_range(
    ranges: &RangeReader<'_>,
    parser: &LineParser<'_>,
    index: u64,
    text: &mut RangeText,
) -> Parsed {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ranges.read(index, text)));
    match read {
        Ok(Ok(())) => parser.parse_caught(text.lines()),
        Ok(Err(error)) => Parsed {
            read_error: Some(error),
            ..Parsed::default()
        },
        Err(_) => Parsed {
            failed: true,
            ..Parsed::default()
        },
    }
}

/// A worker reading ranges: takes a free buffer, claims the next range, reads and parses
/// it, until no range is left or the merging side stops.
fn read_ranges(work: &RangeWork<'_>, done: &Sender<RangeDone>) {
    loop {
        let next = match work.free.lock() {
            Ok(free) => free.recv(),
            Err(_) => return,
        };
        let Ok(mut text) = next else {
            return;
        };
        if work.stop.load(Ordering::Relaxed) {
            return;
        }
        let index = work.next.fetch_add(1, Ordering::Relaxed);
        if index >= work.ranges.ranges() {
            return;
        }
        let parsed = read_range(work.ranges, work.parser, index, &mut text);
        if done.send((index, parsed, text)).is_err() {
            return;
        }
    }
}
