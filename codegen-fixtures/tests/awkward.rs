//! The `awkward` snapshot (`codegen/tests/snapshots/awkward/`) compiled as a client crate, with the
//! tests generated into it.

#[rustfmt::skip]
#[path = "../../codegen/tests/snapshots/awkward/mod.rs"]
mod generated;

codegen_fixtures::client_crate_root!();

/// `RouteThing` sets every kind of endpoint parameter: static ones (a string, a boolean),
/// `contextParam` members (a string, an enum, a boolean, a list of strings) and
/// `operationContextParams` paths (a member chain, `keys(..)`, a projection); `Stage` picks
/// another host, per call.
mod endpoint_params {
    use crate::generated::ser::endpoint_params_route_thing;
    use crate::operation::route_thing::{OPERATION, RouteThingInput};
    use crate::runtime::endpoint::{ParamValue, Params};
    use crate::runtime::send::Handle;
    use crate::types::{RouteDetail, RouteEntry, RouteKind, RouteOwner};

    fn owner(name: &str) -> RouteDetail {
        RouteDetail::builder()
            .owner(RouteOwner::builder().name(name).build())
            .build()
    }

    #[test]
    fn the_generated_function_sets_each_kind_of_parameter() {
        let input = RouteThingInput::builder()
            .stage("beta")
            .kind(RouteKind::Fast)
            .fast(true)
            .names("a")
            .names("b")
            .detail(owner("me"))
            .items("k2", 1)
            .items("k1", 2)
            .entries(RouteEntry::builder().detail(owner("x")).build())
            .entries(RouteEntry::builder().build())
            .entries(RouteEntry::builder().detail(owner("y")).build())
            .build()
            .unwrap();
        let mut p = Params::new();
        endpoint_params_route_thing(&input, &mut p);
        let s = |v: &str| ParamValue::String(v.to_owned());
        let l = |v: &[&str]| ParamValue::from(v);
        let want = [
            ("Fast", ParamValue::Bool(true)),
            ("Keys", l(&["k1", "k2"])),
            ("Kind", s("fast")),
            ("Names", l(&["a", "b"])),
            ("Owner", s("me")),
            ("Picked", l(&["x", "y"])),
            ("Plane", s("data")),
            ("Stage", s("beta")),
            ("Strict", ParamValue::Bool(true)),
        ];
        let got: Vec<(&str, ParamValue)> = p
            .named
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        assert_eq!(
            got, want,
            "`NotInTheRules` is not a rule-set parameter: not set"
        );
        // Unset members set nothing; the static parameters stay.
        let mut p = Params::new();
        endpoint_params_route_thing(&RouteThingInput::builder().build().unwrap(), &mut p);
        assert_eq!(p.named.keys().collect::<Vec<_>>(), ["Plane", "Strict"]);
    }

    #[test]
    fn the_stage_of_the_input_picks_the_host_of_the_call() {
        let conf = crate::Config::builder().region("us-east-1").build();
        let h = Handle::new(conf, &crate::generated::client::SERVICE);
        let staged = RouteThingInput::builder().stage("beta").build().unwrap();
        let req = h.prepare(&OPERATION, &staged).unwrap();
        assert_eq!(req.host(), "beta.awkward.us-east-1.example.com");
        let plain = RouteThingInput::builder().build().unwrap();
        let req = h.prepare(&OPERATION, &plain).unwrap();
        assert_eq!(req.host(), "awkward.us-east-1.example.com");
    }
}
