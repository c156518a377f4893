//! Tests of `Model::apply` (filled in below).
