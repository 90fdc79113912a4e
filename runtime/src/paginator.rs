//! Paginators for `@paginated` operations: a stream of pages, or of the items in them.
//!
//! Both streams implement `futures_core::Stream` and also have an inherent `next().await`, so
//! they work without any futures crate. A page whose token repeats the one just sent ends the
//! stream (a service bug would otherwise loop forever).

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::error::SdkError;
use super::send::{Handle, Operation, SetRequestId};

/// `try_next`, `collect` and `try_collect` of a stream of `$item`s (pages or items), as
/// aws-smithy-async's `PaginationStream` has them.
macro_rules! collectors {
    ($item:ty) => {
        /// The next one, `Ok(None)` after the last.
        pub async fn try_next(&mut self) -> Result<Option<$item>, SdkError<E>> {
            self.next().await.transpose()
        }

        /// All of them, into any collection of results: `collect::<Result<Vec<_>, _>>()` stops
        /// at the first error, as the stream does.
        pub async fn collect<C: FromIterator<Result<$item, SdkError<E>>>>(mut self) -> C {
            let mut out = Vec::new();
            while let Some(one) = self.next().await {
                out.push(one);
            }
            out.into_iter().collect()
        }

        /// All of them until the end or the first error.
        pub async fn try_collect(mut self) -> Result<Vec<$item>, SdkError<E>> {
            let mut out = Vec::new();
            while let Some(one) = self.next().await {
                out.push(one?);
            }
            Ok(out)
        }
    };
}

type PageFuture<I, O, E> = Pin<Box<dyn Future<Output = (I, Result<O, SdkError<E>>)> + Send>>;

/// A pagination token: a string (`NextToken`), or a map (DynamoDB's `LastEvaluatedKey`). An
/// empty one ends the stream, as a missing one does.
pub trait PageToken: Clone + PartialEq + Send + Sync + 'static {
    fn is_end(&self) -> bool;
}

impl PageToken for String {
    fn is_end(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> PageToken for std::collections::HashMap<K, V>
where
    K: Clone + Eq + std::hash::Hash + Send + Sync + 'static,
    V: Clone + PartialEq + Send + Sync + 'static,
{
    fn is_end(&self) -> bool {
        self.is_empty()
    }
}

/// How generated code reads and writes an operation's pagination tokens (of type `K`).
pub struct PaginationSpec<I, O, T, K = String> {
    /// The output token (`NextToken`), if any.
    pub next_token: fn(&O) -> Option<&K>,
    /// Sets the input token for the next page.
    pub set_token: fn(&mut I, K),
    /// Takes the items out of a page (for `items()`).
    pub items: fn(O) -> Vec<T>,
}

/// A stream of pages.
pub struct PageStream<I: 'static, O: 'static, E: 'static, K: 'static = String> {
    handle: Arc<Handle>,
    op: &'static Operation<I, O, E>,
    next_token: fn(&O) -> Option<&K>,
    set_token: fn(&mut I, K),
    input: Option<I>,
    last_token: Option<K>,
    in_flight: Option<PageFuture<I, O, E>>,
    done: bool,
}

impl<I, O, E, K> PageStream<I, O, E, K>
where
    I: Clone + Send + Sync + 'static,
    O: SetRequestId + Send + 'static,
    E: Send + 'static,
    K: PageToken,
{
    pub fn new<T>(
        handle: Arc<Handle>,
        op: &'static Operation<I, O, E>,
        input: I,
        spec: &PaginationSpec<I, O, T, K>,
    ) -> Self {
        PageStream {
            handle,
            op,
            next_token: spec.next_token,
            set_token: spec.set_token,
            input: Some(input),
            last_token: None,
            in_flight: None,
            done: false,
        }
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<O, SdkError<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_page(cx)).await
    }

    collectors!(O);

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<O, SdkError<E>>>> {
        if self.done {
            return Poll::Ready(None);
        }
        if self.in_flight.is_none() {
            let Some(input) = self.input.take() else {
                self.done = true;
                return Poll::Ready(None);
            };
            let handle = self.handle.clone();
            let op = self.op;
            self.in_flight = Some(Box::pin(async move {
                let result = handle.invoke(op, input.clone()).await;
                (input, result)
            }));
        }
        let Some(fut) = self.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let (mut input, result) = match fut.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(r) => r,
        };
        self.in_flight = None;
        match &result {
            Ok(page) => match (self.next_token)(page) {
                Some(token) if !token.is_end() && self.last_token.as_ref() != Some(token) => {
                    let token = token.clone();
                    (self.set_token)(&mut input, token.clone());
                    self.last_token = Some(token);
                    self.input = Some(input);
                }
                _ => self.done = true,
            },
            Err(_) => self.done = true,
        }
        Poll::Ready(Some(result))
    }
}

