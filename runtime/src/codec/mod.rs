//! Body formats, shared by the protocols that use them: the form
//! (`application/x-www-form-urlencoded`) writer of awsQuery and ec2Query request bodies, the XML
//! reader of their responses, and the JSON writer and reader of awsJson. A codec knows a format,
//! not a protocol: which key names, envelopes and error layouts a protocol uses is the protocol
//! module's business (`crate::protocol`).
//!
//! The form writer and XML reader sit behind feature `aws-query` (on by default) or
//! `ec2-query`, the JSON codec behind `aws-json`.

#[cfg(any(feature = "aws-query", feature = "ec2-query"))]
pub mod form;
#[cfg(feature = "aws-json")]
pub mod json;
#[cfg(any(feature = "aws-query", feature = "ec2-query"))]
pub mod xml;
