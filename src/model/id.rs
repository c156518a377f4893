//! Element identities. A table, index, entity, attribute or access pattern keeps
//! its identity through renames and reorders, so that selection, undo merging,
//! navigation and edits never mistake one element for another that happens to
//! have (or pass through) the same name or position.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

/// An element's identity in this run of the program. Identities are never
/// written to a file: a loaded or imported model gets fresh ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uid(u64);

impl Uid {
    /// An identity no element has had before in this process.
    pub fn fresh() -> Uid {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Uid(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// The identity field an element carries. It is not content: two elements that
/// differ only by identity compare equal, so a model read back from its file
/// equals the one written.
#[derive(Clone, Copy, Debug)]
pub struct ElementId(Uid);

impl ElementId {
    pub fn get(self) -> Uid {
        self.0
    }

    /// Gives the element a new identity (a copy becomes an element of its own).
    pub fn renew(&mut self) {
        self.0 = Uid::fresh();
    }
}

impl Default for ElementId {
    fn default() -> Self {
        ElementId(Uid::fresh())
    }
}

impl PartialEq for ElementId {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_fresh_and_not_content() {
        let (a, b) = (ElementId::default(), ElementId::default());
        assert_ne!(a.get(), b.get());
        assert_eq!(a, b);
        let mut c = a;
        assert_eq!(c.get(), a.get(), "a copy of the field keeps the identity");
        c.renew();
        assert_ne!(c.get(), a.get());
    }
}
