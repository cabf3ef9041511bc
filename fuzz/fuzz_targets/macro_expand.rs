//! Macro expansion over a fixed set that includes recursive and cyclic macros: any input
//! expands or gives a diagnostic, within the size limit, and never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use spl_syntax::macros::{expand, ExpandOptions, MacroDefinition, MacroSet};

/// The macros every input is expanded against.
fn macro_set() -> MacroSet {
    let mut set = MacroSet::with_builtins();
    let origin = "fuzz.yml";
    set.insert(MacroDefinition::new(
        "plain",
        r#"source="kube" verb=get"#,
        origin,
    ));
    set.insert(MacroDefinition::new("self_loop", "`self_loop` x=1", origin));
    set.insert(MacroDefinition::new("ping", "a=1 `pong`", origin));
    set.insert(MacroDefinition::new("pong", "b=2 `ping`", origin));
    set.insert(MacroDefinition::new(
        "double",
        "`plain` `plain` `plain` `plain`",
        origin,
    ));
    set.insert(MacroDefinition::new(
        "quad",
        "`double` `double` `double` `double`",
        origin,
    ));
    set.insert(MacroDefinition::new(
        "bomb",
        "`quad` `quad` `quad` `quad` `quad`",
        origin,
    ));
    set.insert(
        MacroDefinition::new("wrap", r#"eval $field$="$value$" | `plain`"#, origin)
            .with_arguments(["field", "value"]),
    );
    set.insert(MacroDefinition::new("again", "`again($x$)` $x$", origin).with_arguments(["x"]));
    set.insert(MacroDefinition::new(
        "quoted",
        r#""`plain`" ```comment```"#,
        origin,
    ));
    set
}

fuzz_target!(|text: &str| {
    let set = macro_set();
    let options = ExpandOptions::default();
    if let Ok(expanded) = expand(text, &set, &options) {
        assert!(
            expanded.text.len() <= options.max_size,
            "expanded text {} bytes is over the {} byte limit",
            expanded.text.len(),
            options.max_size
        );
        // The expanded text must still be safe to parse.
        let _ = spl_syntax::parse_pipeline(&expanded.text);
    }
});
