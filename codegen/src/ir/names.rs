//! The naming pass: every Rust name the emitters use for an operation's items, a shape's
//! functions and builder, and a member's accessors, decided here once (from the names
//! `naming` gave operations, shapes and members) and stored on the IR. Emitters only read them.

use std::collections::BTreeMap;

use super::{Shape, ShapeId, ShapeKind};
use crate::naming;

/// The Rust names of an operation's items (all in its module `operation::<fn_name>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationNames {
    /// `SetIdentityMailFromDomainInput` (a type, or an alias of a shared one)
    pub input: String,
    pub input_builder: String,
    pub output: String,
    pub output_builder: String,
    /// `SetIdentityMailFromDomainError`
    pub error: String,
    /// `SetIdentityMailFromDomainFluentBuilder`
    pub fluent: String,
    /// `ListIdentitiesPaginator`
    pub paginator: String,
    /// `ListIdentitiesPaginatorItems`
    pub paginator_items: String,
    /// `host_prefix_<op>` in `ser.rs`
    pub host_prefix_fn: String,
    /// `fill_idempotency_<op>` in `ser.rs`
    pub fill_idempotency_fn: String,
    /// `endpoint_params_<op>` in `ser.rs`: the endpoint rule parameters the operation sets
    pub endpoint_params_fn: String,
    /// `build_<op>` in `ser.rs`: the input as a request, the protocol's way
    pub build_fn: String,
    /// `parse_<op>` in `de.rs`: a response as the output or the error, the protocol's way
    pub parse_fn: String,
}

impl OperationNames {
    /// The names for operation `type_name` (`SetIdentityMailFromDomain`) whose module and
    /// client method is `fn_name` (`set_identity_mail_from_domain`).
    pub fn new(type_name: &str, fn_name: &str) -> Self {
        let bare = naming::bare(fn_name);
        OperationNames {
            input: format!("{type_name}Input"),
            input_builder: format!("{type_name}InputBuilder"),
            output: format!("{type_name}Output"),
            output_builder: format!("{type_name}OutputBuilder"),
            error: format!("{type_name}Error"),
            fluent: format!("{type_name}FluentBuilder"),
            paginator: format!("{type_name}Paginator"),
            paginator_items: format!("{type_name}PaginatorItems"),
            host_prefix_fn: format!("host_prefix_{bare}"),
            fill_idempotency_fn: format!("fill_idempotency_{bare}"),
            endpoint_params_fn: format!("endpoint_params_{bare}"),
            build_fn: format!("build_{bare}"),
            parse_fn: format!("parse_{bare}"),
        }
    }
}

/// The Rust names of a waiter's items (in `waiters::<module>`) and its client method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaiterNames {
    /// `identity_exists`: the module under `waiters`
    pub module: String,
    /// `wait_until_identity_exists`: the method of `client::Waiters`
    pub method: String,
    /// `IdentityExistsFluentBuilder`
    pub fluent: String,
    /// `IdentityExistsWaiter`: the earlier name of the fluent builder, kept as an alias
    pub legacy: String,
    /// `IdentityExistsFinalPoll`
    pub final_poll: String,
    /// `WaitUntilIdentityExistsError`
    pub error: String,
}

impl WaiterNames {
    /// The names for waiter `name` (`IdentityExists`) whose snake name is `fn_name`.
    pub fn new(name: &str, fn_name: &str) -> Self {
        let camel = heck::ToUpperCamelCase::to_upper_camel_case(name);
        let bare = naming::bare(fn_name);
        WaiterNames {
            module: bare.to_owned(),
            method: format!("wait_until_{bare}"),
            fluent: format!("{camel}FluentBuilder"),
            legacy: format!("{camel}Waiter"),
            final_poll: format!("{camel}FinalPoll"),
            error: format!("WaitUntil{camel}Error"),
        }
    }
}

/// The Rust names that belong to a shape besides its type name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShapeNames {
    /// `BodyBuilder`
    pub builder: String,
    /// `de_body`: reads the shape from an XML element.
    pub de_fn: String,
    /// `de_entry_<map>`: reads one entry of a map.
    pub de_entry_fn: String,
    /// `validate_body`
    pub validate_fn: String,
    /// `value_body`: the shape as a waiter path value.
    pub value_fn: String,
    /// `is_<error>`: the check on an operation's error enum, for error shapes.
    pub is_fn: String,
}

/// The Rust names of a member's accessors besides its field name (`rust_name`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberNames {
    /// `set_<member>` on builders
    pub set: String,
    /// `get_<member>` on builders
    pub get: String,
    /// `as_<member>` on a union
    pub as_fn: String,
    /// `is_<member>` on a union
    pub is_fn: String,
}

impl MemberNames {
    fn new(rust_name: &str) -> Self {
        let bare = naming::bare(rust_name);
        MemberNames {
            set: format!("set_{bare}"),
            get: format!("get_{bare}"),
            as_fn: format!("as_{bare}"),
            is_fn: format!("is_{bare}"),
        }
    }
}

/// Fills the names of every shape and member once their type names are decided.
pub(super) fn assign(shapes: &mut BTreeMap<ShapeId, Shape>) {
    for shape in shapes.values_mut() {
        let snake = heck::ToSnakeCase::to_snake_case(shape.rust_name.as_str());
        shape.names = ShapeNames {
            builder: format!("{}Builder", shape.rust_name),
            de_fn: format!("de_{snake}"),
            de_entry_fn: format!("de_entry_{snake}"),
            validate_fn: format!("validate_{snake}"),
            value_fn: format!("value_{snake}"),
            is_fn: format!("is_{snake}"),
        };
        let members = match &mut shape.kind {
            ShapeKind::Structure(st) => st.members.iter_mut().collect::<Vec<_>>(),
            ShapeKind::Union(u) => u.members.iter_mut().collect(),
            ShapeKind::List(m) => vec![&mut **m],
            ShapeKind::Map { key, value } => vec![&mut **key, &mut **value],
            _ => Vec::new(),
        };
        for m in members {
            m.names = MemberNames::new(&m.rust_name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compose_from_bare_identifiers() {
        let n = OperationNames::new("Self_", "self_");
        assert_eq!(n.fluent, "Self_FluentBuilder");
        assert_eq!(n.host_prefix_fn, "host_prefix_self_");
        assert_eq!(n.endpoint_params_fn, "endpoint_params_self_");
        let m = MemberNames::new("r#type");
        assert_eq!((m.set.as_str(), m.get.as_str()), ("set_type", "get_type"));
        assert_eq!((m.as_fn.as_str(), m.is_fn.as_str()), ("as_type", "is_type"));
    }
}
