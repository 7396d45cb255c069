//! Tagging on several threads. libtorch tensors cannot be shared between threads, so each
//! thread loads its own copy of the model (21 MB for `models/default`) and runs its tensor
//! operations on itself alone. Independent copies scale better than one model whose
//! operations are split across threads: they never wait for each other inside a forward pass.
//!
//! A group of documents is cut into the pieces the tagger works on anyway ([`segments`]), and
//! the pieces into the batches the tagger would make ([`batches`]); each batch goes to
//! whichever copy is free. So a long document keeps every copy busy, and its spans are the
//! same as from one copy, since neither the model nor the rules look across the end of a
//! piece. Groups come back whole and in input order.

use std::collections::BTreeMap;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use anyhow::{anyhow, Context, Result};

use vaner::formats::FormatError;
use vaner::tagger::{batches, segments, Tagger, SEGMENT_BYTES};
use vaner::{Document, Span};

/// Documents as read (or the reason one could not be read), in input order.
pub type Group = Vec<Result<Document, FormatError>>;
/// The same documents with their spans, or why each failed.
pub type Tagged = Vec<Result<Document>>;

/// Pieces of text for one copy of the model: (group, part, texts).
type Job = (usize, usize, Vec<String>);
/// The spans of each piece of a part, relative to the piece: (group, part, spans).
type Done = (usize, usize, Vec<Result<Vec<Span>>>);

/// A group being tagged: its documents, where its pieces are, and the parts back so far.
struct Pending {
    docs: Group,
    /// (document, byte range) of each piece, in order.
    pieces: Vec<(usize, Range<usize>)>,
    parts: Vec<Option<Vec<Result<Vec<Span>>>>>,
    missing: usize,
}

pub struct Taggers {
    jobs: Option<SyncSender<Job>>,
    done: Receiver<Done>,
    threads: Vec<JoinHandle<()>>,
    /// Groups sent so far; the next one gets this number.
    sent: usize,
    /// The number of the next group to hand out.
    next: usize,
    pending: BTreeMap<usize, Pending>,
    /// Word from the copies still loading when `start` returned.
    ready: Receiver<Result<()>>,
    loading: usize,
}

impl Taggers {
    /// Starts `n` threads, each with the tagger `make` builds, and waits until the first is
    /// ready, so that a model that cannot be loaded is one error before any output; the
    /// other copies load while the first one tags (a copy that fails later is an error from
    /// `next`, at the latest when the last group is handed back).
    pub fn start<F>(n: usize, make: F) -> Result<Self>
    where
        F: Fn() -> Result<Box<dyn Tagger>> + Send + Sync + 'static,
    {
        let make = Arc::new(make);
        let (jobs, job_rx) = sync_channel::<Job>(n);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (done_tx, done) = channel();
        let (ready_tx, ready) = channel();
        let spawn = |i: usize| {
            let make = Arc::clone(&make);
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            let ready_tx = ready_tx.clone();
            std::thread::Builder::new()
                .name(format!("tagger-{i}"))
                .spawn(move || worker(&*make, &job_rx, &done_tx, &ready_tx))
                .context("starting a tagging thread")
        };
        let mut taggers = Taggers {
            jobs: Some(jobs),
            done,
            threads: vec![spawn(0)?],
            sent: 0,
            next: 0,
            pending: BTreeMap::new(),
            ready,
            loading: 1,
        };
        // An error here drops `taggers`, which stops the thread.
        taggers.wait_for_a_copy()?;
        // The other copies load once the first is ready, not beside it: loading side by side
        // delays the first output (by about 0.03 s on 2 cores, median of 12 runs).
        for i in 1..n {
            taggers.threads.push(spawn(i)?);
            taggers.loading += 1;
        }
        Ok(taggers)
    }

    /// Waits for word from one copy still loading.
    fn wait_for_a_copy(&mut self) -> Result<()> {
        let word = self.ready.recv();
        self.loading -= 1;
        word.map_err(|_| stopped_while_loading())?
    }

    /// Takes word from the copies that have finished loading, without waiting.
    fn poll_copies(&mut self) -> Result<()> {
        while self.loading > 0 {
            let word = match self.ready.try_recv() {
                Ok(word) => word,
                Err(TryRecvError::Empty) => return Ok(()),
                Err(TryRecvError::Disconnected) => Err(stopped_while_loading()),
            };
            self.loading -= 1;
            word?;
        }
        Ok(())
    }

    /// Groups sent and not yet handed back.
    pub fn in_flight(&self) -> usize {
        self.sent - self.next
    }

