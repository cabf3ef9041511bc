//! Any UTF-8 text given to the SPL parser gives a pipeline or diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(pipeline) = spl_syntax::parse_pipeline(text) {
        // Every span the parser reports must lie inside the text.
        assert!(
            pipeline.span.end <= text.len(),
            "pipeline span past the end"
        );
        for command in &pipeline.commands {
            assert!(
                command.span.start <= command.span.end,
                "reversed command span"
            );
            assert!(command.span.end <= text.len(), "command span past the end");
        }
    }
});
