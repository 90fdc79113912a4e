//! Endpoint rules: turns a service's `smithy.rules#endpointRuleSet` trait into runtime data and
//! its `smithy.rules#endpointTests` trait into `#[test]` functions.
//!
//! The runtime side is `runtime::endpoint` in the client crate. [`emit_rule_set`] validates the
//! rule set completely (types, function names and arities, references in scope, templates,
//! attribute paths), so the generated data never makes the runtime evaluator report an invalid
//! rule set.
//!
//! Contract with the rest of the generator:
//! * [`emit_rule_set`] produces the contents of one module (e.g. `generated/endpoints.rs`): a
//!   single item, `pub static RULES: <runtime>::endpoint::rules::RuleSet`.
//! * [`emit_tests`] produces bare `#[test]` functions for a `#[cfg(test)]` module; `rules_path`
//!   is the path of the module holding `RULES`, and the tests call
//!   `<runtime>::endpoint::resolve(&#rules_path::RULES, &params)` and use
//!   `<runtime>::endpoint::{Params, ParamValue, Value}`.

use std::collections::HashSet;

use heck::ToSnakeCase;
use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use serde_json::{Map, Value};

/// What is wrong with a rule set or its tests. `at` locates the fault, e.g.
/// `rules[1].rules[0].conditions[0].argv[1]` or `testCases[3].params.Region`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointGenError {
    /// A value has the wrong JSON type.
    #[error("{at}: expected {expected}, found {found}")]
    Type {
        at: String,
        expected: &'static str,
        found: String,
    },
    /// A required field is absent.
    #[error("{at}: missing required field `{field}`")]
    MissingField { at: String, field: &'static str },
    /// The rule set declares a rules engine version this generator does not support.
    #[error("{at}: unsupported rules engine version `{version}` (supported: 1.0, 1.1)")]
    UnsupportedVersion { at: String, version: String },
    /// A function the runtime does not implement.
    #[error("{at}: unsupported function `{name}`")]
    UnknownFunction { at: String, name: String },
    /// A function called with the wrong number of arguments.
    #[error("{at}: `{name}` takes {expected} argument(s), found {found}")]
    Arity {
        at: String,
        name: String,
        /// `2`, or `at least 2` for a variadic function.
        expected: String,
        found: usize,
    },
    /// A rule whose `type` is not `endpoint`, `error` or `tree`.
    #[error("{at}: unknown rule type `{ty}` (expected endpoint, error or tree)")]
    UnknownRuleType { at: String, ty: String },
    /// A parameter whose `type` is not `string`, `boolean` or `stringArray`.
    #[error("{at}: unknown parameter type `{ty}` (expected string, boolean or stringArray)")]
    UnknownParamType { at: String, ty: String },
    /// A parameter default whose type differs from the parameter's.
    #[error("{at}: default value does not match the parameter type `{ty}`")]
    DefaultType { at: String, ty: String },
    /// A reference (or template substitution) to a name that is neither a parameter nor a
    /// variable assigned in scope.
    #[error("{at}: `{name}` is neither a parameter nor a variable assigned in scope")]
    UnknownReference { at: String, name: String },
    /// An `assign` that reuses a parameter or in-scope variable name.
    #[error("{at}: `{name}` is already a parameter or a variable in scope")]
    DuplicateName { at: String, name: String },
    /// A malformed template string or `getAttr` path.
    #[error("{at}: {message}")]
    Syntax { at: String, message: String },
    /// A malformed `endpointTests` case.
    #[error("{at}: {message}")]
    BadTest { at: String, message: String },
}

// ---------------------------------------------------------------------------------------------
// Rule set

