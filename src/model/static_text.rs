//! Serde for the texts a record keeps as `&'static str` (民族, 政治面貌): written as their
//! place in the table they come from and read back as the table's own text, so that a
//! shelved record (see [`super::shelf`]) comes back equal to the one put away.

use crate::model::value::{ETHNIC_GROUPS, POLITICAL_STATUSES};
use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `text` as its place in `table`.
fn put<S: Serializer>(
    text: &Option<&'static str>,
    table: &[&str],
    s: S,
) -> Result<S::Ok, S::Error> {
    let place = match text {
        Some(text) => Some(
            table
                .iter()
                .position(|t| t == text)
                .and_then(|i| u8::try_from(i).ok())
                .ok_or_else(|| S::Error::custom(format!("「{text}」不在其列表中")))?,
        ),
        None => None,
    };
    place.serialize(s)
}

/// Reads a place in `table` back as the table's text.
fn get<'de, D: Deserializer<'de>>(
    table: &'static [&'static str],
    d: D,
) -> Result<Option<&'static str>, D::Error> {
    match Option::<u8>::deserialize(d)? {
        Some(i) => table
            .get(usize::from(i))
            .copied()
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("列表中没有第 {i} 项"))),
        None => Ok(None),
    }
}

/// 民族, one of [`ETHNIC_GROUPS`].
pub mod ethnicity {
    use super::*;

    /// Writes the group's place in [`ETHNIC_GROUPS`].
    pub fn serialize<S: Serializer>(text: &Option<&'static str>, s: S) -> Result<S::Ok, S::Error> {
        put(text, &ETHNIC_GROUPS, s)
    }

    /// Reads a place in [`ETHNIC_GROUPS`] back as the group.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
        get(&ETHNIC_GROUPS, d)
    }
}

/// 政治面貌, one of [`POLITICAL_STATUSES`].
pub mod political_status {
    use super::*;

    /// Writes the status's place in [`POLITICAL_STATUSES`].
    pub fn serialize<S: Serializer>(text: &Option<&'static str>, s: S) -> Result<S::Ok, S::Error> {
        put(text, &POLITICAL_STATUSES, s)
    }

    /// Reads a place in [`POLITICAL_STATUSES`] back as the status.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
        get(&POLITICAL_STATUSES, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Both {
        #[serde(with = "ethnicity")]
        ethnicity: Option<crate::model::value::TableText>,
        #[serde(with = "political_status")]
        status: Option<crate::model::value::TableText>,
    }

    #[test]
    fn table_texts_come_back_as_the_tables_own() {
        for both in [
            Both {
                ethnicity: Some("维吾尔族"),
                status: Some("中共预备党员"),
            },
            Both {
                ethnicity: None,
                status: None,
            },
        ] {
            let bytes = postcard::to_stdvec(&both).unwrap();
            let back: Both = postcard::from_bytes(&bytes).unwrap();
            assert_eq!(back, both);
        }
        let stray = Both {
            ethnicity: Some(Box::leak("火星族".to_string().into_boxed_str())),
            status: None,
        };
        assert!(postcard::to_stdvec(&stray).is_err());
    }
}