    /// Queues a group, part by part; blocks while every thread is busy and as many parts are
    /// queued.
    pub fn send(&mut self, docs: Group) -> Result<()> {
        let jobs = self
            .jobs
            .as_ref()
            .ok_or_else(|| anyhow!("the tagging threads have stopped"))?;
        let pieces: Vec<(usize, Range<usize>)> = docs
            .iter()
            .enumerate()
            .filter_map(|(d, doc)| doc.as_ref().ok().map(|doc| (d, doc)))
            .flat_map(|(d, doc)| segments(&doc.text, SEGMENT_BYTES).map(move |r| (d, r)))
            .collect();
        let parts = batches(pieces.iter().map(|(_, r)| r.len()));
        let group = self.sent;
        let jobs_of_group: Vec<Job> = parts
            .iter()
            .enumerate()
            .map(|(p, range)| {
                let texts = pieces[range.clone()]
                    .iter()
                    .map(|(d, r)| match &docs[*d] {
                        Ok(doc) => doc.text[r.clone()].to_string(),
                        Err(_) => String::new(),
                    })
                    .collect();
                (group, p, texts)
            })
            .collect();
        self.pending.insert(
            group,
            Pending {
                docs,
                pieces,
                parts: (0..parts.len()).map(|_| None).collect(),
                missing: parts.len(),
            },
        );
        self.sent += 1;
        for job in jobs_of_group {
            jobs.send(job)
                .map_err(|_| anyhow!("the tagging threads have stopped"))?;
        }
        Ok(())
    }

    /// The next group in input order, once tagged; `None` when every group sent was handed
    /// back.
    pub fn next(&mut self) -> Option<Result<Tagged>> {
        if self.next == self.sent {
            // Every copy has loaded, or failed to, before the run is declared done.
            while self.loading > 0 {
                if let Err(e) = self.wait_for_a_copy() {
                    return Some(Err(e));
                }
            }
            return None;
        }
        if let Err(e) = self.poll_copies() {
            return Some(Err(e));
        }
        while self.pending.get(&self.next)?.missing > 0 {
            match self.done.recv() {
                Ok((group, part, spans)) => {
                    if let Some(pending) = self.pending.get_mut(&group) {
                        pending.parts[part] = Some(spans);
                        pending.missing -= 1;
                    }
                }
                Err(_) => return Some(Err(anyhow!("the tagging threads have stopped"))),
            }
        }
        let pending = self.pending.remove(&self.next)?;
        self.next += 1;
        Some(Ok(assemble(pending)))
    }
}

fn stopped_while_loading() -> anyhow::Error {
    anyhow!("a tagging thread stopped while loading the model")
}

/// The documents of a group with the spans of their pieces, moved to document offsets.
fn assemble(pending: Pending) -> Tagged {
    let Pending {
        docs,
        pieces,
        parts,
        ..
    } = pending;
    let mut spans_of_pieces = parts.into_iter().flatten().flatten();
    let mut pieces = pieces.into_iter().peekable();
    docs.into_iter()
        .enumerate()
        .map(|(d, doc)| {
            let mut doc = doc?;
            let mut failed = None;
            while let Some((_, range)) = pieces.next_if(|(p, _)| *p == d) {
                match spans_of_pieces.next() {
                    Some(Ok(spans)) => doc.spans.extend(spans.into_iter().map(|s| Span {
                        start: s.start + range.start,
                        end: s.end + range.start,
                        label: s.label,
                    })),
                    Some(Err(e)) => failed = failed.or(Some(e)),
                    None => failed = failed.or(Some(anyhow!("tagging failed"))),
                }
            }
            match failed {
                Some(e) => Err(e).with_context(|| format!("tagging {}", doc.id)),
                None => Ok(doc),
            }
        })
        .collect()
}

