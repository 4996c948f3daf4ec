//! `.npy` input and output of f64 matrices and vectors, so results cross-check with NumPy/SciPy.
//!
//! Format (NumPy NEP 1, versions 1.0, 2.0 and 3.0): the magic `\x93NUMPY`, two version bytes, the header length
//! (u16 little-endian for 1.0, u32 for 2.0/3.0), an ASCII Python-dict header
//! `{'descr': '<f8', 'fortran_order': False, 'shape': (n, d), }` padded with spaces to a multiple of 64 bytes and
//! ended by `\n`, then the raw data. Reading accepts f64 (`<f8`, `>f8`) and converts `<f4`, `<i8`, `<i4` (and their
//! big-endian forms) to f64, in C or Fortran order. Writing produces version 1.0, `<f8`: matrices in Fortran order
//! (the column-major memory of `nalgebra`, no transpose), vectors as 1-D arrays.

use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use std::path::Path;

const MAGIC: &[u8] = b"\x93NUMPY";

/// An array read from `.npy`: its shape and its data in column-major (Fortran) order, converted to f64.
#[derive(Clone, Debug, PartialEq)]
pub struct NpyArray {
    /// The shape as stored (empty for a 0-d array).
    pub shape: Vec<usize>,
    /// The entries in column-major order (for 2-D: entry (i, j) at i + j·rows).
    pub data: Vec<f64>,
}

#[derive(Clone, Copy)]
enum Dtype {
    F8,
    F4,
    I8,
    I4,
}

fn fmt_err(msg: impl Into<String>) -> Error {
    Error::Format(format!(".npy: {}", msg.into()))
}

fn header_value<'a>(header: &'a str, key: &str) -> Result<&'a str> {
    let pat_a = format!("'{key}'");
    let pat_b = format!("\"{key}\"");
    let pos = header
        .find(&pat_a)
        .map(|p| p + pat_a.len())
        .or_else(|| header.find(&pat_b).map(|p| p + pat_b.len()))
        .ok_or_else(|| fmt_err(format!("header has no '{key}' field: {header}")))?;
    let rest = header[pos..].trim_start();
    let rest = rest.strip_prefix(':').ok_or_else(|| fmt_err(format!("malformed header near '{key}'")))?;
    Ok(rest.trim_start())
}

fn parse_header(header: &str) -> Result<(Dtype, bool, bool, Vec<usize>)> {
    // descr
    let v = header_value(header, "descr")?;
    let q = v.chars().next().ok_or_else(|| fmt_err("empty descr"))?;
    if q != '\'' && q != '"' {
        return Err(fmt_err(format!("descr is not a simple string (structured dtypes are not supported): {v}")));
    }
    let end = v[1..].find(q).ok_or_else(|| fmt_err("unterminated descr"))?;
    let descr = &v[1..1 + end];
    let (big, ty) = match descr.split_at(descr.len().min(1)) {
        ("<", t) | ("|", t) | ("=", t) => (false, t),
        (">", t) => (true, t),
        _ => return Err(fmt_err(format!("unsupported descr {descr}"))),
    };
    let dtype = match ty {
        "f8" => Dtype::F8,
        "f4" => Dtype::F4,
        "i8" => Dtype::I8,
        "i4" => Dtype::I4,
        _ => return Err(fmt_err(format!("unsupported dtype {descr} (expected f8, f4, i8 or i4)"))),
    };
    // fortran_order
    let v = header_value(header, "fortran_order")?;
    let fortran = if v.starts_with("True") {
        true
    } else if v.starts_with("False") {
        false
    } else {
        return Err(fmt_err(format!("bad fortran_order: {v}")));
    };
    // shape
    let v = header_value(header, "shape")?;
    let v = v.strip_prefix('(').ok_or_else(|| fmt_err(format!("bad shape: {v}")))?;
    let close = v.find(')').ok_or_else(|| fmt_err("unterminated shape"))?;
    let mut shape = Vec::new();
    for part in v[..close].split(',') {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let p = p.trim_end_matches('L');
        shape.push(p.parse::<usize>().map_err(|_| fmt_err(format!("bad shape entry '{p}'")))?);
    }
    Ok((dtype, big, fortran, shape))
}

