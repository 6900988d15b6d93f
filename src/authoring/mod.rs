//! Authoring: the files nianbao writes into the data folder for the office
//! (`nianbao new` skeletons, `nianbao import` from sheets).

pub(crate) mod import;
pub(crate) mod scaffold;
