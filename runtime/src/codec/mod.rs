//! Body formats, shared by the protocols that use them: the form (`application/x-www-form-urlencoded`)
//! writer of awsQuery request bodies and the XML reader of their responses. A codec knows a
//! format, not a protocol: which key names, envelopes and error layouts a protocol uses is the
//! protocol module's business (`crate::protocol`).
//!
//! Both sit behind feature `aws-query` (on by default), the protocol that uses them today.

#[cfg(feature = "aws-query")]
pub mod form;
#[cfg(feature = "aws-json")]
pub mod json;
#[cfg(feature = "aws-query")]
pub mod xml;