impl<I, O, E, K> futures_core::Stream for PageStream<I, O, E, K>
where
    I: Clone + Send + Sync + 'static,
    O: SetRequestId + Send + 'static,
    E: Send + 'static,
    K: PageToken,
{
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

// The stream holds no self-references (the in-flight future is boxed).
impl<I: 'static, O: 'static, E: 'static, K: 'static> Unpin for PageStream<I, O, E, K> {}

/// A stream of the items of every page.
pub struct ItemStream<I: 'static, O: 'static, E: 'static, T, K: 'static = String> {
    pages: PageStream<I, O, E, K>,
    items: fn(O) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<I, O, E, T, K> ItemStream<I, O, E, T, K>
where
    I: Clone + Send + Sync + 'static,
    O: SetRequestId + Send + 'static,
    E: Send + 'static,
    K: PageToken,
{
    pub fn new(
        handle: Arc<Handle>,
        op: &'static Operation<I, O, E>,
        input: I,
        spec: &PaginationSpec<I, O, T, K>,
    ) -> Self {
        ItemStream {
            pages: PageStream::new(handle, op, input, spec),
            items: spec.items,
            buffer: VecDeque::new(),
        }
    }

    /// The next item, or `None` at the end.
    pub async fn next(&mut self) -> Option<Result<T, SdkError<E>>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    collectors!(T);

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, SdkError<E>>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => self.buffer.extend((self.items)(page)),
            }
        }
    }
}

impl<I, O, E, T, K> futures_core::Stream for ItemStream<I, O, E, T, K>
where
    I: Clone + Send + Sync + 'static,
    O: SetRequestId + Send + 'static,
    E: Send + 'static,
    K: PageToken,
{
    type Item = Result<T, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<I: 'static, O: 'static, E: 'static, T, K: 'static> Unpin for ItemStream<I, O, E, T, K> {}

/// What `into_paginator().items()` returns: `send()` starts the stream of items.
pub struct PaginatorItems<I: 'static, O: 'static, E: 'static, T: 'static, K: 'static = String> {
    handle: Arc<Handle>,
    op: &'static Operation<I, O, E>,
    input: I,
    spec: &'static PaginationSpec<I, O, T, K>,
}

impl<I, O, E, T, K> PaginatorItems<I, O, E, T, K>
where
    I: Clone + Send + Sync + 'static,
    O: SetRequestId + Send + 'static,
    E: Send + 'static,
    K: PageToken,
{
    pub fn new(
        handle: Arc<Handle>,
        op: &'static Operation<I, O, E>,
        input: I,
        spec: &'static PaginationSpec<I, O, T, K>,
    ) -> Self {
        PaginatorItems {
            handle,
            op,
            input,
            spec,
        }
    }

    /// A stream of the items of every page (`next().await`, `collect`, `try_collect`).
    pub fn send(self) -> ItemStream<I, O, E, T, K> {
        ItemStream::new(self.handle, self.op, self.input, self.spec)
    }
}
