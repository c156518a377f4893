//! The models bundled with the workbench, compiled into the binary so they open
//! from any working directory.

use std::path::Path;

use super::{LoadError, Model, load_str};

pub struct Sample {
    /// File stem under `assets/models/`, e.g. `ecommerce`.
    pub id: &'static str,
    pub title: &'static str,
    pub json: &'static str,
}

pub const SAMPLES: &[Sample] = &[
    Sample {
        id: "ecommerce",
        title: "Online shop — Modernizr workshop redesign",
        json: include_str!("../../assets/models/ecommerce.dynamodel.json"),
    },
    Sample {
        id: "ecommerce-initial",
        title: "Online shop — first draft, before the redesign",
        json: include_str!("../../assets/models/ecommerce-initial.dynamodel.json"),
    },
];

/// The sample the workbench opens when given no file.
pub const DEFAULT_SAMPLE: &str = "ecommerce";

pub fn sample(id: &str) -> Option<&'static Sample> {
    SAMPLES.iter().find(|s| s.id == id)
}

impl Sample {
    /// The path the sample has in the source tree, used to name it in messages.
    pub fn file_name(&self) -> String {
        format!("assets/models/{}.{}", self.id, super::FILE_EXTENSION)
    }

    pub fn load(&self) -> Result<Model, LoadError> {
        load_str(self.json, Path::new(&self.file_name()))
    }
}
