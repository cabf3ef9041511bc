//! When to colour output: `--color auto|always|never`, following https://no-color.org and
//! ripgrep: `auto` colours only a terminal, and not when `NO_COLOR` is set to a non-empty
//! value; `CLICOLOR_FORCE` (non-empty, not `0`) colours even a pipe; `TERM=dumb` never.

use std::io::IsTerminal;
use std::sync::OnceLock;

/// The `--color` choice.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal, unless `NO_COLOR` is set.
    #[default]
    Auto,
    /// Always colour (also files and pipes).
    Always,
    /// Never colour.
    Never,
}

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Records the command line's choice (once, at start-up).
pub fn set_choice(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

fn choice() -> ColorChoice {
    CHOICE.get().copied().unwrap_or_default()
}

/// True when output to a stream that `is_terminal` or not should be coloured under
/// `choice`, with `env` reading environment variables.
pub fn decide(
    choice: ColorChoice,
    is_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    let set = |name: &str| env(name).filter(|value| !value.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR").is_some() => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") => true,
        ColorChoice::Auto => is_terminal && env("TERM").as_deref() != Some("dumb"),
    }
}

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Styles text, or leaves it plain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Colors {
    enabled: bool,
}

/// Column headers.
const HEADER: anstyle::Style = anstyle::Style::new().bold();
/// The rule under the headers.
const RULE: anstyle::Style = anstyle::Style::new().dimmed();
/// A passing test.
const PASS: anstyle::Style = anstyle::AnsiColor::Green.on_default().bold();
/// A failing test.
const FAIL: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();
/// A detection without tests.
const SKIP: anstyle::Style = anstyle::AnsiColor::Yellow.on_default();

impl Colors {
    /// No styling.
    #[cfg(test)]
    pub const PLAIN: Colors = Colors { enabled: false };

    /// Styling on.
    #[cfg(test)]
    pub const STYLED: Colors = Colors { enabled: true };

    /// For standard output.
    pub fn stdout() -> Colors {
        Colors {
            enabled: decide(choice(), std::io::stdout().is_terminal(), &process_env),
        }
    }

    /// For standard error.
    pub fn stderr() -> Colors {
        Colors {
            enabled: decide(choice(), std::io::stderr().is_terminal(), &process_env),
        }
    }

    /// For a file named with `-o`: coloured only with `--color always`.
    pub fn file() -> Colors {
        Colors {
            enabled: decide(choice(), false, &process_env),
        }
    }

    /// True when styles are written.
    pub fn enabled(self) -> bool {
        self.enabled
    }

    fn paint(self, style: anstyle::Style, text: &str) -> String {
        if self.enabled && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// A column header.
    pub fn header(self, text: &str) -> String {
        self.paint(HEADER, text)
    }

    /// The rule under the headers.
    pub fn rule(self, text: &str) -> String {
        self.paint(RULE, text)
    }

    /// A test status word: `PASS`, `FAIL` or `SKIP`.
    pub fn status(self, text: &str) -> String {
        let style = match text.trim() {
            "PASS" => PASS,
            "FAIL" => FAIL,
            _ => SKIP,
        };
        self.paint(style, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    #[test]
    fn auto_colours_a_terminal_only() {
        assert!(decide(ColorChoice::Auto, true, &env(&[])));
        assert!(!decide(ColorChoice::Auto, false, &env(&[])));
    }

    #[test]
    fn no_color_wins_over_a_terminal_unless_empty() {
        assert!(!decide(ColorChoice::Auto, true, &env(&[("NO_COLOR", "1")])));
        assert!(decide(ColorChoice::Auto, true, &env(&[("NO_COLOR", "")])));
    }

    #[test]
    fn clicolor_force_colours_a_pipe() {
        assert!(decide(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(!decide(
            ColorChoice::Auto,
            false,
            &env(&[("CLICOLOR_FORCE", "0")])
        ));
    }

    #[test]
    fn dumb_terminals_get_no_colour() {
        assert!(!decide(ColorChoice::Auto, true, &env(&[("TERM", "dumb")])));
    }

    #[test]
    fn explicit_choices_ignore_the_environment() {
        assert!(decide(
            ColorChoice::Always,
            false,
            &env(&[("NO_COLOR", "1")])
        ));
        assert!(!decide(
            ColorChoice::Never,
            true,
            &env(&[("CLICOLOR_FORCE", "1")])
        ));
    }

    #[test]
    fn plain_leaves_text_alone() {
        assert_eq!(Colors::PLAIN.header("src_ip"), "src_ip");
        let coloured = Colors::STYLED.header("src_ip");
        assert!(coloured.starts_with("\u{1b}["), "{coloured:?}");
        assert!(coloured.contains("src_ip"));
    }
}
