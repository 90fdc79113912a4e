//! The partition table used by `aws.partition`.
//!
//! Written by this project from public partition facts. Source data: the conformance file
//! `endpoints/partitions.json` under the shared conformance directory (partition data format
//! version 1.1, sha256 `d502ba7616db31fa84543e843c171faf29e6a1231d407ecbb553da459571f793`;
//! per the conformance README it is smithy-rs `sdk-partitions.json` at commit 5c0baa7907). It
//! is the data under which all 47 SES endpoint test cases pass. Newer data (for example
//! botocore 1.44.8) gives the ISO partitions dual-stack support and so changes the expected
//! results of four SES cases; update this table and those expectations together.
//!
//! No region in the source data overrides its partition's outputs, so every entry below uses
//! [`OutputOverrides::NONE`]; the lookup still applies overrides when an entry has them.

use std::sync::LazyLock;

use super::partition::{OutputOverrides, Partition, PartitionOutputs, PartitionTable, RegionEntry};

static BUILT_IN: LazyLock<PartitionTable> = LazyLock::new(|| PartitionTable::new(PARTITIONS));

/// The table built into this crate, its region expressions compiled once.
pub fn built_in() -> &'static PartitionTable {
    &BUILT_IN
}

const fn region(name: &'static str, description: &'static str) -> RegionEntry {
    RegionEntry {
        name,
        description,
        overrides: OutputOverrides::NONE,
    }
}

/// The built-in partitions, in the order the source data lists them.
pub static PARTITIONS: &[Partition] = &[
    Partition {
        id: "aws",
        region_regex: r"^(us|eu|ap|sa|ca|me|af|il)\-\w+\-\d+$",
        regions: &[
            region("af-south-1", "Africa (Cape Town)"),
            region("ap-east-1", "Asia Pacific (Hong Kong)"),
            region("ap-northeast-1", "Asia Pacific (Tokyo)"),
            region("ap-northeast-2", "Asia Pacific (Seoul)"),
            region("ap-northeast-3", "Asia Pacific (Osaka)"),
            region("ap-south-1", "Asia Pacific (Mumbai)"),
            region("ap-south-2", "Asia Pacific (Hyderabad)"),
            region("ap-southeast-1", "Asia Pacific (Singapore)"),
            region("ap-southeast-2", "Asia Pacific (Sydney)"),
            region("ap-southeast-3", "Asia Pacific (Jakarta)"),
            region("ap-southeast-4", "Asia Pacific (Melbourne)"),
            region("aws-global", "AWS Standard global region"),
            region("ca-central-1", "Canada (Central)"),
            region("ca-west-1", "Canada West (Calgary)"),
            region("eu-central-1", "Europe (Frankfurt)"),
            region("eu-central-2", "Europe (Zurich)"),
            region("eu-north-1", "Europe (Stockholm)"),
            region("eu-south-1", "Europe (Milan)"),
            region("eu-south-2", "Europe (Spain)"),
            region("eu-west-1", "Europe (Ireland)"),
            region("eu-west-2", "Europe (London)"),
            region("eu-west-3", "Europe (Paris)"),
            region("il-central-1", "Israel (Tel Aviv)"),
            region("me-central-1", "Middle East (UAE)"),
            region("me-south-1", "Middle East (Bahrain)"),
            region("sa-east-1", "South America (Sao Paulo)"),
            region("us-east-1", "US East (N. Virginia)"),
            region("us-east-2", "US East (Ohio)"),
            region("us-west-1", "US West (N. California)"),
            region("us-west-2", "US West (Oregon)"),
        ],
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
        id: "aws-cn",
        region_regex: r"^cn\-\w+\-\d+$",
        regions: &[
            region("aws-cn-global", "AWS China global region"),
            region("cn-north-1", "China (Beijing)"),
            region("cn-northwest-1", "China (Ningxia)"),
        ],
        outputs: PartitionOutputs {
            name: "aws-cn",
            dns_suffix: "amazonaws.com.cn",
            dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "cn-northwest-1",
        },
    },
    Partition {
        id: "aws-us-gov",
        region_regex: r"^us\-gov\-\w+\-\d+$",
        regions: &[
            region("aws-us-gov-global", "AWS GovCloud (US) global region"),
            region("us-gov-east-1", "AWS GovCloud (US-East)"),
            region("us-gov-west-1", "AWS GovCloud (US-West)"),
        ],
        outputs: PartitionOutputs {
            name: "aws-us-gov",
            dns_suffix: "amazonaws.com",
            dual_stack_dns_suffix: "api.aws",
            supports_fips: true,
            supports_dual_stack: true,
            implicit_global_region: "us-gov-west-1",
        },
    },
    Partition {
        id: "aws-iso",
        region_regex: r"^us\-iso\-\w+\-\d+$",
        regions: &[
            region("aws-iso-global", "AWS ISO (US) global region"),
            region("us-iso-east-1", "US ISO East"),
            region("us-iso-west-1", "US ISO WEST"),
        ],
        outputs: PartitionOutputs {
            name: "aws-iso",
            dns_suffix: "c2s.ic.gov",
            dual_stack_dns_suffix: "c2s.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-iso-east-1",
        },
    },
    Partition {
        id: "aws-iso-b",
        region_regex: r"^us\-isob\-\w+\-\d+$",
        regions: &[
            region("aws-iso-b-global", "AWS ISOB (US) global region"),
            region("us-isob-east-1", "US ISOB East (Ohio)"),
        ],
        outputs: PartitionOutputs {
            name: "aws-iso-b",
            dns_suffix: "sc2s.sgov.gov",
            dual_stack_dns_suffix: "sc2s.sgov.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isob-east-1",
        },
    },
    Partition {
        id: "aws-iso-e",
        region_regex: r"^eu\-isoe\-\w+\-\d+$",
        regions: &[region("eu-isoe-west-1", "EU ISOE West")],
        outputs: PartitionOutputs {
            name: "aws-iso-e",
            dns_suffix: "cloud.adc-e.uk",
            dual_stack_dns_suffix: "cloud.adc-e.uk",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "eu-isoe-west-1",
        },
    },
    Partition {
        id: "aws-iso-f",
        region_regex: r"^us\-isof\-\w+\-\d+$",
        regions: &[],
        outputs: PartitionOutputs {
            name: "aws-iso-f",
            dns_suffix: "csp.hci.ic.gov",
            dual_stack_dns_suffix: "csp.hci.ic.gov",
            supports_fips: true,
            supports_dual_stack: false,
            implicit_global_region: "us-isof-south-1",
        },
    },
];
