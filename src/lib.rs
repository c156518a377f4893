//! dynamodel: a workbench for designing Amazon DynamoDB data models.
//!
//! `model` is the pure data of a design and its file format; `analysis` derives
//! everything the workbench shows from it; `cli` is the command line and `ui` the
//! workbench window.

pub mod analysis;
pub mod cli;
pub mod deploy;
pub mod export;
pub mod model;
pub mod ui;
