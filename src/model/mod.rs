//! Typed, validated records built from the rows read, and the rules checked on them.

pub mod certificate;
pub mod checks;
pub mod dataset;
pub mod fields;
pub mod numbering;
pub mod records;
pub mod student;
pub mod training;
pub mod value;
