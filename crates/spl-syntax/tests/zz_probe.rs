#[test]
fn probe() {
    let text = std::fs::read_to_string("/tmp/parser_exp/searches.jsonl").unwrap();
    let (mut ok, mut total) = (0, 0);
    let mut out = String::new();
    for line in text.lines() {
        let start = line.find("\"search\": \"").unwrap() + 11;
        let raw = &line[start..line.len() - 2];
        let s = unescape(raw);
        total += 1;
        match spl_syntax::parse_pipeline(&s) {
            Ok(p) => {
                ok += 1;
                let printed = p.to_string();
                if let Err(e) = spl_syntax::parse_pipeline(&printed) {
                    out.push_str(&format!("REPRINT FAIL {:?}\n{}\n\n", e[0].message, printed));
                }
            }
            Err(e) => {
                for d in e {
                    let sp = d.span.unwrap_or_default();
                    let ctx_s = sp.start.saturating_sub(40);
                    let ctx_e = (sp.end + 40).min(s.len());
                    out.push_str(&format!(
                        "{} {} :: {:?}\n",
                        d.code,
                        d.message,
                        s.get(ctx_s..ctx_e)
                    ));
                }
            }
        }
    }
    std::fs::write("/tmp/parser_exp/fail.txt", out).unwrap();
    println!("PASS {ok}/{total}");
}
fn unescape(s: &str) -> String {
    let v: String = format!("\"{s}\"");
    // minimal JSON string decoding
    let mut out = String::new();
    let mut it = v[1..v.len() - 1].chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('u') => {
                    let h: String = it.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&h, 16).unwrap()).unwrap_or('?'));
                }
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c)
        }
    }
    out
}
