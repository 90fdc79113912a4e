//! `@requestCompression`: request bodies of operations that allow it are gzipped once they reach
//! the configured size (10 KiB by default, as in AWS SDKs) and sent with `Content-Encoding: gzip`.

//!
//! gzip needs the crate feature `request-compression` (flate2); a generated crate whose model
//! has `@requestCompression` turns it on, and does not compile without it
//! (`REQUEST_COMPRESSION_ENABLED`). Clients of other models (SES) leave flate2 out.

/// Exists only with the `request-compression` feature: generated code of a model with
/// `@requestCompression` names it, so a missing feature is a compile error, not requests
/// silently sent uncompressed.
#[cfg(feature = "request-compression")]
pub const REQUEST_COMPRESSION_ENABLED: () = ();

/// The default `request_min_compression_size_bytes`.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;
/// The largest value AWS SDKs accept for the threshold.
pub const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

/// Gzips `data` (default compression level).
#[cfg(feature = "request-compression")]
pub fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 2 + 64),
        flate2::Compression::default(),
    );
    enc.write_all(data)?;
    enc.finish()
}

/// Whether a body of `len` bytes is compressed under threshold `min`.
pub fn should_compress(len: usize, min: u32) -> bool {
    u64::try_from(len).unwrap_or(u64::MAX) >= u64::from(min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "request-compression")]
    #[test]
    fn gzip_round_trips() {
        let data = "Action=Op&Version=1&".repeat(1000);
        let packed = gzip(data.as_bytes()).unwrap();
        assert_eq!(&packed[..2], &[0x1f, 0x8b]);
        assert!(packed.len() < data.len());
        let mut out = String::new();
        use std::io::Read;
        flate2::read::GzDecoder::new(&packed[..])
            .read_to_string(&mut out)
            .unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn threshold() {
        assert!(!should_compress(10_239, DEFAULT_MIN_COMPRESSION_SIZE));
        assert!(should_compress(10_240, DEFAULT_MIN_COMPRESSION_SIZE));
        assert!(should_compress(0, 0));
    }
}
