//! Transparent decompression of event files: gzip and zstd, detected by their magic bytes.
//!
//! * gzip (`1f 8b`): every member is read, one after another, to the end of the file.
//! * zstd (`28 b5 2f fd`): every frame is read to the end of the file; skippable frames
//!   (magic `5? 2a 4d 18`) are passed over. The decoder is the pure-Rust `ruzstd` crate:
//!   no C toolchain is needed, and a decoder for hostile input is best written in a
//!   memory-safe language. It decodes one frame at a time, so the loop over frames is here
//!   (the same loop as for gzip members). A frame whose window is larger than 100 MiB is
//!   refused by the decoder, so memory stays bounded whatever a frame header claims.
//! * Bytes after the last member or frame: zero bytes only (padding left by tape or block
//!   devices, which `gzip -d` also ignores) are skipped with a warning left in the
//!   [`NoticeSlot`] (reported as an [`super::InputNotice`]); any other byte is an error
//!   naming the byte offset where the trailing data starts. Nothing is ignored silently.
//! * Errors inside a member or frame name the compressed byte offset where it starts. The
//!   gzip CRC and, when a frame has one, the zstd content checksum are checked.
//!
//! Decompression is streamed: memory is bounded by the decoders' windows and the line limit
//! of the reader above, never by the decompressed size (a "bomb" of one huge line is skipped
//! like any other over-long line).

use ruzstd::decoding::{FrameDecoder, StreamingDecoder};
use std::io::{BufRead, Read};
use std::sync::{Arc, Mutex};

/// The magic bytes of a gzip member.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The magic bytes of a zstd frame (0xFD2FB528, little-endian).
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// An empty zstd frame (single segment, content size 0, no checksum). Initialising the
/// frame decoder with it first means every real frame goes through the decoder's `reset`,
/// which is where `ruzstd` 0.8 refuses windows over 100 MiB (its first `init` does not).
const EMPTY_ZSTD_FRAME: [u8; 9] = [0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x00, 0x01, 0x00, 0x00];

/// The compression of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip, one or more members.
    Gzip,
    /// zstd, one or more frames.
    Zstd,
}

impl Compression {
    /// The compression whose magic bytes `start` begins with.
    pub fn detect(start: &[u8]) -> Compression {
        if start.starts_with(&GZIP_MAGIC) {
            Compression::Gzip
        } else if start.starts_with(&ZSTD_MAGIC) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    fn member_word(self) -> &'static str {
        match self {
            Compression::Zstd => "zstd frame",
            _ => "gzip member",
        }
    }
}

/// A warning the decompressor leaves for the reader (trailing zero padding), shared with it.
pub type NoticeSlot = Arc<Mutex<Option<String>>>;

/// Wraps `reader` in a decompressor when its first bytes are a gzip or zstd magic number.
/// Returns the reader to take text from and, for compressed files, the slot where a
/// warning about ignored trailing bytes is left once the end is reached.
pub fn decompressed(
    mut reader: Box<dyn BufRead>,
    buffer_bytes: usize,
) -> std::io::Result<(Box<dyn BufRead>, Option<NoticeSlot>)> {
    let start = reader.fill_buf()?;
    let decided = start.is_empty() || start.len() >= ZSTD_MAGIC.len();
    if decided && Compression::detect(start) == Compression::None {
        return Ok((reader, None));
    }
    // A short first read (a pipe) is completed before deciding.
    let mut source = Counting::new(reader);
    let compression = Compression::detect(source.peek(ZSTD_MAGIC.len())?);
    if compression == Compression::None {
        return Ok((Box::new(source), None));
    }
    let notice = NoticeSlot::default();
    let decoder = Decompressed {
        state: State::Between(source),
        compression,
        notice: Arc::clone(&notice),
        frame_decoder: None,
    };
    Ok((
        Box::new(std::io::BufReader::with_capacity(buffer_bytes, decoder)),
        Some(notice),
    ))
}

/// A `BufRead` that counts the bytes consumed from it (the compressed offset) and can
/// look at the next few bytes even across the inner reader's buffer boundaries.
struct Counting<R> {
    inner: R,
    /// Bytes taken from `inner` by [`Counting::peek`] and not yet consumed.
    peeked: Vec<u8>,
    position: usize,
    consumed: u64,
}

