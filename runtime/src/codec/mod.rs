//! Body formats, shared by the protocols that use them: the form (`application/x-www-form-urlencoded`)
//! writer of awsQuery and ec2Query request bodies and the XML reader of their responses. A codec knows a
//! format, not a protocol: which key names, envelopes and error layouts a protocol uses is the
//! protocol module's business (`crate::protocol`).
//!
//! Both sit behind feature `aws-query` (on by default) or `ec2-query`, the protocols that use
//! them.

pub mod form;
pub mod xml;
