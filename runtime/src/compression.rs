//! Request compression (the model's `requestcompression` trait): operations that accept a compressed body list
//! the encodings they take; the client gzips bodies of at least [`CompressionSettings::min_size_bytes`] bytes.
//!
//! The rules are botocore's and the AWS SDKs': on by default, off with `disable_request_compression` /
//! `AWS_DISABLE_REQUEST_COMPRESSION=true`; the threshold is 10240 bytes unless `request_min_compression_size_bytes`
//! / `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` says otherwise (0 to 10485760); a body is compressed when its size
//! is greater than or equal to the threshold. The body is compressed before it is signed, and the encoding is
//! sent as `Content-Encoding`.
//!
//! gzip needs the `compression` feature, which a generated crate turns on with the features of the operations that
//! accept compressed bodies (EMR has none). Without it, every body goes as it is: compression is an optimisation,
//! and a service that accepts a compressed body accepts the plain one too.

/// The threshold when nothing configures one.
pub const DEFAULT_MIN_SIZE_BYTES: u32 = 10_240;

/// The largest threshold a user may configure.
pub const MAX_MIN_SIZE_BYTES: u32 = 10_485_760;

/// Whether and from which size request bodies are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompressionSettings {
    /// Never compress (`disable_request_compression`, `AWS_DISABLE_REQUEST_COMPRESSION`); false by default.
    pub disabled: bool,
    /// Compress bodies of at least this many bytes: [`DEFAULT_MIN_SIZE_BYTES`] by default, at most
    /// [`MAX_MIN_SIZE_BYTES`].
    pub min_size_bytes: u32,
}

impl Default for CompressionSettings {
    fn default() -> Self {
        CompressionSettings {
            disabled: false,
            min_size_bytes: DEFAULT_MIN_SIZE_BYTES,
        }
    }
}

/// The encodings this runtime can apply, in the names the model uses.
#[cfg(feature = "compression")]
const SUPPORTED: &[&str] = &["gzip"];
#[cfg(not(feature = "compression"))]
const SUPPORTED: &[&str] = &[];

/// `body` compressed with the first of `encodings` (the operation's, in model order) that this runtime supports,
/// with that encoding's name; `None` when the body goes as it is.
pub fn compress(body: &[u8], encodings: &[&str], settings: &CompressionSettings) -> Option<(&'static str, Vec<u8>)> {
    if settings.disabled || (body.len() as u64) < u64::from(settings.min_size_bytes) {
        return None;
    }
    let encoding = encodings.iter().find_map(|e| SUPPORTED.iter().find(|s| *s == e))?;
    match *encoding {
        #[cfg(feature = "compression")]
        "gzip" => gzip(body).map(|compressed| ("gzip", compressed)),
        _ => None,
    }
}

#[cfg(feature = "compression")]
fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;
    let mut gz = GzEncoder::new(Vec::with_capacity(body.len() / 2), Compression::default());
    // Writing to a Vec cannot fail; if it somehow did, the body would go uncompressed, which is still valid.
    gz.write_all(body).ok()?;
    gz.finish().ok()
}

#[cfg(all(test, not(feature = "compression")))]
mod without_the_feature {
    use super::*;

    #[test]
    fn every_body_goes_as_it_is() {
        let large = vec![b'a'; 20_000];
        assert_eq!(compress(&large, &["gzip"], &CompressionSettings::default()), None);
    }
}

#[cfg(all(test, feature = "compression"))]
mod tests {
    use super::*;
    use flate2::read::GzDecoder;
    use std::io::Read;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        GzDecoder::new(bytes).read_to_end(&mut out).unwrap();
        out
    }

    #[test]
    fn compresses_from_the_threshold_on() {
        let settings = CompressionSettings::default();
        let small = vec![b'a'; 10_239];
        assert_eq!(compress(&small, &["gzip"], &settings), None);
        let large = vec![b'a'; 10_240];
        let (encoding, body) = compress(&large, &["gzip"], &settings).unwrap();
        assert_eq!(encoding, "gzip");
        assert_eq!(gunzip(&body), large);
        let zero = CompressionSettings {
            disabled: false,
            min_size_bytes: 0,
        };
        assert_eq!(gunzip(&compress(b"", &["gzip"], &zero).unwrap().1), b"");
    }

    #[test]
    fn disabled_unsupported_or_unlisted_means_uncompressed() {
        let large = vec![b'a'; 20_000];
        let disabled = CompressionSettings {
            disabled: true,
            ..Default::default()
        };
        assert_eq!(compress(&large, &["gzip"], &disabled), None);
        assert_eq!(compress(&large, &["br"], &CompressionSettings::default()), None);
        assert_eq!(compress(&large, &[], &CompressionSettings::default()), None);
        let (encoding, _) = compress(&large, &["br", "gzip"], &CompressionSettings::default()).unwrap();
        assert_eq!(encoding, "gzip");
    }
}
