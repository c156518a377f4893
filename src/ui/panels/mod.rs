//! One file per panel or tab. Each reads `PanelCtx` and asks for changes through it.

pub mod aggregate;
pub mod checks;
pub mod compare;
pub mod costs;
pub mod coverage;
pub mod deploy;
pub mod diagram;
pub mod document;
pub mod editor;
pub mod key_map;
pub mod tree;
