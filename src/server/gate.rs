//! How many jobs run at once: `max_jobs` run, `queue` more wait their turn, and any request
//! beyond is refused at once (503) instead of piling up memory and time.

use super::error::ApiError;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The places of running and waiting jobs.
#[derive(Debug, Clone)]
pub struct Gate {
    /// Running plus waiting: taken without waiting, or the request is refused.
    admitted: Arc<Semaphore>,
    /// Running: waited for.
    running: Arc<Semaphore>,
}

/// A job's place: held while it runs, given back when dropped.
#[derive(Debug)]
pub struct Place {
    _admitted: OwnedSemaphorePermit,
    _running: OwnedSemaphorePermit,
}

impl Gate {
    /// A gate letting `max_jobs` (at least 1) run and `queue` wait.
    pub fn new(max_jobs: usize, queue: usize) -> Gate {
        let max_jobs = max_jobs.max(1);
        Gate {
            admitted: Arc::new(Semaphore::new(max_jobs + queue)),
            running: Arc::new(Semaphore::new(max_jobs)),
        }
    }

    /// Waits for a place to run; 503 at once when the queue is full too.
    pub async fn enter(&self) -> Result<Place, ApiError> {
        let admitted = self
            .admitted
            .clone()
            .try_acquire_owned()
            .map_err(|_| ApiError::busy())?;
        let running = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::busy())?;
        Ok(Place {
            _admitted: admitted,
            _running: running,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_queue_is_refused_and_a_place_comes_back() {
        let gate = Gate::new(1, 1);
        let first = gate.enter().await.unwrap();
        let waiting = tokio::spawn({
            let gate = gate.clone();
            async move { gate.enter().await.map(|_| ()) }
        });
        while gate.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let refused = gate.enter().await.unwrap_err();
        assert_eq!(refused.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        drop(first);
        waiting.await.unwrap().unwrap();
        assert!(gate.enter().await.is_ok());
    }
}
