//! The conflict-marker grammar: scanning marked-up text into chunks, splitting
//! the chunks into each side's text, and the `Sides` shape that carries them.

pub mod scan;
pub mod sides;
pub mod split;
