//! A buffered reader whose reads happen on a second thread, so that copying the file from the
//! operating system overlaps with parsing. Chunks are handed over without copying and
//! recycled; at most [`CHUNKS_IN_FLIGHT`] chunks exist at once, so memory stays flat.

use std::io::{BufRead, Read};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

/// Chunks queued between the reading thread and the consumer.
const CHUNKS_IN_FLIGHT: usize = 3;

/// A [`BufRead`] over chunks read by a background thread.
pub(super) struct ThreadedReader {
    chunks: Receiver<std::io::Result<Vec<u8>>>,
    recycled: SyncSender<Vec<u8>>,
    current: Vec<u8>,
    position: usize,
    finished: bool,
}

impl ThreadedReader {
    /// Starts reading `source` in chunks of `chunk_bytes` on a new thread.
    pub(super) fn spawn(
        mut source: impl Read + Send + 'static,
        chunk_bytes: usize,
    ) -> std::io::Result<ThreadedReader> {
        let (chunk_sender, chunks) = sync_channel(CHUNKS_IN_FLIGHT);
        let (recycled, recycled_chunks) = sync_channel::<Vec<u8>>(CHUNKS_IN_FLIGHT + 2);
        std::thread::Builder::new()
            .name("spl-read".into())
            .spawn(move || loop {
                let mut chunk = recycled_chunks
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(chunk_bytes));
                chunk.clear();
                let limit = u64::try_from(chunk_bytes).unwrap_or(u64::MAX);
                // `read_to_end` fills the spare capacity without zeroing it first.
                let read = source.by_ref().take(limit).read_to_end(&mut chunk);
                let done = !matches!(read, Ok(length) if length > 0);
                let item = read.map(|_| chunk);
                if chunk_sender.send(item).is_err() || done {
                    return;
                }
            })?;
        Ok(ThreadedReader {
            chunks,
            recycled,
            current: Vec::new(),
            position: 0,
            finished: false,
        })
    }
}

impl Read for ThreadedReader {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let length = available.len().min(buffer.len());
        if let (Some(target), Some(source)) = (buffer.get_mut(..length), available.get(..length)) {
            target.copy_from_slice(source);
        }
        self.consume(length);
        Ok(length)
    }
}

impl BufRead for ThreadedReader {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        while self.position >= self.current.len() && !self.finished {
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    if chunk.is_empty() {
                        self.finished = true;
                    }
                    let used = std::mem::replace(&mut self.current, chunk);
                    self.position = 0;
                    if used.capacity() > 0 {
                        let _ = self.recycled.try_send(used);
                    }
                }
                Ok(Err(error)) => {
                    self.finished = true;
                    return Err(error);
                }
                Err(_) => self.finished = true,
            }
        }
        Ok(self.current.get(self.position..).unwrap_or_default())
    }

    fn consume(&mut self, amount: usize) {
        self.position = self.position.saturating_add(amount).min(self.current.len());
    }
}
