//! One shared copy of each repeated text of a dataset: every row of a student repeats their
//! 学号 and 姓名, so a province's ledger would otherwise hold hundreds of thousands of copies
//! of a few tens of thousands of strings.

use foldhash::HashSet;
use std::sync::Arc;

/// Hands out one shared `Arc<str>` per distinct text while a dataset is built (dropped with
/// the builder: the texts stay, shared by the records).
#[derive(Debug, Default)]
pub struct Interner {
    /// Every distinct text handed out so far.
    seen: HashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `text`.
    pub fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.seen.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.seen.insert(Arc::clone(&shared));
        shared
    }

    /// Replaces `text` by its shared copy.
    pub fn share(&mut self, text: &mut Arc<str>) {
        *text = self.get(text);
    }

    /// Replaces `text`, if any, by its shared copy.
    pub fn share_opt(&mut self, text: &mut Option<Arc<str>>) {
        if let Some(text) = text {
            self.share(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_share_one_copy_and_keep_their_value() {
        let mut interner = Interner::default();
        let a = interner.get("20210001");
        let mut b: Arc<str> = Arc::from("20210001");
        interner.share(&mut b);
        assert!(Arc::ptr_eq(&a, &b));
        let c = interner.get("张三");
        assert_eq!(&*c, "张三");
        assert!(!Arc::ptr_eq(&a, &c));
    }
}
