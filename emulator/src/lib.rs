//! A local EMR Studio emulator.

#[rustfmt::skip]
pub mod model;
