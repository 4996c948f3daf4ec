//! The `.npy` reader on arbitrary headers: any shape (up to u64 entries, any rank), dtype string, order flag, header
//! length and data length gives an array or a typed error — never a panic or an allocation that cannot succeed.
//!
//! Cases: 256 by default; `PROPTEST_CASES=10000 cargo test --test npy_props` runs more.

use proptest::prelude::*;
use regmatters::npy;

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn file(version: u8, header: &str, body: &[u8], hlen_delta: i64) -> Vec<u8> {
    let mut out = b"\x93NUMPY".to_vec();
    out.extend_from_slice(&[version, 0]);
    let hlen = (header.len() as i64 + hlen_delta).max(0) as u64;
    if version == 1 {
        out.extend_from_slice(&(hlen as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(hlen as u32).to_le_bytes());
    }
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(body);
    out
}

fn dim() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..6, any::<u64>(), Just(u64::MAX), Just(1 << 32)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn headers_never_panic(
        version in 0u8..5,
        descr in prop_oneof![Just("<f8"), Just(">f8"), Just("<f4"), Just("<i8"), Just(">i4"), Just("<c16"), Just("f8"), Just("")],
        fortran in prop_oneof![Just("True"), Just("False"), Just("maybe")],
        shape in prop::collection::vec(dim(), 0..4),
        extra_comma in any::<bool>(),
        body_len in 0usize..200,
        hlen_delta in -20i64..20,
        junk in "[ -~]{0,20}",
    ) {
        let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
        let mut sh = dims.join(", ");
        if extra_comma || shape.len() == 1 {
            sh.push(',');
        }
        let header = format!("{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': ({sh}), {junk}}}\n");
        let body = vec![0x3fu8; body_len];
        let bytes = file(version, &header, &body, hlen_delta);
        let _ = npy::from_bytes(&bytes);
        // and through a file, which takes the streaming path for <f8
        let p = std::env::temp_dir().join(format!("regmatters-npy-props-{}.npy", std::process::id()));
        std::fs::write(&p, &bytes).unwrap();
        let _ = npy::read(&p);
        let _ = npy::shape(&p);
        let _ = npy::read_matrix(&p);
    }

    #[test]
    fn truncated_files_never_panic(cut in 0usize..200) {
        let m = nalgebra::DMatrix::from_fn(4, 3, |i, j| (i * 3 + j) as f64);
        let bytes = npy::to_bytes(&[4, 3], m.as_slice()).unwrap();
        let _ = npy::from_bytes(&bytes[..cut.min(bytes.len())]);
    }
}