impl Drop for Taggers {
    /// Closes the queue and waits for the threads to finish the part in hand, so that the
    /// process never exits while libtorch is running on another thread.
    fn drop(&mut self) {
        self.jobs = None;
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

fn worker(
    make: &(dyn Fn() -> Result<Box<dyn Tagger>> + Send + Sync),
    jobs: &Mutex<Receiver<Job>>,
    done: &Sender<Done>,
    ready: &Sender<Result<()>>,
) {
    // One thread per copy of the model: tensor operations stay on this thread.
    tch::set_num_threads(1);
    let tagger = match make() {
        Ok(t) => {
            let _ = ready.send(Ok(()));
            t
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    loop {
        // The lock is held only while waiting for the next part, not while tagging.
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((group, part, texts)) = job else {
            return;
        };
        let n = texts.len();
        // A failure inside libtorch must not leave the reader waiting for this part.
        let spans = catch_unwind(AssertUnwindSafe(|| {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            tagger
                .tag_all(&texts)
                .into_iter()
                .map(|r| r.map_err(anyhow::Error::from))
                .collect()
        }))
        .unwrap_or_else(|_| (0..n).map(|_| Err(anyhow!("tagging failed"))).collect());
        if done.send((group, part, spans)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vaner::model::ModelError;
    use vaner::{Label, Span};

    /// Tags the first character of a text as PER after a delay that depends on the text, so
    /// that groups finish out of order; fails on "fail".
    struct Slow;

    impl Tagger for Slow {
        fn tag(&self, text: &str) -> Result<Vec<Span>, ModelError> {
            std::thread::sleep(std::time::Duration::from_millis((text.len() % 7) as u64));
            if text == "fail" {
                return Err(ModelError::Data("no".into()));
            }
            Ok(vec![Span {
                start: 0,
                end: 1,
                label: Label::Per,
            }])
        }
    }

    fn doc(id: usize, text: &str) -> Result<Document, FormatError> {
        Ok(Document {
            id: id.to_string(),
            text: text.to_string(),
            spans: Vec::new(),
        })
    }

    #[test]
    fn groups_come_back_in_input_order_with_each_failure_in_place() {
        let mut taggers = Taggers::start(3, || Ok(Box::new(Slow) as Box<dyn Tagger>)).unwrap();
        let mut ids = Vec::new();
        let mut next = 0;
        for g in 0..20 {
            let group: Group = (0..g % 4 + 1)
                .map(|_| {
                    next += 1;
                    match next {
                        7 => Err(FormatError::new("in", "unreadable")),
                        11 => doc(next, "fail"),
                        _ => doc(next, &"x".repeat(next)),
                    }
                })
                .collect();
            taggers.send(group).unwrap();
            if taggers.in_flight() > 4 {
                ids.extend(taggers.next().unwrap().unwrap());
            }
        }
        while let Some(group) = taggers.next() {
            ids.extend(group.unwrap());
        }
        assert_eq!(ids.len(), next);
        for (i, d) in ids.iter().enumerate() {
            match i + 1 {
                7 => assert!(d.as_ref().unwrap_err().to_string().contains("unreadable")),
                11 => assert!(format!("{:#}", d.as_ref().unwrap_err()).contains("tagging 11")),
                n => {
                    let d = d.as_ref().unwrap();
                    assert_eq!(d.id, n.to_string());
                    assert_eq!(d.spans.len(), 1);
                }
            }
        }
    }

    /// Records which thread tagged each piece, and tags its first character as PER.
    struct Recording(Arc<Mutex<Vec<String>>>);

    impl Tagger for Recording {
        fn tag(&self, text: &str) -> Result<Vec<Span>, ModelError> {
            std::thread::sleep(std::time::Duration::from_millis(30));
            let name = std::thread::current().name().unwrap_or("").to_string();
            self.0.lock().unwrap().push(name);
            Ok(vec![Span {
                start: 0,
                end: text.chars().next().map_or(0, char::len_utf8),
                label: Label::Per,
            }])
        }
    }

    #[test]
    fn a_long_document_is_spread_over_the_copies_and_put_back_together() {
        let threads_seen = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&threads_seen);
        let mut taggers = Taggers::start(2, move || {
            Ok(Box::new(Recording(Arc::clone(&seen))) as Box<dyn Tagger>)
        })
        .unwrap();
        let paragraph = "Ông Lê Văn Một, Chủ tịch.\n\n";
        let text = paragraph.repeat(4 * SEGMENT_BYTES / paragraph.len());
        let pieces: Vec<Range<usize>> = segments(&text, SEGMENT_BYTES).collect();
        assert!(pieces.len() >= 4, "{} pieces", pieces.len());
        taggers
            .send(vec![doc(1, "ngắn"), doc(2, &text), doc(3, "x")])
            .unwrap();
        let tagged = taggers.next().unwrap().unwrap();
        assert!(taggers.next().is_none());
        let long = tagged[1].as_ref().unwrap();
        // One span at the start of each piece, at its offset in the whole document.
        let starts: Vec<usize> = long.spans.iter().map(|s| s.start).collect();
        let expected: Vec<usize> = pieces.iter().map(|r| r.start).collect();
        assert_eq!(starts, expected);
        assert_eq!(&text[long.spans[1].start..long.spans[1].end], "Ô");
        assert_eq!(tagged[0].as_ref().unwrap().spans.len(), 1);
        assert_eq!(tagged[2].as_ref().unwrap().spans.len(), 1);
        let mut names = threads_seen.lock().unwrap().clone();
        names.sort();
        names.dedup();
        assert_eq!(names, ["tagger-0", "tagger-1"]);
    }

    #[test]
    fn a_copy_that_fails_to_load_after_the_first_is_an_error() {
        let made = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut taggers = Taggers::start(2, move || {
            if made.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
                Ok(Box::new(Slow) as Box<dyn Tagger>)
            } else {
                Err(anyhow!("out of memory"))
            }
        })
        .unwrap();
        taggers.send(vec![doc(1, "x")]).unwrap();
        let mut errors = Vec::new();
        while let Some(group) = taggers.next() {
            if let Err(e) = group {
                errors.push(e.to_string());
            }
        }
        assert_eq!(errors, ["out of memory"]);
    }

    #[test]
    fn a_model_that_cannot_be_loaded_is_one_error() {
        let err = Taggers::start(2, || Err(anyhow!("no model")))
            .err()
            .unwrap();
        assert_eq!(err.to_string(), "no model");
    }
}
