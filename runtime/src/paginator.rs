//! Paginated operations as streams of pages.
//!
//! A generated crate implements [`Paginate`] for each paginated operation (which input member takes the token,
//! which output member gives the next one, which list a page carries) and returns a [`Paginator`] from its
//! `<operation>_pages` method. The paginator sends the input, then the input with each page's token, and stops
//! after a page whose token is absent or empty. A token that comes back twice in a row would request the same page
//! forever: the paginator yields that page, then [`SdkError::Pagination`], and stops, as botocore does.
//!
//! Pages are a [`Stream`]; without a stream library, [`Paginator::next`] and [`Items::next`] do.

use crate::client::Client;
use crate::error::{PaginationError, SdkError};
use crate::operation::Operation;
use crate::time::BoxFuture;
pub use futures_core::Stream;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};

/// How a paginated operation pages: the model's `paginators-1.json` entry, as plain field access. The generator
/// implements it on the operation's marker type; users call the generated `<operation>_pages` method instead.
pub trait Paginate: Operation {
    /// An element of the list each page carries (the model's `result_key`).
    type Item;
    /// The output member holding the next token, e.g. `Marker` (for messages).
    const TOKEN: &'static str;
    /// Puts `token` into the input for the next page (the model's `input_token` member).
    fn set_token(input: &mut Self::Input, token: String);
    /// The token for the next page (the model's `output_token` member), if the output has one. `None` or an
    /// empty token ends the paging.
    fn next_token(output: &Self::Output) -> Option<&str>;
    /// The page's list (the `result_key` member), empty when the page has none.
    fn items(output: Self::Output) -> Vec<Self::Item>;
}

/// What each page of a paginated call is: the output, or the error that ended the paging.
pub type PageResult<O> = Result<<O as Operation>::Output, SdkError<<O as Operation>::Error>>;

enum State<O: Paginate> {
    /// Ready to send the next request.
    Ready,
    /// A request is under way.
    InFlight(BoxFuture<'static, PageResult<O>>),
    /// The last page came back with a repeated token: say so next, then stop.
    Repeated(PaginationError),
    /// Nothing more.
    Done,
}

/// A stream of the pages of one paginated call.
pub struct Paginator<O: Paginate> {
    client: Client,
    input: O::Input,
    /// The token of the request under way or last sent.
    sent: Option<String>,
    state: State<O>,
}

// Nothing in a paginator is pinned in place: the request under way is boxed.
impl<O: Paginate> Unpin for Paginator<O> {}

impl<O: Paginate> std::fmt::Debug for Paginator<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The input may hold secrets; the token is the service's and safe to show.
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("token", &self.sent)
            .finish_non_exhaustive()
    }
}

impl<O> Paginator<O>
where
    O: Paginate + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// Pages through `O` with `input` (any token it holds is where paging starts).
    pub fn new(client: Client, input: O::Input) -> Self {
        Paginator {
            client,
            input,
            sent: None,
            state: State::Ready,
        }
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<PageResult<O>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every page, or the first error (the pages before it are dropped).
    pub async fn try_collect(self) -> Result<Vec<O::Output>, SdkError<O::Error>> {
        collect_all(self).await.into_iter().collect()
    }

    /// Every page's result, an error last if one ended the paging.
    pub async fn collect<C: FromIterator<PageResult<O>>>(self) -> C {
        collect_all(self).await.into_iter().collect()
    }

    /// The items of every page, one by one.
    pub fn items(self) -> Items<O> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<O> Stream for Paginator<O>
where
    O: Paginate + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Repeated(_) => {
                    let State::Repeated(error) = std::mem::replace(&mut this.state, State::Done) else {
                        unreachable!("matched just above")
                    };
                    return Poll::Ready(Some(Err(SdkError::Pagination(error))));
                }
                State::Ready => {
                    let mut input = this.input.clone();
                    if let Some(token) = &this.sent {
                        O::set_token(&mut input, token.clone());
                    }
                    let client = this.client.clone();
                    this.state = State::InFlight(Box::pin(async move { client.invoke::<O>(&input).await }));
                }
                State::InFlight(request) => {
                    let result = match request.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(result) => result,
                    };
                    this.state = match &result {
                        Err(_) => State::Done,
                        Ok(page) => match O::next_token(page).filter(|t| !t.is_empty()) {
                            None => State::Done,
                            Some(next) if this.sent.as_deref() == Some(next) => State::Repeated(PaginationError {
                                operation: O::NAME,
                                token_name: O::TOKEN,
                                token: next.to_owned(),
                            }),
                            Some(next) => {
                                this.sent = Some(next.to_owned());
                                State::Ready
                            }
                        },
                    };
                    return Poll::Ready(Some(result));
                }
            }
        }
    }
}

/// A stream of the items of every page; an error ends it.
pub struct Items<O: Paginate> {
    pages: Paginator<O>,
    buffer: std::vec::IntoIter<O::Item>,
}

impl<O: Paginate> Unpin for Items<O> {}

impl<O: Paginate> std::fmt::Debug for Items<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<O> Items<O>
where
    O: Paginate + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// The next item, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<O::Item, SdkError<O::Error>>> {
        poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item, or the first error (the items before it are dropped).
    pub async fn try_collect(self) -> Result<Vec<O::Item>, SdkError<O::Error>> {
        collect_all(self).await.into_iter().collect()
    }

    /// Every item's result, an error last if one ended the paging.
    pub async fn collect<C: FromIterator<Result<O::Item, SdkError<O::Error>>>>(self) -> C {
        collect_all(self).await.into_iter().collect()
    }
}

impl<O> Stream for Items<O>
where
    O: Paginate + 'static,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = Result<O::Item, SdkError<O::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer = O::items(page).into_iter(),
            }
        }
    }
}

/// Everything `stream` yields, in order.
async fn collect_all<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut all = Vec::new();
    while let Some(item) = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await {
        all.push(item);
    }
    all
}
