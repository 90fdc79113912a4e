//! Partition data types and the `aws.partition` lookup.

// regex-lite, as aws-sdk-rust's partition resolver uses: `\w` and `\d` in region expressions
// are ASCII (real region names are).
use regex_lite::Regex;

use super::value::Value;

/// One AWS partition (`aws`, `aws-cn`, `aws-us-gov`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition id.
    pub id: &'static str,
    /// Regions not listed in [`regions`](Partition::regions) belong to this partition when
    /// they match this regular expression.
    pub region_regex: &'static str,
    /// The regions known to be in this partition.
    pub regions: &'static [RegionEntry],
    /// What `aws.partition` returns for a region of this partition.
    pub outputs: PartitionOutputs,
}

/// A region listed explicitly in a partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionEntry {
    /// The region name, e.g. `us-east-1`.
    pub name: &'static str,
    /// A human-readable description.
    pub description: &'static str,
    /// Outputs that differ from the partition's for this region.
    pub overrides: OutputOverrides,
}

/// The attributes of a partition as rules see them (`PartitionResult#dnsSuffix`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartitionOutputs {
    /// `name`
    pub name: &'static str,
    /// `dnsSuffix`
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`
    pub supports_fips: bool,
    /// `supportsDualStack`
    pub supports_dual_stack: bool,
    /// `implicitGlobalRegion`
    pub implicit_global_region: &'static str,
}

impl PartitionOutputs {
    /// The record `aws.partition` returns.
    pub fn to_value(&self) -> Value {
        Value::record([
            ("name", Value::from(self.name)),
            ("dnsSuffix", Value::from(self.dns_suffix)),
            (
                "dualStackDnsSuffix",
                Value::from(self.dual_stack_dns_suffix),
            ),
            ("supportsFIPS", Value::Bool(self.supports_fips)),
            ("supportsDualStack", Value::Bool(self.supports_dual_stack)),
            (
                "implicitGlobalRegion",
                Value::from(self.implicit_global_region),
            ),
        ])
    }

    fn with_overrides(mut self, o: &OutputOverrides) -> Self {
        if let Some(v) = o.name {
            self.name = v;
        }
        if let Some(v) = o.dns_suffix {
            self.dns_suffix = v;
        }
        if let Some(v) = o.dual_stack_dns_suffix {
            self.dual_stack_dns_suffix = v;
        }
        if let Some(v) = o.supports_fips {
            self.supports_fips = v;
        }
        if let Some(v) = o.supports_dual_stack {
            self.supports_dual_stack = v;
        }
        if let Some(v) = o.implicit_global_region {
            self.implicit_global_region = v;
        }
        self
    }
}

/// Per-region replacements for some of a partition's outputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct OutputOverrides {
    /// Replaces `name`.
    pub name: Option<&'static str>,
    /// Replaces `dnsSuffix`.
    pub dns_suffix: Option<&'static str>,
    /// Replaces `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: Option<&'static str>,
    /// Replaces `supportsFIPS`.
    pub supports_fips: Option<bool>,
    /// Replaces `supportsDualStack`.
    pub supports_dual_stack: Option<bool>,
    /// Replaces `implicitGlobalRegion`.
    pub implicit_global_region: Option<&'static str>,
}

impl OutputOverrides {
    /// No overrides.
    pub const NONE: OutputOverrides = OutputOverrides {
        name: None,
        dns_suffix: None,
        dual_stack_dns_suffix: None,
        supports_fips: None,
        supports_dual_stack: None,
        implicit_global_region: None,
    };
}

/// A list of partitions with their region expressions compiled, ready for lookups.
#[derive(Debug)]
pub struct PartitionTable {
    partitions: &'static [Partition],
    /// `None` where a partition's expression does not compile; such a partition then only
    /// matches its explicitly listed regions.
    regexes: Vec<Option<Regex>>,
}

impl PartitionTable {
    /// Compiles the region expressions of `partitions`.
    pub fn new(partitions: &'static [Partition]) -> Self {
        let regexes = partitions
            .iter()
            .map(|p| Regex::new(p.region_regex).ok())
            .collect();
        PartitionTable {
            partitions,
            regexes,
        }
    }

