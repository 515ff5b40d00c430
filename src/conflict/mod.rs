//! The conflict-marker grammar: scanning marked-up text into chunks (fenced
//! examples known to a clean version read as text), splitting the chunks into
//! each side's text, and the `Sides` shape that carries them.

pub mod diff;
pub mod examples;
pub mod fences;
pub mod marker_size;
pub mod refine;
pub mod scan;
pub mod sides;
pub mod split;
pub mod worded;