impl<R: BufRead> Counting<R> {
    fn new(inner: R) -> Counting<R> {
        Counting {
            inner,
            peeked: Vec::new(),
            position: 0,
            consumed: 0,
        }
    }

    /// The next bytes, at least `wanted` of them unless the input ends first.
    fn peek(&mut self, wanted: usize) -> std::io::Result<&[u8]> {
        if self.position >= self.peeked.len() {
            self.peeked.clear();
            self.position = 0;
        }
        while self.peeked.len() - self.position < wanted {
            let chunk = self.inner.fill_buf()?;
            if chunk.is_empty() {
                break;
            }
            let take = chunk
                .len()
                .min(wanted - (self.peeked.len() - self.position));
            self.peeked.extend_from_slice(&chunk[..take]);
            self.inner.consume(take);
        }
        Ok(&self.peeked[self.position..])
    }
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let read = available.len().min(buffer.len());
        buffer[..read].copy_from_slice(&available[..read]);
        self.consume(read);
        Ok(read)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.position < self.peeked.len() {
            return Ok(&self.peeked[self.position..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.consumed += amount as u64;
        if self.position < self.peeked.len() {
            self.position = (self.position + amount).min(self.peeked.len());
            return;
        }
        self.inner.consume(amount);
    }
}

type Source = Counting<Box<dyn BufRead>>;

/// Where the decompressor is.
enum State {
    /// Between members or frames (or before the first).
    Between(Source),
    /// Inside a gzip member that starts at `start`.
    Gzip {
        decoder: Box<flate2::bufread::GzDecoder<Source>>,
        start: u64,
    },
    /// Inside a zstd frame that starts at `start`.
    Zstd {
        decoder: Box<StreamingDecoder<Source, FrameDecoder>>,
        start: u64,
    },
    /// The end was reached (or an error stopped reading).
    Done,
}

/// Decompresses every member or frame of one file, then checks what follows the last.
struct Decompressed {
    state: State,
    compression: Compression,
    notice: NoticeSlot,
    /// The zstd frame decoder, kept between frames (its buffers are reused).
    frame_decoder: Option<FrameDecoder>,
}

impl Read for Decompressed {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if buffer.is_empty() {
            return Ok(0);
        }
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Ok(0),
                State::Between(source) => self.state = self.start_next(source)?,
                State::Gzip { mut decoder, start } => match decoder.read(buffer) {
                    Ok(0) => self.state = State::Between(decoder.into_inner()),
                    Ok(read) => {
                        self.state = State::Gzip { decoder, start };
                        return Ok(read);
                    }
                    Err(error) => return Err(self.inside_error(error, start)),
                },
                State::Zstd { mut decoder, start } => match decoder.read(buffer) {
                    Ok(0) => {
                        check_zstd_checksum(&decoder.decoder, start)?;
                        let (source, frame_decoder) = decoder.into_parts();
                        self.frame_decoder = Some(frame_decoder);
                        self.state = State::Between(source);
                    }
                    Ok(read) => {
                        self.state = State::Zstd { decoder, start };
                        return Ok(read);
                    }
                    Err(error) => return Err(self.inside_error(error, start)),
                },
            }
        }
    }
}

impl Decompressed {
    /// At a member or frame boundary: starts the next one, or ends the stream (checking any
    /// trailing bytes).
    fn start_next(&mut self, mut source: Source) -> std::io::Result<State> {
        let start = source.consumed;
        let next = source.peek(SKIPPABLE_HEADER_BYTES)?;
        if next.is_empty() {
            return Ok(State::Done);
        }
        match (self.compression, Compression::detect(next)) {
            (Compression::Gzip, Compression::Gzip) => Ok(State::Gzip {
                decoder: Box::new(flate2::bufread::GzDecoder::new(source)),
                start,
            }),
            (Compression::Zstd, Compression::Zstd) => self.start_frame(source),
            (Compression::Zstd, _) if is_skippable_frame(next) => {
                skip_frame(&mut source)?;
                Ok(State::Between(source))
            }
            _ => {
                self.check_trailing(source)?;
                Ok(State::Done)
            }
        }
    }

