//! Any bytes given to the decompressor (gzip members, zstd frames, trailing bytes, or plain
//! text) give text or an error, never a panic, and decompression stays streamed: the output
//! is read in bounded pieces and given up after 64 MiB (a bomb is the line limit's job).
#![no_main]

use libfuzzer_sys::fuzz_target;
use spl_engine::input::decompress::decompressed;
use std::io::{BufRead, Read};

/// Decompressed bytes read before giving up on one input.
const MAX_OUTPUT: usize = 64 * 1024 * 1024;

fuzz_target!(|data: &[u8]| {
    let reader: Box<dyn BufRead> = Box::new(std::io::Cursor::new(data.to_vec()));
    let Ok((mut text, notice)) = decompressed(reader, 64 * 1024) else {
        return;
    };
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0;
    while total < MAX_OUTPUT {
        match text.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => total += read,
        }
    }
    // A notice (ignored zero padding) is only ever left for compressed input.
    if let Some(notice) = notice {
        let _ = notice.lock().map(|mut slot| slot.take());
    }
});
