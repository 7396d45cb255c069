//! Tagging on several threads. libtorch tensors cannot be shared between threads, so each
//! thread loads its own copy of the model (21 MB for `models/default`) and runs its tensor
//! operations on itself alone; threads take whole groups of documents, and the groups come
//! back in input order. Independent copies scale better than one model whose operations are
//! split across threads: they never wait for each other inside a forward pass.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use anyhow::{anyhow, Context, Result};

use vaner::formats::FormatError;
use vaner::tagger::Tagger;
use vaner::Document;

/// Documents as read (or the reason one could not be read), in input order.
pub type Group = Vec<Result<Document, FormatError>>;
/// The same documents with their spans, or why each failed.
pub type Tagged = Vec<Result<Document>>;

pub struct Taggers {
    jobs: Option<SyncSender<(usize, Group)>>,
    done: Receiver<(usize, Tagged)>,
    threads: Vec<JoinHandle<()>>,
    /// Groups sent so far; the next one gets this number.
    sent: usize,
    /// The number of the next group to hand out.
    next: usize,
    /// Groups that came back before an earlier one.
    waiting: BTreeMap<usize, Tagged>,
}

impl Taggers {
    /// Starts `n` threads, each with the tagger `make` builds, and waits until all are
    /// ready, so that a model that cannot be loaded is one error before any output.
    pub fn start<F>(n: usize, make: F) -> Result<Self>
    where
        F: Fn() -> Result<Box<dyn Tagger>> + Send + Sync + 'static,
    {
        let make = Arc::new(make);
        let (jobs, job_rx) = sync_channel::<(usize, Group)>(n);
        let job_rx = Arc::new(Mutex::new(job_rx));
        let (done_tx, done) = channel();
        let (ready_tx, ready) = channel();
        let threads = (0..n)
            .map(|i| {
                let make = Arc::clone(&make);
                let job_rx = Arc::clone(&job_rx);
                let done_tx = done_tx.clone();
                let ready_tx = ready_tx.clone();
                std::thread::Builder::new()
                    .name(format!("tagger-{i}"))
                    .spawn(move || worker(&*make, &job_rx, &done_tx, &ready_tx))
                    .context("starting a tagging thread")
            })
            .collect::<Result<Vec<_>>>()?;
        let taggers = Taggers {
            jobs: Some(jobs),
            done,
            threads,
            sent: 0,
            next: 0,
            waiting: BTreeMap::new(),
        };
        // An error here drops `taggers`, which stops the threads that did start.
        for _ in 0..n {
            ready
                .recv()
                .map_err(|_| anyhow!("a tagging thread stopped while loading the model"))??;
        }
        Ok(taggers)
    }

    /// Groups sent and not yet handed back.
    pub fn in_flight(&self) -> usize {
        self.sent - self.next
    }

    /// Queues a group; blocks while every thread is busy and as many groups are queued.
    pub fn send(&mut self, group: Group) -> Result<()> {
        let jobs = self
            .jobs
            .as_ref()
            .ok_or_else(|| anyhow!("the tagging threads have stopped"))?;
        jobs.send((self.sent, group))
            .map_err(|_| anyhow!("the tagging threads have stopped"))?;
        self.sent += 1;
        Ok(())
    }

    /// The next group in input order, once tagged; `None` when every group sent was handed
    /// back.
    pub fn next(&mut self) -> Option<Result<Tagged>> {
        if self.next == self.sent {
            return None;
        }
        while !self.waiting.contains_key(&self.next) {
            match self.done.recv() {
                Ok((i, tagged)) => {
                    self.waiting.insert(i, tagged);
                }
                Err(_) => return Some(Err(anyhow!("the tagging threads have stopped"))),
            }
        }
        let tagged = self.waiting.remove(&self.next)?;
        self.next += 1;
        Some(Ok(tagged))
    }
}

impl Drop for Taggers {
    /// Closes the queue and waits for the threads to finish the group in hand, so that the
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
    jobs: &Mutex<Receiver<(usize, Group)>>,
    done: &Sender<(usize, Tagged)>,
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
        // The lock is held only while waiting for the next group, not while tagging.
        let job = match jobs.lock() {
            Ok(rx) => rx.recv(),
            Err(_) => return,
        };
        let Ok((i, group)) = job else { return };
        let n = group.len();
        // A failure inside libtorch must not leave the reader waiting for this group.
        let tagged = catch_unwind(AssertUnwindSafe(|| tag_group(&*tagger, group)))
            .unwrap_or_else(|_| (0..n).map(|_| Err(anyhow!("tagging failed"))).collect());
        if done.send((i, tagged)).is_err() {
            return;
        }
    }
}

/// Tags the documents of a group that could be read, all at once.
fn tag_group(tagger: &dyn Tagger, group: Group) -> Tagged {
    let texts: Vec<&str> = group
        .iter()
        .filter_map(|d| d.as_ref().ok().map(|d| d.text.as_str()))
        .collect();
    let spans = tagger.tag_all(&texts);
    let mut spans = spans.into_iter();
    group
        .into_iter()
        .map(|doc| {
            let mut doc = doc?;
            doc.spans = spans
                .next()
                .unwrap_or_else(|| Ok(Vec::new()))
                .with_context(|| format!("tagging {}", doc.id))?;
            Ok(doc)
        })
        .collect()
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

    #[test]
    fn a_model_that_cannot_be_loaded_is_one_error() {
        let err = Taggers::start(2, || Err(anyhow!("no model")))
            .err()
            .unwrap();
        assert_eq!(err.to_string(), "no model");
    }
}