    /// Starts a zstd frame at the current offset.
    fn start_frame(&mut self, source: Source) -> std::io::Result<State> {
        let start = source.consumed;
        let frame_decoder = match self.frame_decoder.take() {
            Some(frame_decoder) => frame_decoder,
            None => primed_frame_decoder()?,
        };
        match StreamingDecoder::new_with_decoder(source, frame_decoder) {
            Ok(decoder) => Ok(State::Zstd {
                decoder: Box::new(decoder),
                start,
            }),
            Err(error) => Err(invalid_data(format!(
                "zstd frame starting at byte offset {start}: {error}"
            ))),
        }
    }

    /// Reads what follows the last member or frame: zero bytes are ignored with a notice,
    /// anything else is an error naming the offset where the trailing data starts.
    fn check_trailing(&mut self, mut source: Source) -> std::io::Result<()> {
        let start = source.consumed;
        loop {
            let buffer = source.fill_buf()?;
            if buffer.is_empty() {
                break;
            }
            if let Some(position) = buffer.iter().position(|&byte| byte != 0) {
                let offset = source.consumed + position as u64;
                return Err(invalid_data(format!(
                    "unexpected data after the last {} at byte offset {start} (first non-zero \
                     byte at offset {offset}); the file is damaged or is not one compressed \
                     stream",
                    self.compression.member_word()
                )));
            }
            let length = buffer.len();
            source.consume(length);
        }
        let padding = source.consumed - start;
        if let Ok(mut slot) = self.notice.lock() {
            *slot = Some(format!(
                "{padding} zero bytes after the last {} (from byte offset {start}) ignored",
                self.compression.member_word()
            ));
        }
        Ok(())
    }

    /// An error from inside a member or frame, with the offset where it starts.
    fn inside_error(&self, error: std::io::Error, start: u64) -> std::io::Error {
        std::io::Error::new(
            error.kind(),
            format!(
                "{} starting at byte offset {start}: {error}",
                self.compression.member_word()
            ),
        )
    }
}

/// Compares a finished frame's content checksum, when it has one, with the checksum of what
/// was decoded (the decoder computes it but does not compare it).
fn check_zstd_checksum(frame_decoder: &FrameDecoder, start: u64) -> std::io::Result<()> {
    let Some(expected) = frame_decoder.get_checksum_from_data() else {
        return Ok(());
    };
    if frame_decoder.get_calculated_checksum() == Some(expected) {
        return Ok(());
    }
    Err(invalid_data(format!(
        "zstd frame starting at byte offset {start}: the content checksum does not match \
         (the data is damaged)"
    )))
}

/// The magic number and length that start a skippable zstd frame.
const SKIPPABLE_HEADER_BYTES: usize = 8;

/// True when `next` starts a skippable zstd frame (magic 0x184D2A50 to 0x184D2A5F).
fn is_skippable_frame(next: &[u8]) -> bool {
    matches!(next, [low, 0x2a, 0x4d, 0x18, ..] if low & 0xf0 == 0x50)
}

/// Passes over one skippable frame (its 8-byte header and its content).
fn skip_frame(source: &mut Source) -> std::io::Result<()> {
    let start = source.consumed;
    let mut header = [0u8; SKIPPABLE_HEADER_BYTES];
    let truncated = || {
        invalid_data(format!(
            "skippable zstd frame starting at byte offset {start} is cut short"
        ))
    };
    source.read_exact(&mut header).map_err(|_| truncated())?;
    let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    let skipped = std::io::copy(
        &mut Read::by_ref(source).take(u64::from(length)),
        &mut std::io::sink(),
    )?;
    if skipped < u64::from(length) {
        return Err(truncated());
    }
    Ok(())
}

/// A frame decoder initialised once with an empty frame (see [`EMPTY_ZSTD_FRAME`]).
fn primed_frame_decoder() -> std::io::Result<FrameDecoder> {
    let mut frame_decoder = FrameDecoder::new();
    frame_decoder
        .init(&EMPTY_ZSTD_FRAME[..])
        .map_err(|error| invalid_data(format!("zstd decoder: {error}")))?;
    Ok(frame_decoder)
}

