//! The built-in checks, group by group (claims before their controls within a group).

use super::Claim;

/// Every built-in check, in suite order.
pub fn checks() -> Vec<Box<dyn Claim>> {
    [
        super::nets::checks(),
        super::margin::checks(),
        super::width::checks(),
        super::kernel::checks(),
        super::ntk::checks(),
        super::wgf::checks(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
