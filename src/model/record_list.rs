//! The records of one kind in a [`super::dataset::Dataset`], found by their place in the
//! whole input (the index a plan's keys and [`super::dataset::StudentRecords`] hold): all of
//! them, or — in the view of one student taken from the shelf — only that student's, still
//! under the places they had in the whole list.

use std::ops::Index;

/// A list of records indexed by their place in the whole input.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordList<T> {
    /// The records, in input order.
    items: Vec<T>,
    /// Each record's place in the whole input, ascending; `None` when `items` is the whole
    /// list (a record's place is then its position).
    places: Option<Vec<usize>>,
}

impl<T> Default for RecordList<T> {
    fn default() -> Self {
        RecordList {
            items: Vec::new(),
            places: None,
        }
    }
}

impl<T> From<Vec<T>> for RecordList<T> {
    fn from(items: Vec<T>) -> Self {
        RecordList {
            items,
            places: None,
        }
    }
}

impl<T> RecordList<T> {
    /// Some records of a whole list, each with its place in it: `places` ascending, one per
    /// record.
    pub fn part(places: Vec<usize>, items: Vec<T>) -> Self {
        debug_assert_eq!(places.len(), items.len());
        debug_assert!(places.is_sorted());
        RecordList {
            items,
            places: Some(places),
        }
    }

    /// The record at place `index` of the whole list, if this list has it.
    pub fn get(&self, index: usize) -> Option<&T> {
        match &self.places {
            None => self.items.get(index),
            Some(places) => places.binary_search(&index).ok().map(|i| &self.items[i]),
        }
    }

    /// The records this list has, in input order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The records this list has, each with its place in the whole list.
    pub fn indexed(&self) -> impl Iterator<Item = (usize, &T)> {
        self.items.iter().enumerate().map(|(i, record)| {
            let place = match &self.places {
                None => i,
                Some(places) => places[i],
            };
            (place, record)
        })
    }

    /// The records at `places` of the whole list, in that order; panics on a place this list
    /// does not have, as indexing does.
    pub fn pick(&self, places: &[usize]) -> Vec<&T> {
        places.iter().map(|&i| &self[i]).collect()
    }

    /// How many records this list has.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether this list has no record.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds a record at the end of a whole list (tests build datasets by hand).
    pub fn push(&mut self, record: T) {
        debug_assert!(self.places.is_none(), "a part of a list takes no records");
        self.items.push(record);
    }
}

/// The record at place `index` of the whole list; panics when this list does not have it,
/// as a slice does past its end.
impl<T> Index<usize> for RecordList<T> {
    type Output = T;

    fn index(&self, index: usize) -> &T {
        self.get(index)
            .unwrap_or_else(|| panic!("no record at place {index} of this list"))
    }
}

impl<'a, T> IntoIterator for &'a RecordList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// Where one student's records are: indices into the record lists of a dataset ([`RecordList`]s), in input order.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct StudentRecords {
    /// Into the trainings.
    pub trainings: Vec<usize>,
    /// Into the talks.
    pub talks: Vec<usize>,
    /// Into the political reviews.
    pub reviews: Vec<usize>,
    /// Into the family members.
    pub relatives: Vec<usize>,
    /// Into the democratic appraisals.
    pub appraisals: Vec<usize>,
    /// Into the 简历 periods.
    pub resumes: Vec<usize>,
}

/// The records of a student who has none.
pub(crate) static NO_RECORDS: StudentRecords = StudentRecords {
    trainings: Vec::new(),
    talks: Vec::new(),
    reviews: Vec::new(),
    relatives: Vec::new(),
    appraisals: Vec::new(),
    resumes: Vec::new(),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_finds_its_records_under_their_places_in_the_whole() {
        let whole = RecordList::from(vec!["a", "b", "c", "d"]);
        assert_eq!(whole.get(2), Some(&"c"));
        assert_eq!(whole[3], "d");
        let part = RecordList::part(vec![1, 3], vec!["b", "d"]);
        assert_eq!(part[1], "b");
        assert_eq!(part.get(3), Some(&"d"));
        assert_eq!(part.get(0), None, "not this student's");
        assert_eq!(part.get(2), None);
        assert_eq!(part.indexed().collect::<Vec<_>>(), [(1, &"b"), (3, &"d")]);
        assert_eq!(whole.indexed().nth(2), Some((2, &"c")));
        assert_eq!(part.len(), 2);
        assert_eq!(whole.pick(&[3, 0]), [&"d", &"a"]);
    }
}