/// Magic, version and header of a `.npy` file: (offset of the data, dtype, big-endian, Fortran order, shape).
fn preamble(bytes: &[u8]) -> Result<(usize, Dtype, bool, bool, Vec<usize>)> {
    if bytes.len() < 10 || &bytes[..6] != MAGIC {
        return Err(fmt_err("not a .npy file (bad magic)"));
    }
    let major = bytes[6];
    let (hlen, start) = match major {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10usize),
        2 | 3 => {
            if bytes.len() < 12 {
                return Err(fmt_err("truncated header"));
            }
            (u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize, 12)
        }
        v => return Err(fmt_err(format!("unsupported format version {v}"))),
    };
    let hend = start.checked_add(hlen).filter(|&e| e <= bytes.len()).ok_or_else(|| fmt_err("truncated header"))?;
    let header = std::str::from_utf8(&bytes[start..hend]).map_err(|_| fmt_err("header is not UTF-8"))?;
    let (dtype, big, fortran, shape) = parse_header(header)?;
    Ok((hend, dtype, big, fortran, shape))
}

/// Parses the bytes of a `.npy` file.
///
/// Errors: [`Error::Format`] for a bad magic, header, dtype or a data section of the wrong length.
pub fn from_bytes(bytes: &[u8]) -> Result<NpyArray> {
    let (hend, dtype, big, fortran, shape) = preamble(bytes)?;
    let count = shape.iter().try_fold(1usize, |acc, &s| acc.checked_mul(s)).ok_or_else(|| fmt_err("shape overflow"))?;
    let width = match dtype {
        Dtype::F8 | Dtype::I8 => 8,
        Dtype::F4 | Dtype::I4 => 4,
    };
    let body = &bytes[hend..];
    let needed = count.checked_mul(width).ok_or_else(|| fmt_err(format!("shape {shape:?} overflows")))?;
    if body.len() != needed {
        return Err(fmt_err(format!("data has {} bytes, shape {:?} needs {needed}", body.len(), shape)));
    }
    let raw: Vec<f64> = body
        .chunks_exact(width)
        .map(|ch| match (dtype, big) {
            (Dtype::F8, false) => f64::from_le_bytes(ch.try_into().unwrap_or([0; 8])),
            (Dtype::F8, true) => f64::from_be_bytes(ch.try_into().unwrap_or([0; 8])),
            (Dtype::I8, false) => i64::from_le_bytes(ch.try_into().unwrap_or([0; 8])) as f64,
            (Dtype::I8, true) => i64::from_be_bytes(ch.try_into().unwrap_or([0; 8])) as f64,
            (Dtype::F4, false) => f32::from_le_bytes(ch.try_into().unwrap_or([0; 4])) as f64,
            (Dtype::F4, true) => f32::from_be_bytes(ch.try_into().unwrap_or([0; 4])) as f64,
            (Dtype::I4, false) => i32::from_le_bytes(ch.try_into().unwrap_or([0; 4])) as f64,
            (Dtype::I4, true) => i32::from_be_bytes(ch.try_into().unwrap_or([0; 4])) as f64,
        })
        .collect();
    let data = if fortran || shape.len() <= 1 {
        raw
    } else {
        // C order → column-major: reverse the axis order (for 2-D, a transpose).
        let dims = &shape;
        let nd = dims.len();
        let mut out = vec![0.0; count];
        let mut idx = vec![0usize; nd];
        for &v in raw.iter() {
            // idx is the multi-index of v in C order; its Fortran offset:
            let mut off = 0usize;
            let mut stride = 1usize;
            for (k, &i) in idx.iter().enumerate() {
                off += i * stride;
                stride *= dims[k];
            }
            out[off] = v;
            for k in (0..nd).rev() {
                idx[k] += 1;
                if idx[k] < dims[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        out
    };
    Ok(NpyArray { shape, data })
}

/// Serializes a column-major array of the given shape as `.npy` version 1.0, `<f8`, Fortran order.
///
/// Errors: [`Error::ShapeMismatch`] if the shape does not multiply to the data length.
pub fn to_bytes(shape: &[usize], data: &[f64]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    write_to(&mut out, shape, data).map_err(|e| fmt_err(e.to_string()))?;
    Ok(out)
}

/// Streams a column-major array as `.npy` version 1.0, `<f8`, Fortran order into `w` (as [`to_bytes`], no copy of
/// the data). A shape that does not multiply to the data length is an `InvalidInput` I/O error.
pub fn write_to(w: &mut impl std::io::Write, shape: &[usize], data: &[f64]) -> std::io::Result<()> {
    let count = shape.iter().try_fold(1usize, |acc, &s| acc.checked_mul(s));
    if count != Some(data.len()) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("shape {shape:?} does not match {} values", data.len()),
        ));
    }
    let dims = match shape.len() {
        1 => format!("({},)", shape[0]),
        _ => format!("({})", shape.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")),
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': True, 'shape': {dims}, }}");
    let unpadded = MAGIC.len() + 4 + header.len() + 1;
    header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
    header.push('\n');
    let hlen = u16::try_from(header.len())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, ".npy header too long"))?;
    w.write_all(MAGIC)?;
    w.write_all(&[1, 0])?;
    w.write_all(&hlen.to_le_bytes())?;
    w.write_all(header.as_bytes())?;
    let mut buf = Vec::with_capacity(8 * 8192);
    for chunk in data.chunks(8192) {
        buf.clear();
        for v in chunk {
            buf.extend_from_slice(&v.to_le_bytes());
        }
        w.write_all(&buf)?;
    }
    Ok(())
}

