//! The progress line of `spl run` on standard error: events read and events per second,
//! driven by the scan's [`ScanObserver::progress`] calls and cleared before the summary.
//!
//! `--progress auto` (the default) draws only on a terminal and only once a run has taken
//! [`AUTO_DELAY`]; `always` draws on any stderr from the first report (tests use it);
//! `never` draws nothing.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};
use spl::{InputNotice, InputProblem, Progress, ScanObserver};
use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// A run shorter than this shows no progress line in `auto` mode.
pub const AUTO_DELAY: Duration = Duration::from_millis(500);

/// Width assumed for a standard error that is not a terminal.
const PIPE_WIDTH: u16 = 80;

/// The `--progress` choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ProgressChoice {
    /// On a terminal, for runs longer than half a second.
    #[default]
    Auto,
    /// Always, also when standard error is a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// Reports malformed events and draws the progress line.
pub struct ProgressObserver {
    bar: Option<ProgressBar>,
    started: Instant,
    delay: Duration,
}

impl ProgressObserver {
    /// An observer for `choice`; no line at all for `never`, or `auto` off a terminal.
    pub fn new(choice: ProgressChoice) -> ProgressObserver {
        let on_terminal = std::io::stderr().is_terminal();
        let (target, delay) = match choice {
            ProgressChoice::Never => (None, Duration::ZERO),
            ProgressChoice::Auto if !on_terminal => (None, Duration::ZERO),
            ProgressChoice::Auto => (Some(ProgressDrawTarget::stderr()), AUTO_DELAY),
            ProgressChoice::Always if on_terminal => {
                (Some(ProgressDrawTarget::stderr()), Duration::ZERO)
            }
            ProgressChoice::Always => (
                Some(ProgressDrawTarget::term_like(Box::new(PlainStderr))),
                Duration::ZERO,
            ),
        };
        let bar = target.map(|target| {
            let bar = ProgressBar::with_draw_target(None, target);
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}") {
                bar.set_style(style);
            }
            bar
        });
        ProgressObserver {
            bar,
            started: Instant::now(),
            delay,
        }
    }

    /// Removes the line (before results and the summary are printed).
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The text of the line: `1,234,567 events read, 456,789 events/s`.
pub fn progress_message(events_read: u64, elapsed: Duration) -> String {
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        (events_read as f64 / seconds).round() as u64
    } else {
        events_read
    };
    format!(
        "{} events read, {} events/s",
        thousands(events_read),
        thousands(rate)
    )
}

/// `1234567` → `1,234,567`.
fn thousands(number: u64) -> String {
    let digits = number.to_string();
    let groups: Vec<&str> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .filter_map(|group| std::str::from_utf8(group).ok())
        .collect();
    groups.join(",")
}

impl ScanObserver for ProgressObserver {
    fn malformed(&self, problem: &InputProblem) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("warning: {problem}")),
            None => eprintln!("warning: {problem}"),
        }
    }

    fn notice(&self, notice: &InputNotice) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("warning: {notice}")),
            None => eprintln!("warning: {notice}"),
        }
    }

    fn progress(&self, progress: Progress) {
        let Some(bar) = &self.bar else {
            return;
        };
        let elapsed = self.started.elapsed();
        if elapsed < self.delay {
            return;
        }
        bar.set_message(progress_message(progress.events_read, elapsed));
        bar.tick();
    }
}

/// Standard error drawn to even when it is not a terminal (`--progress always`).
#[derive(Debug)]
struct PlainStderr;

impl TermLike for PlainStderr {
    fn width(&self) -> u16 {
        PIPE_WIDTH
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        move_cursor(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        move_cursor(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        move_cursor(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        move_cursor(n, 'D')
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        write_stderr(&format!("{s}\n"))
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        write_stderr(s)
    }

    fn clear_line(&self) -> std::io::Result<()> {
        write_stderr("\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// `ESC [ n <direction>`, nothing for a move by zero.
fn move_cursor(n: usize, direction: char) -> std::io::Result<()> {
    if n == 0 {
        return Ok(());
    }
    write_stderr(&format!("\x1b[{n}{direction}"))
}

fn write_stderr(text: &str) -> std::io::Result<()> {
    std::io::stderr().write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_shows_events_and_rate_with_separators() {
        assert_eq!(
            progress_message(1_500_000, Duration::from_secs(2)),
            "1,500,000 events read, 750,000 events/s"
        );
        assert_eq!(
            progress_message(0, Duration::ZERO),
            "0 events read, 0 events/s"
        );
        assert_eq!(
            progress_message(999, Duration::from_secs(1)),
            "999 events read, 999 events/s"
        );
    }
}