fn invalid_data(message: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Write};

    /// Events compressed by the `zstd` tool (1.5.4, one frame with a checksum).
    const ZSTD_TOOL_FRAME: &str = "28b52ffd2458b50100f2420a10b0eb046d05c321511b4e1e586806498cb7be\
        be5cdc5a132979f2d6fa6174a22f0333138c464fca2d03005c2903f6e08be904d27b4574";

    const EVENTS: &str =
        "{\"user\":\"amy\",\"verb\":\"get\"}\n{\"user\":\"bob\",\"verb\":\"list\"}\n\
        {\"user\":\"amy\",\"verb\":\"delete\"}\n";

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
            .collect()
    }

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text).expect("compress");
        encoder.finish().expect("compress")
    }

    /// Decompresses `data` read through a buffer of `capacity` bytes (1 = every read returns
    /// one byte, as a slow pipe may); the text, or the error, and the notice.
    fn read_all(data: Vec<u8>, capacity: usize) -> (Result<String, String>, Option<String>) {
        let reader: Box<dyn BufRead> = Box::new(BufReader::with_capacity(
            capacity,
            std::io::Cursor::new(data),
        ));
        let (mut text, notice) = match decompressed(reader, 64) {
            Ok(opened) => opened,
            Err(error) => return (Err(error.to_string()), None),
        };
        let mut out = String::new();
        let result = text
            .read_to_string(&mut out)
            .map(|_| out)
            .map_err(|e| e.to_string());
        let notice = notice.and_then(|slot| slot.lock().ok().and_then(|mut s| s.take()));
        (result, notice)
    }

    #[test]
    fn plain_gzip_and_zstd_read_the_same_whatever_the_read_sizes() {
        let zstd = hex(ZSTD_TOOL_FRAME);
        for capacity in [1, 2, 3, 5, 64 * 1024] {
            for data in [
                EVENTS.as_bytes().to_vec(),
                gzip(EVENTS.as_bytes()),
                zstd.clone(),
            ] {
                let (text, notice) = read_all(data, capacity);
                assert_eq!(text.as_deref(), Ok(EVENTS), "capacity {capacity}");
                assert_eq!(notice, None);
            }
        }
    }

    #[test]
    fn frames_and_members_are_read_to_the_end_across_buffer_boundaries() {
        let mut zstd = hex(ZSTD_TOOL_FRAME);
        zstd.extend([0x50, 0x2a, 0x4d, 0x18, 2, 0, 0, 0, b'x', b'y']); // skippable frame
        zstd.extend(hex(ZSTD_TOOL_FRAME));
        let mut gzipped = gzip(EVENTS.as_bytes());
        gzipped.extend(gzip(EVENTS.as_bytes()));
        for capacity in [1, 3, 7, 64 * 1024] {
            for data in [zstd.clone(), gzipped.clone()] {
                let (text, _) = read_all(data, capacity);
                assert_eq!(text, Ok(EVENTS.repeat(2)), "capacity {capacity}");
            }
        }
    }

    #[test]
    fn trailing_zeros_leave_a_notice_and_other_bytes_are_an_error() {
        let member = gzip(EVENTS.as_bytes());
        let length = member.len();
        let mut padded = member.clone();
        padded.extend([0; 10]);
        let (text, notice) = read_all(padded, 3);
        assert_eq!(text.as_deref(), Ok(EVENTS));
        assert_eq!(
            notice,
            Some(format!(
                "10 zero bytes after the last gzip member (from byte offset {length}) ignored"
            ))
        );
        let mut garbage = member;
        garbage.extend(b"\0x");
        let (text, _) = read_all(garbage, 3);
        let error = text.expect_err("garbage is an error");
        assert!(
            error.contains(&format!(
                "unexpected data after the last gzip member at byte offset {length} (first \
                 non-zero byte at offset {})",
                length + 1
            )),
            "{error}"
        );
    }
}