/// Names the file in an error: I/O errors become [`Error::File`], format errors get the path as a prefix.
fn at_path(path: &Path, e: Error) -> Error {
    match e {
        Error::Io(err) => Error::file("reading", path, err),
        Error::Format(msg) => Error::Format(format!("{}: {msg}", path.display())),
        Error::ShapeMismatch { what, expected, got } => {
            Error::ShapeMismatch { what: format!("{} ({what})", path.display()), expected, got }
        }
        other => other,
    }
}

/// The shape stored in a `.npy` file's header, without reading the data (for memory estimates).
///
/// Errors: as [`read`].
pub fn shape(path: impl AsRef<Path>) -> Result<Vec<usize>> {
    let path = path.as_ref();
    let inner = || -> Result<Vec<usize>> {
        let mut f = std::fs::File::open(path)?;
        let head = read_head(&mut f)?;
        Ok(preamble(&head)?.4)
    };
    inner().map_err(|e| at_path(path, e))
}

/// The magic, version and header bytes of a `.npy` file (possibly followed by the first data bytes).
fn read_head(f: &mut impl std::io::Read) -> Result<Vec<u8>> {
    let mut head = vec![0u8; 12];
    let got = read_full(f, &mut head)?;
    head.truncate(got);
    if head.len() < 10 || &head[..6] != MAGIC {
        return Err(fmt_err("not a .npy file (bad magic)"));
    }
    let hlen = match head[6] {
        1 => u16::from_le_bytes([head[8], head[9]]) as usize + 10,
        _ if head.len() == 12 => u32::from_le_bytes([head[8], head[9], head[10], head[11]]) as usize + 12,
        _ => return Err(fmt_err("truncated header")),
    };
    if hlen > head.len() {
        let mut rest = vec![0u8; (hlen - head.len()).min(1 << 20)];
        let got = read_full(f, &mut rest)?;
        head.extend_from_slice(&rest[..got]);
    }
    Ok(head)
}

/// Reads any supported `.npy` array; errors name the file.
///
/// A little-endian `<f8` array is decoded straight from the file into its final column-major buffer (peak memory one
/// copy of the data, as the eigensolvers' memory budget assumes); other dtypes go through [`from_bytes`].
pub fn read(path: impl AsRef<Path>) -> Result<NpyArray> {
    let path = path.as_ref();
    read_unnamed(path).map_err(|e| at_path(path, e))
}

