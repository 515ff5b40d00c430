//! Merge algorithms, each returning its own types (never a decision): the
//! parts of the versions and which side changed each ([`compare`]), an
//! exact three-way line merge ([`diff3`]), sets ([`sets`]), YAML sequences
//! written back in their own style ([`seq`]) and the related links
//! ([`links`]). Who takes their results is [`crate::decide`]'s business.

pub mod compare;
pub mod diff3;
pub mod endings;
pub mod links;
pub mod seq;
pub mod sets;
pub mod tree;
