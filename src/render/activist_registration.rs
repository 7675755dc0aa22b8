//! The context of the activist-registration form (work in progress: issue 4).

use crate::config::Config;
use crate::model::dataset::Dataset;
use crate::plan::{Draft, PlanOptions};

/// The drafts of every activist-registration form the dataset calls for.
pub fn drafts<'a>(ds: &'a Dataset, config: &Config, options: &PlanOptions) -> Vec<Draft<'a>> {
    let _ = (ds, config, options);
    Vec::new()
}