/// Rust tokens that construct the rule set as runtime data: one item,
/// `pub static RULES: #runtime_path::endpoint::rules::RuleSet` (plain `&'static` data, built at
/// compile time).
///
/// `runtime_path` is the path to the runtime module as seen from the generated code, e.g.
/// `crate::runtime`.
pub fn emit_rule_set(
    rule_set: &Value,
    runtime_path: &TokenStream,
) -> Result<TokenStream, EndpointGenError> {
    let root = object(rule_set, "endpointRuleSet")?;
    let version = string(
        field(root, "endpointRuleSet", "version")?,
        "endpointRuleSet.version",
    )?;
    if !matches!(version, "1.0" | "1.1") {
        return Err(EndpointGenError::UnsupportedVersion {
            at: "endpointRuleSet.version".into(),
            version: version.into(),
        });
    }
    let params_json = object(
        field(root, "endpointRuleSet", "parameters")?,
        "endpointRuleSet.parameters",
    )?;
    let mut params = Vec::new();
    let mut scope = Vec::new();
    for (name, p) in params_json {
        let at = format!("parameters.{name}");
        if !is_identifier(name) {
            return Err(EndpointGenError::Syntax {
                at,
                message: format!("`{name}` is not a valid parameter name"),
            });
        }
        params.push(emit_parameter(name, p, &at)?);
        scope.push(name.clone());
    }
    let rules = array(field(root, "endpointRuleSet", "rules")?, "rules")?;
    let mut cx = RuleCx { scope };
    let rules = rules
        .iter()
        .enumerate()
        .map(|(i, r)| cx.rule(r, &format!("rules[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;

    let rt = quote!(#runtime_path::endpoint::rules);
    let doc = format!(
        " The service's endpoint rule set (`smithy.rules#endpointRuleSet`, version {version})."
    );
    Ok(quote! {
        #[doc = #doc]
        ///
        /// Evaluated by `runtime::endpoint::resolve`.
        pub static RULES: #rt::RuleSet = {
            use #rt::*;
            RuleSet {
                version: #version,
                parameters: &[#(#params),*],
                rules: &[#(#rules),*],
            }
        };
    })
}

fn emit_parameter(name: &str, p: &Value, at: &str) -> Result<TokenStream, EndpointGenError> {
    let p = object(p, at)?;
    let ty_name = string(field(p, at, "type")?, &format!("{at}.type"))?;
    let ty = match ty_name.to_ascii_lowercase().as_str() {
        "string" => quote!(ParamType::String),
        "boolean" => quote!(ParamType::Boolean),
        "stringarray" => quote!(ParamType::StringArray),
        _ => {
            return Err(EndpointGenError::UnknownParamType {
                at: format!("{at}.type"),
                ty: ty_name.into(),
            });
        }
    };
    let built_in = match p.get("builtIn") {
        None | Some(Value::Null) => quote!(None),
        Some(b) => {
            let b = string(b, &format!("{at}.builtIn"))?;
            quote!(Some(#b))
        }
    };
    let required = match p.get("required") {
        None | Some(Value::Null) => false,
        Some(r) => boolean(r, &format!("{at}.required"))?,
    };
    let default_at = format!("{at}.default");
    let default = match (p.get("default"), ty_name.to_ascii_lowercase().as_str()) {
        (None | Some(Value::Null), _) => quote!(None),
        (Some(Value::String(s)), "string") => quote!(Some(DefaultValue::String(#s))),
        (Some(Value::Bool(b)), "boolean") => quote!(Some(DefaultValue::Bool(#b))),
        (Some(Value::Array(items)), "stringarray") => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, v)| string(v, &format!("{default_at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(Some(DefaultValue::StringArray(&[#(#items),*])))
        }
        _ => {
            return Err(EndpointGenError::DefaultType {
                at: default_at,
                ty: ty_name.into(),
            });
        }
    };
    Ok(quote! {
        Parameter {
            name: #name,
            ty: #ty,
            built_in: #built_in,
            required: #required,
            default: #default,
        }
    })
}

/// Walks rules keeping the names in scope (parameters, then assigned variables).
struct RuleCx {
    scope: Vec<String>,
}

impl RuleCx {
    fn rule(&mut self, rule: &Value, at: &str) -> Result<TokenStream, EndpointGenError> {
        let r = object(rule, at)?;
        let ty = string(field(r, at, "type")?, &format!("{at}.type"))?;
        let mark = self.scope.len();
        let conditions = match r.get("conditions") {
            None | Some(Value::Null) => Vec::new(),
            Some(c) => {
                let c_at = format!("{at}.conditions");
                array(c, &c_at)?
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.condition(c, &format!("{c_at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        let out = match ty {
            "endpoint" => {
                let e_at = format!("{at}.endpoint");
                let endpoint = self.endpoint(field(r, at, "endpoint")?, &e_at)?;
                quote!(Rule::Endpoint { conditions: &[#(#conditions),*], endpoint: #endpoint })
            }
            "error" => {
                let message = self.expr(field(r, at, "error")?, &format!("{at}.error"))?;
                quote!(Rule::Error { conditions: &[#(#conditions),*], message: #message })
            }
            "tree" => {
                let rules_at = format!("{at}.rules");
                let sub = array(field(r, at, "rules")?, &rules_at)?;
                let sub = sub
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.rule(s, &format!("{rules_at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(Rule::Tree { conditions: &[#(#conditions),*], rules: &[#(#sub),*] })
            }
            other => {
                return Err(EndpointGenError::UnknownRuleType {
                    at: format!("{at}.type"),
                    ty: other.into(),
                });
            }
        };
        self.scope.truncate(mark);
        Ok(out)
    }

    fn condition(&mut self, c: &Value, at: &str) -> Result<TokenStream, EndpointGenError> {
        let obj = object(c, at)?;
        let (func, args) = self.call(obj, at)?;
        let assign = match obj.get("assign") {
            None | Some(Value::Null) => quote!(None),
            Some(a) => {
                let a_at = format!("{at}.assign");
                let name = string(a, &a_at)?;
                if !is_identifier(name) {
                    return Err(EndpointGenError::Syntax {
                        at: a_at,
                        message: format!("`{name}` is not a valid variable name"),
                    });
                }
                if self.scope.iter().any(|s| s == name) {
                    return Err(EndpointGenError::DuplicateName {
                        at: a_at,
                        name: name.into(),
                    });
                }
                self.scope.push(name.to_owned());
                quote!(Some(#name))
            }
        };
        Ok(quote!(Condition { func: #func, args: &[#(#args),*], assign: #assign }))
    }

    /// A function object's `Func` variant and argument expressions.
    fn call(
        &self,
        obj: &Map<String, Value>,
        at: &str,
    ) -> Result<(TokenStream, Vec<TokenStream>), EndpointGenError> {
        let name = string(field(obj, at, "fn")?, &format!("{at}.fn"))?;
        let (variant, min, max) =
            function(name).ok_or_else(|| EndpointGenError::UnknownFunction {
                at: format!("{at}.fn"),
                name: name.into(),
            })?;
        let argv_at = format!("{at}.argv");
        let argv = array(field(obj, at, "argv")?, &argv_at)?;
        if argv.len() < min || max.is_some_and(|max| argv.len() > max) {
            return Err(EndpointGenError::Arity {
                at: argv_at,
                name: name.into(),
                expected: match max {
                    Some(n) => n.to_string(),
                    None => format!("at least {min}"),
                },
                found: argv.len(),
            });
        }
        let mut args = Vec::with_capacity(argv.len());
        for (i, a) in argv.iter().enumerate() {
            let a_at = format!("{argv_at}[{i}]");
            if name == "getAttr" && i == 1 {
                // The path is a literal, not a template.
                let path = string(a, &a_at)?;
                check_path(path, &a_at)?;
                args.push(quote!(Expr::Str(#path)));
            } else {
                args.push(self.expr(a, &a_at)?);
            }
        }
        let variant = Ident::new(variant, Span::call_site());
        Ok((quote!(Func::#variant), args))
    }

    /// An expression in argument position (or an endpoint url / error message / header value).
    fn expr(&self, v: &Value, at: &str) -> Result<TokenStream, EndpointGenError> {
        match v {
            Value::String(s) => {
                self.check_template(s, at)?;
                Ok(quote!(Expr::Str(#s)))
            }
            Value::Bool(b) => Ok(quote!(Expr::Bool(#b))),
            Value::Number(n) => int_literal(n, at),
            Value::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expr(v, &format!("{at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(quote!(Expr::Array(&[#(#items),*])))
            }
            Value::Object(obj) => {
                if let Some(r) = obj.get("ref") {
                    let name = string(r, &format!("{at}.ref"))?;
                    self.check_ref(name, &format!("{at}.ref"))?;
                    Ok(quote!(Expr::Ref(#name)))
                } else if obj.contains_key("fn") {
                    let (func, args) = self.call(obj, at)?;
                    Ok(quote!(Expr::Call(#func, &[#(#args),*])))
                } else {
                    Err(EndpointGenError::Type {
                        at: at.into(),
                        expected: "a reference (`ref`) or function (`fn`) object",
                        found: describe(v),
                    })
                }
            }
            Value::Null => Err(EndpointGenError::Type {
                at: at.into(),
                expected: "an expression",
                found: describe(v),
            }),
        }
    }

    /// A value inside endpoint properties: objects are records there.
    fn property(&self, v: &Value, at: &str) -> Result<TokenStream, EndpointGenError> {
        match v {
            Value::Object(obj) if !obj.contains_key("ref") && !obj.contains_key("fn") => {
                let fields = obj
                    .iter()
                    .map(|(k, v)| {
                        let v = self.property(v, &format!("{at}.{k}"))?;
                        Ok(quote!((#k, #v)))
                    })
                    .collect::<Result<Vec<_>, EndpointGenError>>()?;
                Ok(quote!(Expr::Record(&[#(#fields),*])))
            }
            Value::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.property(v, &format!("{at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(quote!(Expr::Array(&[#(#items),*])))
            }
            other => self.expr(other, at),
        }
    }

    fn endpoint(&self, v: &Value, at: &str) -> Result<TokenStream, EndpointGenError> {
        let e = object(v, at)?;
        let url = self.expr(field(e, at, "url")?, &format!("{at}.url"))?;
        let mut headers = Vec::new();
        if let Some(h) = e.get("headers").filter(|h| !h.is_null()) {
            let h_at = format!("{at}.headers");
            for (name, values) in object(h, &h_at)? {
                let v_at = format!("{h_at}.{name}");
                let values = array(values, &v_at)?
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expr(v, &format!("{v_at}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                headers.push(quote!((#name, &[#(#values),*])));
            }
        }
        let mut properties = Vec::new();
        if let Some(p) = e.get("properties").filter(|p| !p.is_null()) {
            let p_at = format!("{at}.properties");
            for (key, value) in object(p, &p_at)? {
                let value = self.property(value, &format!("{p_at}.{key}"))?;
                properties.push(quote!((#key, #value)));
            }
        }
        Ok(quote! {
            EndpointSpec {
                url: #url,
                headers: &[#(#headers),*],
                properties: &[#(#properties),*],
            }
        })
    }

    fn check_ref(&self, name: &str, at: &str) -> Result<(), EndpointGenError> {
        if self.scope.iter().any(|s| s == name) {
            Ok(())
        } else {
            Err(EndpointGenError::UnknownReference {
                at: at.into(),
                name: name.into(),
            })
        }
    }

    fn check_template(&self, template: &str, at: &str) -> Result<(), EndpointGenError> {
        for (name, path) in template_refs(template).map_err(|message| EndpointGenError::Syntax {
            at: at.into(),
            message,
        })? {
            self.check_ref(name, at)?;
            if let Some(path) = path {
                check_path(path, at)?;
            }
        }
        Ok(())
    }
}

/// The supported functions: rule-set name, `Func` variant, fewest and most arguments (`None`:
/// variadic). Any other function is a generation error naming it.
const FUNCTIONS: &[(&str, &str, usize, Option<usize>)] = &[
    ("isSet", "IsSet", 1, Some(1)),
    ("not", "Not", 1, Some(1)),
    ("booleanEquals", "BooleanEquals", 2, Some(2)),
    ("stringEquals", "StringEquals", 2, Some(2)),
    ("getAttr", "GetAttr", 2, Some(2)),
    ("substring", "Substring", 4, Some(4)),
    ("uriEncode", "UriEncode", 1, Some(1)),
    ("parseURL", "ParseUrl", 1, Some(1)),
    ("isValidHostLabel", "IsValidHostLabel", 2, Some(2)),
    ("aws.partition", "AwsPartition", 1, Some(1)),
    ("aws.parseArn", "AwsParseArn", 1, Some(1)),
    (
        "aws.isVirtualHostableS3Bucket",
        "AwsIsVirtualHostableS3Bucket",
        2,
        Some(2),
    ),
    // Rules engine 1.1.
    ("coalesce", "Coalesce", 2, None),
    ("ite", "Ite", 3, Some(3)),
    ("split", "Split", 3, Some(3)),
];

fn function(name: &str) -> Option<(&'static str, usize, Option<usize>)> {
    FUNCTIONS
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, v, min, max)| (*v, *min, *max))
}

fn int_literal(n: &serde_json::Number, at: &str) -> Result<TokenStream, EndpointGenError> {
    let i = n.as_i64().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "an integer",
        found: n.to_string(),
    })?;
    let abs = Literal::u64_unsuffixed(i.unsigned_abs());
    Ok(if i < 0 {
        quote!(Expr::Int(-#abs))
    } else {
        quote!(Expr::Int(#abs))
    })
}

/// The `{name}` / `{name#path}` substitutions of a template string (the same grammar the
/// runtime accepts: `{{` and `}}` are literal braces).
fn template_refs(template: &str) -> Result<Vec<(&str, Option<&str>)>, String> {
    let mut refs = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{").or_else(|| tail.strip_prefix("}}")) {
            rest = after;
        } else if tail.starts_with('}') {
            return Err(format!("unmatched `}}` in template `{template}`"));
        } else {
            let close = tail
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in template `{template}`"))?;
            let inner = &tail[1..close];
            let (name, path) = match inner.split_once('#') {
                Some((n, p)) => (n, Some(p)),
                None => (inner, None),
            };
            if !is_identifier(name) || path.is_some_and(str::is_empty) || inner.contains('{') {
                return Err(format!(
                    "invalid substitution `{{{inner}}}` in template `{template}`"
                ));
            }
            refs.push((name, path));
            rest = &tail[close + 1..];
        }
    }
    Ok(refs)
}

/// Validates a `getAttr` path (`a.b[0]`) with the runtime's grammar.
fn check_path(path: &str, at: &str) -> Result<(), EndpointGenError> {
    let err = |message: String| EndpointGenError::Syntax {
        at: at.into(),
        message,
    };
    for segment in path.split('.') {
        if segment.is_empty() {
            return Err(err(format!("empty segment in attribute path `{path}`")));
        }
        let mut rest = segment.find('[').map_or("", |i| &segment[i..]);
        while !rest.is_empty() {
            let (index, after) = rest
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .ok_or_else(|| err(format!("malformed index in attribute path `{path}`")))?;
            index.parse::<usize>().map_err(|_| {
                err(format!(
                    "index `{index}` in attribute path `{path}` is not a non-negative integer"
                ))
            })?;
            rest = after;
        }
    }
    Ok(())
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

// ---------------------------------------------------------------------------------------------
// Tests

/// One `#[test]` per `endpointTests` case, asserting the exact URL (plus headers and properties
/// when the case gives them) or the exact error message.
///
/// `tests` is the `smithy.rules#endpointTests` trait value. The functions expect
/// `#rules_path::RULES` to be the rule set (as emitted by [`emit_rule_set`]) and use
/// `#runtime_path::endpoint::{resolve, Params, ParamValue, Value}`. Test names come from each
/// case's `documentation`, in snake case, de-duplicated with `_2`, `_3`, ... A case whose
/// `operationInputs` give only built-in (and client) parameters is also resolved from those.
pub fn emit_tests(
    tests: &Value,
    runtime_path: &TokenStream,
    rules_path: &TokenStream,
) -> Result<TokenStream, EndpointGenError> {
    let root = object(tests, "endpointTests")?;
    let cases = array(field(root, "endpointTests", "testCases")?, "testCases")?;
    let ep = quote!(#runtime_path::endpoint);
    let mut names = TestNames::default();
    let mut out = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let at = format!("testCases[{i}]");
        let c = object(case, &at)?;
        let doc = match c.get("documentation") {
            None | Some(Value::Null) => None,
            Some(d) => {
                Some(string(d, &format!("{at}.documentation"))?).filter(|d| !d.trim().is_empty())
            }
        };
        let fn_name = Ident::new(&names.next(doc, i), Span::call_site());
        let label = doc.map_or_else(|| format!("test case {}", i + 1), str::to_owned);

        // Parameters by name.
        let mut setters = Vec::new();
        if let Some(p) = c.get("params").filter(|p| !p.is_null()) {
            let p_at = format!("{at}.params");
            for (name, value) in object(p, &p_at)? {
                let value = param_value(value, &ep, &format!("{p_at}.{name}"))?;
                setters.push(quote!(.with_param(#name, #value)));
            }
        }
        let expect_at = format!("{at}.expect");
        let expect = object(field(c, &at, "expect")?, &expect_at)?;
        let check = expectation(expect, &expect_at, &ep, rules_path, &label)?;

        // The same expectation through built-in values, where the case gives them.
        let mut via_built_ins = Vec::new();
        if let Some(inputs) = c.get("operationInputs").filter(|v| !v.is_null()) {
            let in_at = format!("{at}.operationInputs");
            for (j, input) in array(inputs, &in_at)?.iter().enumerate() {
                let j_at = format!("{in_at}[{j}]");
                if let Some(setters) = built_in_setters(object(input, &j_at)?, &ep, &j_at)? {
                    via_built_ins.push(quote! {
                        let params = #ep::Params::new() #(#setters)*;
                        #check
                    });
                }
            }
        }
        let doc_attr = format!(" {label}");
        out.push(quote! {
            #[doc = #doc_attr]
            #[test]
            fn #fn_name() {
                let params = #ep::Params::new() #(#setters)*;
                #check
                #(#via_built_ins)*
            }
        });
    }
    Ok(quote!(#(#out)*))
}

fn expectation(
    expect: &Map<String, Value>,
    at: &str,
    ep: &TokenStream,
    rules: &TokenStream,
    label: &str,
) -> Result<TokenStream, EndpointGenError> {
    match (expect.get("endpoint"), expect.get("error")) {
        (Some(endpoint), None) => {
            let e_at = format!("{at}.endpoint");
            let e = object(endpoint, &e_at)?;
            let url = string(field(e, &e_at, "url")?, &format!("{e_at}.url"))?;
            let msg = format!("{label}: expected an endpoint");
            let mut checks = vec![quote!(assert_eq!(endpoint.url, #url);)];
            if let Some(h) = e.get("headers").filter(|h| !h.is_null()) {
                let h_at = format!("{e_at}.headers");
                let h = object(h, &h_at)?;
                let n = Literal::usize_unsuffixed(h.len());
                checks.push(quote!(assert_eq!(endpoint.headers.len(), #n);));
                for (name, values) in h {
                    let v_at = format!("{h_at}.{name}");
                    let values = array(values, &v_at)?
                        .iter()
                        .enumerate()
                        .map(|(i, v)| string(v, &format!("{v_at}[{i}]")))
                        .collect::<Result<Vec<_>, _>>()?;
                    checks.push(quote! {
                        assert_eq!(
                            endpoint.header(#name),
                            Some(&[#(::std::string::String::from(#values)),*][..])
                        );
                    });
                }
            }
            if let Some(p) = e.get("properties").filter(|p| !p.is_null()) {
                let p_at = format!("{e_at}.properties");
                let expected = value_tokens(p, ep, &p_at)?;
                checks.push(quote! {
                    assert_eq!(#ep::Value::Record(endpoint.properties.clone()), #expected);
                });
                // The signing overrides the client reads from the first sigv4 auth scheme.
                let sigv4 = p
                    .get("authSchemes")
                    .and_then(Value::as_array)
                    .and_then(|s| {
                        s.iter()
                            .find(|s| s.get("name") == Some(&Value::from("sigv4")))
                    });
                if let Some(s) = sigv4 {
                    for (key, fieldname) in [
                        ("signingRegion", quote!(signing_region)),
                        ("signingName", quote!(signing_name)),
                    ] {
                        let expected = match s.get(key).and_then(Value::as_str) {
                            Some(v) => quote!(Some(#v)),
                            None => quote!(None),
                        };
                        checks.push(quote!(assert_eq!(endpoint.#fieldname.as_deref(), #expected);));
                    }
                }
            }
            Ok(quote! {
                let endpoint = #ep::resolve(&#rules::RULES, &params).expect(#msg);
                #(#checks)*
            })
        }
        (None, Some(error)) => {
            let message = string(error, &format!("{at}.error"))?;
            let msg = format!("{label}: expected the error {message:?}");
            Ok(quote! {
                let error = #ep::resolve(&#rules::RULES, &params).expect_err(#msg);
                assert_eq!(error.to_string(), #message);
            })
        }
        _ => Err(EndpointGenError::BadTest {
            at: at.into(),
            message: "`expect` must have exactly one of `endpoint` and `error`".into(),
        }),
    }
}

/// Setters for an `operationInputs` entry made only of built-in and client parameters;
/// `None` when it needs operation parameters (which map to rule parameters through the
/// operation's context-parameter traits, not known here).
fn built_in_setters(
    input: &Map<String, Value>,
    ep: &TokenStream,
    at: &str,
) -> Result<Option<Vec<TokenStream>>, EndpointGenError> {
    let known = [
        "operationName",
        "builtInParams",
        "clientParams",
        "operationParams",
    ];
    if input.keys().any(|k| !known.contains(&k.as_str())) {
        return Ok(None);
    }
    let non_empty = |k: &str| {
        input
            .get(k)
            .is_some_and(|v| v.as_object().is_none_or(|o| !o.is_empty()))
    };
    if non_empty("operationParams") || !non_empty("builtInParams") {
        return Ok(None);
    }
    let mut setters = Vec::new();
    let b_at = format!("{at}.builtInParams");
    for (id, value) in object(field(input, at, "builtInParams")?, &b_at)? {
        let value = param_value(value, ep, &format!("{b_at}.{id}"))?;
        setters.push(quote!(.with_built_in(#id, #value)));
    }
    if let Some(c) = input.get("clientParams").filter(|v| !v.is_null()) {
        let c_at = format!("{at}.clientParams");
        for (name, value) in object(c, &c_at)? {
            let value = param_value(value, ep, &format!("{c_at}.{name}"))?;
            setters.push(quote!(.with_param(#name, #value)));
        }
    }
    Ok(Some(setters))
}

/// A parameter value: a string, a boolean or an array of strings.
fn param_value(v: &Value, ep: &TokenStream, at: &str) -> Result<TokenStream, EndpointGenError> {
    match v {
        Value::String(s) => Ok(quote!(#s)),
        Value::Bool(b) => Ok(quote!(#b)),
        Value::Array(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, v)| string(v, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(quote!(#ep::ParamValue::StringArray(vec![#(::std::string::String::from(#items)),*])))
        }
        other => Err(EndpointGenError::Type {
            at: at.into(),
            expected: "a string, boolean or array of strings",
            found: describe(other),
        }),
    }
}

/// A runtime `Value` constructor for an expected property value.
fn value_tokens(v: &Value, ep: &TokenStream, at: &str) -> Result<TokenStream, EndpointGenError> {
    Ok(match v {
        Value::String(s) => quote!(#ep::Value::String(::std::string::String::from(#s))),
        Value::Bool(b) => quote!(#ep::Value::Bool(#b)),
        Value::Number(n) => {
            let i = n.as_i64().ok_or_else(|| EndpointGenError::Type {
                at: at.into(),
                expected: "an integer",
                found: n.to_string(),
            })?;
            let abs = Literal::u64_unsuffixed(i.unsigned_abs());
            if i < 0 {
                quote!(#ep::Value::Int(-#abs))
            } else {
                quote!(#ep::Value::Int(#abs))
            }
        }
        Value::Array(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, v)| value_tokens(v, ep, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            quote!(#ep::Value::Array(vec![#(#items),*]))
        }
        Value::Object(obj) if obj.is_empty() => {
            quote!(#ep::Value::Record(::std::collections::BTreeMap::new()))
        }
        Value::Object(obj) => {
            let fields = obj
                .iter()
                .map(|(k, v)| {
                    let v = value_tokens(v, ep, &format!("{at}.{k}"))?;
                    Ok(quote!((#k, #v)))
                })
                .collect::<Result<Vec<_>, EndpointGenError>>()?;
            quote!(#ep::Value::record([#(#fields),*]))
        }
        Value::Null => {
            return Err(EndpointGenError::Type {
                at: at.into(),
                expected: "a property value",
                found: describe(v),
            });
        }
    })
}

/// Deterministic, unique snake-case test names.
#[derive(Default)]
struct TestNames {
    used: HashSet<String>,
}

impl TestNames {
    fn next(&mut self, documentation: Option<&str>, index: usize) -> String {
        let base = documentation
            .map(sanitize)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("case_{}", index + 1));
        let mut name = base.clone();
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }
}

/// `For region us-east-1 with FIPS enabled` -> `for_region_us_east_1_with_fips_enabled`.
fn sanitize(doc: &str) -> String {
    let snake = doc.to_snake_case();
    let mut out = String::with_capacity(snake.len());
    for c in snake.chars() {
        let c = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            '_'
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "case_");
    }
    // Keywords of any edition (syn accepts some reserved words as identifiers).
    const RESERVED: &[&str] = &[
        "abstract", "async", "await", "become", "box", "do", "dyn", "final", "gen", "macro",
        "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
    ];
    if !out.is_empty()
        && (RESERVED.contains(&out.as_str()) || syn::parse_str::<Ident>(&out).is_err())
    {
        out.push_str("_case");
    }
    out
}

// ---------------------------------------------------------------------------------------------
// JSON helpers

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

fn object<'a>(v: &'a Value, at: &str) -> Result<&'a Map<String, Value>, EndpointGenError> {
    v.as_object().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "an object",
        found: describe(v),
    })
}

fn array<'a>(v: &'a Value, at: &str) -> Result<&'a Vec<Value>, EndpointGenError> {
    v.as_array().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "an array",
        found: describe(v),
    })
}

fn string<'a>(v: &'a Value, at: &str) -> Result<&'a str, EndpointGenError> {
    v.as_str().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "a string",
        found: describe(v),
    })
}

fn boolean(v: &Value, at: &str) -> Result<bool, EndpointGenError> {
    v.as_bool().ok_or_else(|| EndpointGenError::Type {
        at: at.into(),
        expected: "a boolean",
        found: describe(v),
    })
}

fn field<'a>(
    obj: &'a Map<String, Value>,
    at: &str,
    name: &'static str,
) -> Result<&'a Value, EndpointGenError> {
    obj.get(name).ok_or_else(|| EndpointGenError::MissingField {
        at: at.into(),
        field: name,
    })
}

#[cfg(test)]
mod tests;
