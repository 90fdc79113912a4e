//! Test function names, decided once per group from the case ids.

use std::collections::BTreeSet;

use heck::ToSnakeCase;

use super::model::Kind;

/// The names taken in one group (one generated module).
#[derive(Debug, Default)]
pub(super) struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// A snake-case identifier for case `id` of `kind`, unique in the group: `QueryXmlLists`
    /// (response) -> `query_xml_lists_response`, then `query_xml_lists_response_2`, ...; an id
    /// that is empty or starts with a digit gets a `case_` prefix.
    pub(super) fn claim(&mut self, id: &str, kind: Kind) -> String {
        let mut base = String::new();
        for c in id.to_snake_case().chars() {
            if c.is_ascii_alphanumeric() {
                base.push(c.to_ascii_lowercase());
            } else if !base.ends_with('_') {
                base.push('_');
            }
        }
        let base = base.trim_matches('_');
        let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            format!("case_{base}")
        } else {
            base.to_owned()
        };
        let base = format!("{base}_{}", kind.suffix());
        let mut name = base.clone();
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_unique() {
        let mut names = Names::default();
        assert_eq!(
            names.claim("QueryXmlLists", Kind::Response),
            "query_xml_lists_response"
        );
        assert_eq!(
            names.claim("QueryXmlLists", Kind::Response),
            "query_xml_lists_response_2"
        );
        assert_eq!(
            names.claim("SDKAppliedContentEncoding_awsQuery", Kind::Request),
            "sdk_applied_content_encoding_aws_query_request"
        );
        assert_eq!(names.claim("1st case!", Kind::Error), "case_1st_case_error");
    }
}
