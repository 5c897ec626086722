//! Handle tables. A handle is `id << 2 | tag`, never a pointer we
//! dereference: a stale, foreign or wrong-type handle is simply not found,
//! and ids are never reused, so a freed handle stays invalid forever.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::entry::Failure;
use crate::status::gc_status;

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

pub(crate) struct Registry<T> {
    tag: usize,
    kind: &'static str,
    map: Mutex<Option<HashMap<usize, Arc<T>>>>,
}

impl<T> Registry<T> {
    pub const fn new(tag: usize, kind: &'static str) -> Self {
        Registry {
            tag,
            kind,
            map: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<HashMap<usize, Arc<T>>>> {
        // A panic while holding this lock cannot leave the map half-updated
        // (single insert/remove), so a poisoned lock is still usable.
        self.map.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn insert(&self, value: Arc<T>) -> usize {
        let id = (NEXT_ID.fetch_add(1, Ordering::Relaxed) << 2) | self.tag;
        self.lock()
            .get_or_insert_with(HashMap::new)
            .insert(id, value);
        id
    }

    pub fn get(&self, handle: usize) -> Result<Arc<T>, Failure> {
        if handle == 0 {
            return Err(Failure::new(
                gc_status::GC_ERR_INVALID_HANDLE,
                format!("the {} handle is NULL", self.kind),
            ));
        }
        self.lock()
            .as_ref()
            .and_then(|m| m.get(&handle).cloned())
            .ok_or_else(|| self.unknown())
    }

    pub fn remove(&self, handle: usize) -> Result<Arc<T>, Failure> {
        if handle == 0 {
            return Err(Failure::new(
                gc_status::GC_ERR_INVALID_HANDLE,
                format!("the {} handle is NULL", self.kind),
            ));
        }
        self.lock()
            .as_mut()
            .and_then(|m| m.remove(&handle))
            .ok_or_else(|| self.unknown())
    }

    fn unknown(&self) -> Failure {
        Failure::new(
            gc_status::GC_ERR_INVALID_HANDLE,
            format!(
                "not a live {} handle (freed, of another type, or never created)",
                self.kind
            ),
        )
    }
}
