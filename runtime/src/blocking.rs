//! Blocking calls (feature `blocking`): run a client's futures to completion for a caller that has no async
//! runtime of its own, and turn paginators into iterators.
//!
//! Every blocking call runs on one background tokio runtime that the process starts on first use and keeps
//! (two worker threads, named `lean-aws-blocking`); the calling thread waits for the answer on a channel. So a
//! blocking call works the same from a plain thread, from many threads at once, and from inside an async runtime
//! (where `reqwest::blocking` and `Runtime::block_on` panic): there it blocks the calling worker thread until the
//! answer comes, which an async caller should avoid (use the async client instead), but it neither panics nor
//! deadlocks, since the call does not need the caller's runtime to make progress.

use crate::error::SdkError;
use crate::paginator::{Items, PageResult, Paginate, Paginator};
use std::future::Future;
use std::sync::OnceLock;

/// Why a blocking call could not be made at all.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlockingError {
    /// What went wrong, and what to do about it.
    pub message: String,
}

impl std::fmt::Display for BlockingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BlockingError {}

/// The background runtime, or why it could not be started.
fn runtime() -> Result<&'static tokio::runtime::Runtime, BlockingError> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("lean-aws-blocking")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| BlockingError {
            message: format!(
                "the background runtime for blocking calls could not start ({e}); use the async client instead"
            ),
        })
}

/// Runs `future` on the background runtime and waits for its output on the calling thread.
pub fn block_on<F>(future: F) -> Result<F::Output, BlockingError>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let runtime = runtime()?;
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime.spawn(async move {
        // The receiver waits for this; if it is gone, nobody wants the answer.
        let _ = tx.send(future.await);
    });
    rx.recv().map_err(|_| BlockingError {
        message: "the blocking call's task ended without an answer (it panicked or the runtime is shutting down)"
            .into(),
    })
}

/// Runs an SDK call on the background runtime: its result, or a [`SdkError::Blocking`] when it could not run.
pub fn call<F, T, E>(future: F) -> Result<T, SdkError<E>>
where
    F: Future<Output = Result<T, SdkError<E>>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    block_on(future).unwrap_or_else(|e| Err(SdkError::Blocking(e)))
}

/// The pages of a paginated call, one at a time, each fetched when the iterator is advanced.
pub struct Pages<O: Paginate> {
    pages: Option<Paginator<O>>,
}

impl<O: Paginate> std::fmt::Debug for Pages<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("pages", &self.pages).finish()
    }
}

impl<O> Pages<O>
where
    O: Paginate + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// Iterates over `pages`: each `next` fetches one page on the background runtime, blocking until it comes.
    pub fn new(pages: Paginator<O>) -> Self {
        Pages { pages: Some(pages) }
    }

    /// The items of every page, one by one; a page is fetched when the items before it are used up.
    pub fn items(self) -> PageItems<O> {
        PageItems {
            items: self.pages.map(Paginator::items),
        }
    }
}

impl<O> Iterator for Pages<O>
where
    O: Paginate + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = PageResult<O>;

    fn next(&mut self) -> Option<PageResult<O>> {
        let mut pages = self.pages.take()?;
        match block_on(async move {
            let page = pages.next().await;
            (page, pages)
        }) {
            Ok((page, pages)) => {
                self.pages = Some(pages);
                page
            }
            // The paginator went with the task: this error ends the iteration.
            Err(e) => Some(Err(SdkError::Blocking(e))),
        }
    }
}

/// The items of every page of a paginated call, one at a time.
pub struct PageItems<O: Paginate> {
    items: Option<Items<O>>,
}

impl<O: Paginate> std::fmt::Debug for PageItems<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageItems").field("items", &self.items).finish()
    }
}

impl<O> Iterator for PageItems<O>
where
    O: Paginate + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Item: Send + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<O::Item, SdkError<O::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut items = self.items.take()?;
        match block_on(async move {
            let item = items.next().await;
            (item, items)
        }) {
            Ok((item, items)) => {
                self.items = Some(items);
                item
            }
            Err(e) => Some(Err(SdkError::Blocking(e))),
        }
    }
}
