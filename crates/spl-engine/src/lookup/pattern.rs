//! The two non-exact cell forms of lookup tables: `*` wildcard patterns (matched in linear
//! time, anchored at both ends) and CIDR blocks.
//!
//! They mirror the private matchers of `crate::search`; making those public would let both
//! share one implementation.

use std::net::IpAddr;

/// A `*` pattern split into its literal pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wildcard {
    pieces: Vec<String>,
}

impl Wildcard {
    /// Compiles `pattern`; `*` matches any sequence, also empty.
    pub fn new(pattern: &str) -> Wildcard {
        Wildcard {
            pieces: pattern.split('*').map(str::to_string).collect(),
        }
    }

    /// True when the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        let [first, middle @ .., last] = self.pieces.as_slice() else {
            return self.pieces.first().is_some_and(|p| p == text);
        };
        let Some(mut rest) = text.strip_prefix(first.as_str()) else {
            return false;
        };
        for piece in middle {
            match rest.find(piece.as_str()) {
                Some(offset) => rest = rest.get(offset + piece.len()..).unwrap_or(""),
                None => return false,
            }
        }
        rest.ends_with(last.as_str())
    }
}

/// An IPv4 or IPv6 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    network: IpAddr,
    prefix: u32,
}

impl Block {
    /// Parses `address/prefix`, or a plain address as a one-address block.
    pub fn parse(text: &str) -> Option<Block> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network: IpAddr = address.trim().parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok()?,
            Some(_) => return None,
        };
        (prefix <= max).then_some(Block { network, prefix })
    }

    /// True when `text` is an address of the same family inside the block.
    pub fn contains(&self, text: &str) -> bool {
        let Ok(address) = text.trim().parse::<IpAddr>() else {
            return false;
        };
        let (network, address, bits) = match (self.network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => (u32::from(n).into(), u32::from(a).into(), 32),
            (IpAddr::V6(n), IpAddr::V6(a)) => (u128::from(n), u128::from(a), 128),
            _ => return false,
        };
        if self.prefix == 0 {
            return true;
        }
        let shift = bits - self.prefix;
        (network >> shift) == (address >> shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_is_anchored() {
        assert!(Wildcard::new("*.exe").matches("cmd.exe"));
        assert!(!Wildcard::new("*.exe").matches("cmd.exe.txt"));
        assert!(Wildcard::new("a*b*c").matches("abc"));
        assert!(!Wildcard::new("ab*ab").matches("ab"));
        assert!(Wildcard::new("plain").matches("plain"));
        assert!(!Wildcard::new("plain").matches("plainer"));
    }

    #[test]
    fn blocks_and_single_addresses() {
        let block = Block::parse("192.168.0.0/16").expect("block");
        assert!(block.contains("192.168.4.5"));
        assert!(!block.contains("192.169.0.1"));
        assert!(!block.contains("::1"));
        let single = Block::parse("10.0.0.1").expect("address");
        assert!(single.contains("10.0.0.1"));
        assert!(!single.contains("10.0.0.2"));
        assert!(Block::parse("10.0.0.0/40").is_none());
        assert!(Block::parse("nonsense").is_none());
    }
}
