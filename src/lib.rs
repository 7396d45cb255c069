//! vaner: people, their titles, organizations, dates and document references in
//! administrative Vietnamese.
//!
//! The modules follow the pipeline: [`text`] (original text, normalization, alignment) →
//! [`tokens`] → [`tags`] (BIO) → spans ([`doc`]) → [`values`] (normalized values, relations)
//! → outputs ([`formats`]); [`eval`] scores spans.

pub mod db;
pub mod doc;
pub mod eval;
pub mod formats;
pub mod model;
pub mod repair;
pub mod synth;
pub mod tags;
pub mod text;
pub mod tokens;
pub mod values;

pub use doc::{Document, Label, Span};
pub use model::tagger;
