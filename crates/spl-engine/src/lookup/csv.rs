//! A small RFC 4180 CSV reader: comma-separated fields, double-quoted fields may hold commas,
//! line breaks and `""` (one quote). Lines end in `\n` or `\r\n`; a UTF-8 byte-order mark at
//! the start is skipped; blank lines are ignored.

/// Why a CSV text could not be read; `line` is 1-based.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    /// The line where the problem is.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Every record of `text`, each a list of fields, in file order.
pub fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        chars: text.chars().peekable(),
        line: 1,
    };
    let mut records = Vec::new();
    while reader.chars.peek().is_some() {
        let record = reader.record()?;
        if !(record.len() == 1 && record.first().is_some_and(String::is_empty)) {
            records.push(record);
        }
    }
    Ok(records)
}

/// The reading position.
struct Reader<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
}

impl Reader<'_> {
    /// One record, up to and including its line end.
    fn record(&mut self) -> Result<Vec<String>, CsvError> {
        let mut fields = Vec::new();
        loop {
            let field = match self.chars.peek() {
                Some('"') => self.quoted()?,
                _ => self.bare(),
            };
            fields.push(field);
            match self.chars.next() {
                Some(',') => continue,
                Some('\r') => {
                    if self.chars.peek() == Some(&'\n') {
                        self.chars.next();
                    }
                    self.line += 1;
                    return Ok(fields);
                }
                Some('\n') => {
                    self.line += 1;
                    return Ok(fields);
                }
                None => return Ok(fields),
                Some(other) => {
                    return Err(CsvError {
                        line: self.line,
                        message: format!("unexpected `{other}` after a quoted field"),
                    })
                }
            }
        }
    }

    /// A field without quotes: up to the next comma or line end.
    fn bare(&mut self) -> String {
        let mut field = String::new();
        while let Some(&c) = self.chars.peek() {
            if matches!(c, ',' | '\n' | '\r') {
                break;
            }
            field.push(c);
            self.chars.next();
        }
        field
    }

    /// A double-quoted field (the opening quote is next).
    fn quoted(&mut self) -> Result<String, CsvError> {
        let start = self.line;
        self.chars.next();
        let mut field = String::new();
        loop {
            match self.chars.next() {
                Some('"') if self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    field.push('"');
                }
                Some('"') => return Ok(field),
                Some(c) => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    field.push(c);
                }
                None => {
                    return Err(CsvError {
                        line: start,
                        message: "a quoted field is not closed".to_string(),
                    })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[&str]) -> Vec<String> {
        fields.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn plain_and_quoted_fields() {
        let records = parse_csv("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,,\"two\nlines\"")
            .expect("valid");
        assert_eq!(
            records,
            vec![
                row(&["a", "b", "c"]),
                row(&["1", "x, y", "say \"hi\""]),
                row(&["2", "", "two\nlines"]),
            ]
        );
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let records = parse_csv("\u{feff}name\nx\n").expect("valid");
        assert_eq!(records, vec![row(&["name"]), row(&["x"])]);
    }

    #[test]
    fn unclosed_quote_names_its_line() {
        let error = parse_csv("a\n\"open\n").expect_err("unclosed");
        assert_eq!(error.line, 2);
    }

    #[test]
    fn text_after_closing_quote_is_an_error() {
        let error = parse_csv("a\n\"x\"y\n").expect_err("junk");
        assert_eq!(error.line, 2);
    }
}
