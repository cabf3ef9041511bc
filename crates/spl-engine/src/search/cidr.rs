//! CIDR blocks in `search` values (`src=10.0.0.0/8` matches addresses inside the block) and in
//! lookup `CIDR(…)` columns.

use std::net::IpAddr;

/// An IPv4 or IPv6 network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u32,
}

impl Cidr {
    /// Parses `address/prefix` (`10.0.0.0/8`, `2001:db8::/32`); `None` when it is not one.
    pub fn parse(text: &str) -> Option<Cidr> {
        let (address, prefix) = text.split_once('/')?;
        let network: IpAddr = address.parse().ok()?;
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let prefix: u32 = prefix.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Cidr { network, prefix })
    }

    /// Parses a block, or a plain address as a one-address block (lookup `CIDR(…)` cells).
    pub fn parse_block_or_address(text: &str) -> Option<Cidr> {
        if text.contains('/') {
            return Cidr::parse(text);
        }
        let network: IpAddr = text.parse().ok()?;
        let prefix = if network.is_ipv4() { 32 } else { 128 };
        Some(Cidr { network, prefix })
    }

    /// True when `text` is an address of the same family inside the block.
    pub fn contains(&self, text: &str) -> bool {
        let Ok(address) = text.parse::<IpAddr>() else {
            return false;
        };
        match (self.network, address) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                same_prefix(u32::from(n).into(), u32::from(a).into(), self.prefix, 32)
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                same_prefix(u128::from(n), u128::from(a), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn same_prefix(network: u128, address: u128, prefix: u32, bits: u32) -> bool {
    if prefix == 0 {
        return true;
    }
    let shift = bits - prefix;
    (network >> shift) == (address >> shift)
}

#[cfg(test)]
mod tests {
    use super::Cidr;

    #[test]
    fn ipv4_and_ipv6_blocks() {
        let block = Cidr::parse("10.0.0.0/8").expect("valid block");
        assert!(block.contains("10.200.3.4"));
        assert!(!block.contains("11.0.0.1"));
        assert!(!block.contains("::1"));
        assert!(!block.contains("not an ip"));
        let block = Cidr::parse("2001:db8::/32").expect("valid block");
        assert!(block.contains("2001:db8:1::5"));
        assert!(!block.contains("2001:db9::1"));
        assert!(Cidr::parse("0.0.0.0/0").expect("valid").contains("8.8.8.8"));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("10.0.0.0/").is_none());
        assert!(Cidr::parse("abc/8").is_none());
    }

    #[test]
    fn blocks_and_single_addresses() {
        let block = Cidr::parse_block_or_address("192.168.0.0/16").expect("block");
        assert!(block.contains("192.168.4.5"));
        assert!(!block.contains("192.169.0.1"));
        assert!(!block.contains("::1"));
        let single = Cidr::parse_block_or_address("10.0.0.1").expect("address");
        assert!(single.contains("10.0.0.1"));
        assert!(!single.contains("10.0.0.2"));
        assert!(Cidr::parse_block_or_address("10.0.0.0/40").is_none());
        assert!(Cidr::parse_block_or_address("nonsense").is_none());
    }
}