fn read_unnamed(path: &Path) -> Result<NpyArray> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let file_len = file.metadata()?.len();
    let mut f = std::io::BufReader::with_capacity(1 << 20, file);
    let head = read_head(&mut f)?;
    let (hend, dtype, big, fortran, shape) = preamble(&head)?;
    let count = shape.iter().try_fold(1usize, |acc, &s| acc.checked_mul(s)).ok_or_else(|| fmt_err("shape overflow"))?;
    if !(matches!(dtype, Dtype::F8) && !big && shape.len() <= 2) {
        let mut bytes = head;
        f.read_to_end(&mut bytes)?;
        return from_bytes(&bytes);
    }
    // the data section must be exactly 8·count bytes: checked against the file size before allocating
    let needed = count.checked_mul(8).ok_or_else(|| fmt_err(format!("shape {shape:?} overflows")))?;
    let present = file_len.saturating_sub(hend as u64);
    if present != needed as u64 {
        return Err(fmt_err(format!("data has {present} bytes, shape {shape:?} needs {needed}")));
    }
    // `head` may hold the first data bytes already
    let mut data = vec![0.0_f64; count];
    let (rows, cols) = match shape.as_slice() {
        [r, c] => (*r, *c),
        _ => (count, 1),
    };
    let transpose = !fortran && shape.len() == 2;
    let mut pending: Vec<u8> = head[hend..].to_vec();
    let mut buf = vec![0u8; 1 << 20];
    let mut k = 0usize;
    loop {
        let whole = pending.len() / 8 * 8;
        for ch in pending[..whole].chunks_exact(8) {
            if k == count {
                return Err(fmt_err(format!("data section longer than shape {shape:?} needs")));
            }
            let v = f64::from_le_bytes(ch.try_into().unwrap_or([0; 8]));
            // C order: element k is (k / cols, k % cols), stored column-major at row + col·rows
            let off = if transpose { (k / cols) + (k % cols) * rows } else { k };
            data[off] = v;
            k += 1;
        }
        pending.drain(..whole);
        let got = f.read(&mut buf)?;
        if got == 0 {
            break;
        }
        pending.extend_from_slice(&buf[..got]);
    }
    if k != count || !pending.is_empty() {
        return Err(fmt_err(format!(
            "data has {} bytes, shape {:?} needs {}",
            8 * k + pending.len(),
            shape,
            8 * count
        )));
    }
    Ok(NpyArray { shape, data })
}

/// Reads until `buf` is full or the file ends; returns the number of bytes read.
fn read_full(f: &mut impl std::io::Read, buf: &mut [u8]) -> Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match f.read(&mut buf[got..])? {
            0 => break,
            m => got += m,
        }
    }
    Ok(got)
}

/// Reads a 2-D array as an n × d matrix.
///
/// Errors: I/O, format, or an array that is not 2-D ([`Error::ShapeMismatch`]); a 1-D array is refused with a hint
/// (reshape it to (n, 1) for n one-dimensional points or to (1, n) for one point) rather than guessed.
pub fn read_matrix(path: impl AsRef<Path>) -> Result<DMatrix<f64>> {
    let path = path.as_ref();
    let a = read(path)?;
    match a.shape.as_slice() {
        [r, c] => Ok(DMatrix::from_vec(*r, *c, a.data)),
        [n] => Err(Error::shape(
            &format!("{} (a matrix is required)", path.display()),
            "a 2-D array",
            format!(
                "a 1-D array of length {n}; reshape it: X.reshape(-1, 1) for {n} points in one dimension, \
                 X.reshape(1, -1) for one point"
            ),
        )),
        s => Err(Error::shape(
            &format!("{} (a matrix is required)", path.display()),
            "a 2-D array",
            format!("shape {s:?}"),
        )),
    }
}

/// Reads a 1-D array (or a 2-D array with one row or one column) as a vector.
pub fn read_vector(path: impl AsRef<Path>) -> Result<DVector<f64>> {
    let path = path.as_ref();
    let a = read(path)?;
    match a.shape.as_slice() {
        [_] => Ok(DVector::from_vec(a.data)),
        [1, _] | [_, 1] => Ok(DVector::from_vec(a.data)),
        s => Err(Error::shape(
            &format!("{} (a vector is required)", path.display()),
            "a 1-D array",
            format!("shape {s:?}"),
        )),
    }
}

/// Stages a matrix as a 2-D `<f8` array (Fortran order) into `staged` (written when it is committed).
pub fn stage_matrix(staged: &mut crate::output::Staged, path: &Path, m: &DMatrix<f64>) -> Result<()> {
    staged.stage_with(path, |w| write_to(w, &[m.nrows(), m.ncols()], m.as_slice()))
}