    /// The partitions in the table.
    pub fn partitions(&self) -> &'static [Partition] {
        self.partitions
    }

    /// The outputs for `region`: the partition that lists the region (with that region's
    /// overrides applied), else the first partition whose expression matches it, else the
    /// `aws` partition. `None` only if none of those exists.
    pub fn lookup(&self, region: &str) -> Option<PartitionOutputs> {
        for p in self.partitions {
            if let Some(entry) = p.regions.iter().find(|r| r.name == region) {
                return Some(p.outputs.with_overrides(&entry.overrides));
            }
        }
        for (p, re) in self.partitions.iter().zip(&self.regexes) {
            if re.as_ref().is_some_and(|re| re.is_match(region)) {
                return Some(p.outputs);
            }
        }
        self.partitions
            .iter()
            .find(|p| p.id == "aws")
            .map(|p| p.outputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_expressions_all_compile() {
        let table = super::super::partitions::built_in();
        assert_eq!(table.regexes.len(), table.partitions().len());
        assert!(table.regexes.iter().all(Option::is_some));
        let ids: Vec<_> = table.partitions().iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [
                "aws",
                "aws-cn",
                "aws-us-gov",
                "aws-iso",
                "aws-iso-b",
                "aws-iso-e",
                "aws-iso-f"
            ]
        );
    }

    #[test]
    fn lookup_by_listed_region_regex_and_fallback() {
        let t = super::super::partitions::built_in();
        let name = |r: &str| t.lookup(r).map(|o| o.name);
        // Listed explicitly.
        assert_eq!(name("us-east-1"), Some("aws"));
        assert_eq!(name("aws-global"), Some("aws"));
        assert_eq!(name("cn-north-1"), Some("aws-cn"));
        assert_eq!(name("aws-us-gov-global"), Some("aws-us-gov"));
        assert_eq!(name("us-iso-east-1"), Some("aws-iso"));
        assert_eq!(name("us-isob-east-1"), Some("aws-iso-b"));
        // By expression only. `us-gov-west-9` does not match the `aws` expression (checked
        // first) because `\w` excludes `-`.
        assert_eq!(name("us-east-3"), Some("aws"));
        assert_eq!(name("cn-south-7"), Some("aws-cn"));
        assert_eq!(name("us-gov-west-9"), Some("aws-us-gov"));
        assert_eq!(name("us-isof-south-1"), Some("aws-iso-f"));
        assert_eq!(name("eu-isoe-west-2"), Some("aws-iso-e"));
        // Neither: the `aws` partition.
        assert_eq!(name("mars-east-1"), Some("aws"));
        assert_eq!(name(""), Some("aws"));
        // `\w` and `\d` are ASCII (regex-lite, as in aws-sdk-rust): not `aws-cn`.
        assert_eq!(name("cn-nörth-1"), Some("aws"));
        assert_eq!(name("cn-north-١"), Some("aws"));

        let cn = t.lookup("cn-north-1").expect("cn partition");
        assert_eq!(cn.dns_suffix, "amazonaws.com.cn");
        assert_eq!(cn.dual_stack_dns_suffix, "api.amazonwebservices.com.cn");
        assert_eq!(cn.implicit_global_region, "cn-northwest-1");
        let iso = t.lookup("us-iso-west-1").expect("iso partition");
        assert!(iso.supports_fips);
        assert!(!iso.supports_dual_stack);
    }

    #[test]
    fn region_overrides_apply() {
        static CUSTOM: &[Partition] = &[
            Partition {
                id: "aws",
                region_regex: r"^(us|eu)\-\w+\-\d+$",
                regions: &[RegionEntry {
                    name: "us-special-1",
                    description: "special",
                    overrides: OutputOverrides {
                        dns_suffix: Some("special.example"),
                        supports_dual_stack: Some(false),
                        ..OutputOverrides::NONE
                    },
                }],
                outputs: PartitionOutputs {
                    name: "aws",
                    dns_suffix: "amazonaws.com",
                    dual_stack_dns_suffix: "api.aws",
                    supports_fips: true,
                    supports_dual_stack: true,
                    implicit_global_region: "us-east-1",
                },
            },
            Partition {
                id: "broken",
                region_regex: r"(unclosed",
                regions: &[],
                outputs: PartitionOutputs {
                    name: "broken",
                    dns_suffix: "x",
                    dual_stack_dns_suffix: "x",
                    supports_fips: false,
                    supports_dual_stack: false,
                    implicit_global_region: "x",
                },
            },
        ];
        let t = PartitionTable::new(CUSTOM);
        let special = t.lookup("us-special-1").expect("listed");
        assert_eq!(special.dns_suffix, "special.example");
        assert!(!special.supports_dual_stack);
        assert_eq!(special.dual_stack_dns_suffix, "api.aws");
        assert_eq!(
            t.lookup("eu-west-1").map(|o| o.dns_suffix),
            Some("amazonaws.com")
        );
        // An expression that does not compile never matches; the fallback is `aws`.
        assert_eq!(t.lookup("(unclosed").map(|o| o.name), Some("aws"));
        assert_eq!(PartitionTable::new(&[]).lookup("us-east-1"), None);

        let v = special.to_value();
        assert_eq!(v.get("name"), Some(&Value::from("aws")));
        assert_eq!(v.get("supportsFIPS"), Some(&Value::Bool(true)));
        assert_eq!(
            v.get("implicitGlobalRegion"),
            Some(&Value::from("us-east-1"))
        );
    }
}
