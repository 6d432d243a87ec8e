//! Small typed identifiers.

/// "None" in 16-bit index fields.
pub const NONE16: u16 = u16::MAX;

/// A structure: index into `World::structures`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StructId(pub u32);

impl StructId {
    /// As an index.
    #[inline]
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// A GP: zone and index in that zone's `gps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GpRef {
    /// Zone.
    pub zone: u16,
    /// Index in the zone's GPs.
    pub idx: u16,
}

/// A support professional: zone and index in that zone's `profs`, packed in 32 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProfRef(pub u32);

impl ProfRef {
    /// Packs a zone and an index.
    #[inline]
    pub fn new(zone: u16, idx: u16) -> ProfRef {
        ProfRef((u32::from(zone) << 16) | u32::from(idx))
    }
    /// Zone.
    #[inline]
    pub fn zone(self) -> usize {
        (self.0 >> 16) as usize
    }
    /// Index in the zone's professionals.
    #[inline]
    pub fn idx(self) -> usize {
        (self.0 & 0xFFFF) as usize
    }
}