/// Stages a vector as a 1-D `<f8` array into `staged`.
pub fn stage_vector(staged: &mut crate::output::Staged, path: &Path, v: &DVector<f64>) -> Result<()> {
    staged.stage_with(path, |w| write_to(w, &[v.len()], v.as_slice()))
}

/// Writes a matrix as a 2-D `<f8` array (Fortran order), through a temporary file and a rename.
pub fn write_matrix(path: impl AsRef<Path>, m: &DMatrix<f64>) -> Result<()> {
    let mut s = crate::output::Staged::new();
    stage_matrix(&mut s, path.as_ref(), m)?;
    s.commit()
}

/// Writes a vector as a 1-D `<f8` array, through a temporary file and a rename.
pub fn write_vector(path: impl AsRef<Path>, v: &DVector<f64>) -> Result<()> {
    let mut s = crate::output::Staged::new();
    stage_vector(&mut s, path.as_ref(), v)?;
    s.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c_order_bytes(descr: &str, shape: &str, body: &[u8]) -> Vec<u8> {
        let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
        let unpadded = 10 + header.len() + 1;
        header.push_str(&" ".repeat((64 - unpadded % 64) % 64));
        header.push('\n');
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&[1, 0]);
        out.extend_from_slice(&(header.len() as u16).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn round_trip_matrix_and_vector() {
        let m = DMatrix::from_fn(5, 3, |i, j| (i as f64) * 10.0 + j as f64 + 0.25);
        let b = to_bytes(&[5, 3], m.as_slice()).unwrap();
        assert_eq!((b.len() - 8 * 15) % 64, 0);
        let a = from_bytes(&b).unwrap();
        assert_eq!(a.shape, vec![5, 3]);
        assert_eq!(DMatrix::from_vec(5, 3, a.data), m);
        let v = to_bytes(&[4], &[1.0, -2.0, f64::MAX, 1e-300]).unwrap();
        assert_eq!(from_bytes(&v).unwrap().data, vec![1.0, -2.0, f64::MAX, 1e-300]);
    }

    #[test]
    fn reads_c_order_and_integer_and_big_endian() {
        // 2 × 3 C-order: rows [0 1 2], [3 4 5]
        let body: Vec<u8> = (0..6).flat_map(|v| (v as f64).to_le_bytes()).collect();
        let a = from_bytes(&c_order_bytes("<f8", "(2, 3)", &body)).unwrap();
        let m = DMatrix::from_vec(2, 3, a.data);
        assert_eq!(m[(0, 2)], 2.0);
        assert_eq!(m[(1, 0)], 3.0);
        let body: Vec<u8> = [-1i64, 1, 1, -1].iter().flat_map(|v| v.to_le_bytes()).collect();
        let a = from_bytes(&c_order_bytes("<i8", "(2, 2)", &body)).unwrap();
        assert_eq!(a.data, vec![-1.0, 1.0, 1.0, -1.0]);
        let body: Vec<u8> = [1.5f64, 2.5].iter().flat_map(|v| v.to_be_bytes()).collect();
        let a = from_bytes(&c_order_bytes(">f8", "(2,)", &body)).unwrap();
        assert_eq!(a.data, vec![1.5, 2.5]);
        // 3-D C order: element (i,j,k) of shape (2,2,2) = 4i+2j+k lands at i + 2j + 4k.
        let body: Vec<u8> = (0..8).flat_map(|v| (v as f64).to_le_bytes()).collect();
        let a = from_bytes(&c_order_bytes("<f8", "(2, 2, 2)", &body)).unwrap();
        assert_eq!(a.data[1], 4.0);
        assert_eq!(a.data[4], 1.0);
    }

    #[test]
    fn bad_files_are_format_errors() {
        assert!(matches!(from_bytes(b"hello world"), Err(Error::Format(_))));
        let body: Vec<u8> = (0..5).flat_map(|v| (v as f64).to_le_bytes()).collect();
        assert!(matches!(from_bytes(&c_order_bytes("<f8", "(2, 3)", &body)), Err(Error::Format(_))));
        assert!(matches!(from_bytes(&c_order_bytes("<c16", "(1,)", &[0; 16])), Err(Error::Format(_))));
        assert!(matches!(to_bytes(&[2, 2], &[1.0]), Err(Error::Format(_))));
    }
}
