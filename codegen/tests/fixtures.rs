//! The generator on small fixture models: where shapes live, which `#[cfg]` each item gets, and the paginators and
//! waiters it refuses, each with the reason.

use codegen::emit::layout::Home;
use codegen::emit::{emit_all, Ctx, Selection, ServiceSources};
use codegen::ir;
use serde_json::{json, Value};

/// Two operations: `GetThing` and `PutThing` share `Shared` (and, through it, `Color`); `Local` is `GetThing`'s
/// alone; `ListThings` pages with `NextToken`.
fn model() -> Value {
    json!({
        "metadata": {"protocol": "json", "jsonVersion": "1.1", "targetPrefix": "Svc", "serviceId": "Svc",
                     "endpointPrefix": "svc"},
        "operations": {
            "GetThing": {"name": "GetThing", "input": {"shape": "GetThingInput"},
                         "output": {"shape": "GetThingOutput"}},
            "PutThing": {"name": "PutThing", "input": {"shape": "PutThingInput"}},
            "ListThings": {"name": "ListThings", "input": {"shape": "ListThingsInput"},
                           "output": {"shape": "ListThingsOutput"}}
        },
        "shapes": {
            "GetThingInput": {"type": "structure", "required": ["Id"], "members": {"Id": {"shape": "Str"}}},
            "GetThingOutput": {"type": "structure", "members": {
                "Shared": {"shape": "Shared"}, "Local": {"shape": "Local"}, "Items": {"shape": "Items"}}},
            "PutThingInput": {"type": "structure", "members": {"Shared": {"shape": "Shared"}}},
            "ListThingsInput": {"type": "structure", "members": {"NextToken": {"shape": "Str"}}},
            "ListThingsOutput": {"type": "structure", "members": {
                "NextToken": {"shape": "Str"}, "Things": {"shape": "Items"}}},
            "Shared": {"type": "structure", "members": {"Color": {"shape": "Color"}, "Name": {"shape": "Str"}}},
            "Color": {"type": "string", "enum": ["RED", "BLUE"]},
            "Local": {"type": "structure", "members": {"Ready": {"shape": "Bool"}}},
            "Items": {"type": "list", "member": {"shape": "Local"}},
            "Str": {"type": "string"},
            "Bool": {"type": "boolean"}
        }
    })
}

fn service(paginators: Value, waiters: Value) -> Result<ir::Service, String> {
    let mut service = ir::load(&model()).map_err(|e| e.to_string())?;
    service.paginators = ir::load_paginators(&paginators).map_err(|e| e.to_string())?;
    service.waiters = ir::load_waiters(&waiters).map_err(|e| e.to_string())?;
    Ok(service)
}

fn features() -> Selection {
    Selection {
        features: true,
        ..Selection::default()
    }
}

fn sources() -> ServiceSources {
    ServiceSources::default()
}

/// The generated files, rendered, by path.
fn generate(service: &ir::Service) -> Result<Vec<(String, String)>, String> {
    let ctx = Ctx::new(service, &features()).map_err(|e| e.to_string())?;
    emit_all(&ctx, &sources())
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(path, tokens)| Ok((path, codegen::render(tokens, "")?)))
        .collect()
}

fn waiter(argument: &str, matcher: &str, state: &str, expected: Value) -> Value {
    json!({"version": 2, "waiters": {"ThingReady": {
        "operation": "GetThing", "delay": 5, "maxAttempts": 3,
        "acceptors": [{"state": state, "matcher": matcher, "argument": argument, "expected": expected}]
    }}})
}

#[test]
fn shared_shapes_go_to_types_and_a_single_operations_shapes_stay_with_it() {
    let service = service(json!({}), json!({})).unwrap();
    let ctx = Ctx::new(&service, &features()).unwrap();
    assert_eq!(ctx.homes["Shared"], Home::Group("shared".into()));
    assert_eq!(
        ctx.homes["Color"],
        Home::Group("shared".into()),
        "Color is reached only through Shared"
    );
    // `Local` is reached by GetThing and ListThings (through `Items`), so it is shared too, in its own group.
    assert_eq!(ctx.homes["Local"], Home::Group("local".into()));
    assert_eq!(ctx.homes["GetThingInput"], Home::Operation("GetThing".into()));

    let files = generate(&service).unwrap();
    let file = |name: &str| {
        &files
            .iter()
            .find(|(p, _)| p == name)
            .unwrap_or_else(|| panic!("{name}"))
            .1
    };
    let types = file("types/mod.rs");
    assert!(
        types.contains("#[cfg(any(feature = \"get-thing\", feature = \"put-thing\"))]\nmod shared;"),
        "{types}"
    );
    let shared = file("types/shared.rs");
    // The type: both operations, as its module (so no gate of its own); its serializer: PutThing (input side);
    // its deserializer: GetThing (output side).
    assert!(shared.contains("#[non_exhaustive]\npub struct Shared"), "{shared}");
    assert!(
        shared.contains("#[cfg(feature = \"put-thing\")]\npub(crate) fn ser_shared("),
        "{shared}"
    );
    assert!(
        shared.contains("#[cfg(feature = \"get-thing\")]\npub(crate) fn de_shared("),
        "{shared}"
    );
    // Inside an operation's file, which its `mod` line gates, nothing is gated again.
    let get = file("operation/get_thing.rs");
    assert!(!get.contains("#[cfg("), "{get}");
    let operations = file("operation/mod.rs");
    assert!(
        operations.contains("#[cfg(feature = \"get-thing\")]\n/// `GetThing`: its input, output, error, builders and any paginator.\npub mod get_thing;"),
        "{operations}"
    );
}

#[test]
fn without_features_nothing_is_gated() {
    let service = service(json!({}), json!({})).unwrap();
    let ctx = Ctx::new(&service, &Selection::default()).unwrap();
    for (path, tokens) in emit_all(&ctx, &sources()).unwrap() {
        let text = codegen::render(tokens, "").unwrap();
        assert!(!text.contains("#[cfg"), "{path}: {text}");
    }
}

#[test]
fn a_supported_waiter_compiles_to_field_access() {
    let waiters = json!({"version": 2, "waiters": {"ThingReady": {
        "operation": "GetThing", "delay": 5, "maxAttempts": 3,
        "acceptors": [
            {"state": "success", "matcher": "path", "argument": "Shared.Color", "expected": "BLUE"},
            {"state": "failure", "matcher": "path", "argument": "Shared.Color", "expected": "RED"},
            {"state": "failure", "matcher": "pathAny", "argument": "Items[].Ready", "expected": false},
            {"state": "retry", "matcher": "error", "expected": "Throttled"},
            {"state": "failure", "matcher": "path", "argument": "length(Items)", "expected": 0}
        ]
    }}});
    let files = generate(&service(json!({}), waiters).unwrap()).unwrap();
    let get = &files.iter().find(|(p, _)| p == "waiters.rs").unwrap().1;
    let client = &files.iter().find(|(p, _)| p == "client.rs").unwrap().1;
    assert!(client.contains("fn wait_until_thing_ready("), "{client}");
    assert!(get.contains("pub async fn wait("), "{get}");
    assert_eq!(
        get.matches(".filter_map(|v| v.shared.as_ref())").count(),
        1,
        "a path two acceptors compare is evaluated once: {get}"
    );
    assert!(get.contains("v.as_str() == \"BLUE\""), "{get}");
    assert!(get.contains(".flat_map(|v| v.iter())"), "{get}");
    assert!(get.contains("matched: \"some Items[].Ready == false\""), "{get}");
    assert!(
        get.contains("ProvideErrorMetadata::code(e.err())") && get.contains("== Some(\"Throttled\")"),
        "{get}"
    );
    assert!(get.contains(".map(|v| v.len())"), "{get}");
}

#[test]
fn waiters_the_generator_cannot_compile_stop_generation_with_the_reason() {
    let cases = [
        (
            waiter("Items[0].Ready", "path", "success", json!(true)),
            "`Items[0].Ready`",
        ),
        (
            waiter("Shared.Missing", "path", "success", json!("x")),
            "Shared has no member Missing",
        ),
        (waiter("Shared.Color", "path", "success", json!(3)), "does not fit"),
        (
            waiter("Items[].Ready", "path", "success", json!(true)),
            "use pathAll or pathAny",
        ),
        (waiter("Shared", "path", "success", json!("x")), "cannot be compared"),
        (
            json!({"version": 2, "waiters": {"ThingReady": {"operation": "GetThing", "delay": 5, "maxAttempts": 3,
                "acceptors": [{"state": "success", "matcher": "error", "expected": "NotFound"}]}}}),
            "matches an error, which has no output",
        ),
    ];
    for (waiters, reason) in cases {
        let error = generate(&service(json!({}), waiters.clone()).unwrap()).unwrap_err();
        assert!(error.contains("waiter ThingReady"), "{error}");
        assert!(error.contains(reason), "{reason}: {error}");
    }
}

#[test]
fn paginators_the_generator_cannot_express_are_refused_with_the_reason() {
    let p = |token: Value| {
        json!({"pagination": {"ListThings": {"input_token": "NextToken", "output_token": token,
                                                               "result_key": "Things"}}})
    };
    assert!(service(p(json!("NextToken")), json!({})).is_ok());
    let error = service(p(json!("Page.NextToken")), json!({})).unwrap_err();
    assert!(error.contains("not a top-level member name"), "{error}");
    let error = service(p(json!(["A", "B"])), json!({})).unwrap_err();
    assert!(error.contains("`output_token` must be a string"), "{error}");
    let wrong = json!({"pagination": {"ListThings": {"input_token": "Missing", "output_token": "NextToken",
                                                     "result_key": "Things"}}});
    let error = generate(&service(wrong, json!({})).unwrap()).unwrap_err();
    assert!(error.contains("ListThingsInput has no member Missing"), "{error}");
}

#[test]
fn members_named_sensitive_in_the_plan_are_redacted_and_unknown_ones_refused() {
    let service = service(json!({}), json!({})).unwrap();
    let selection = Selection {
        sensitive_members: [("Shared".to_owned(), vec!["Name".to_owned()])].into(),
        ..features()
    };
    let ctx = Ctx::new(&service, &selection).unwrap();
    let files = emit_all(&ctx, &sources()).unwrap();
    let (_, shared) = files.into_iter().find(|(p, _)| p == "types/shared.rs").unwrap();
    let shared = codegen::render(shared, "").unwrap();
    assert!(
        shared.contains(".field(\"name\", &\"*** Sensitive Data Redacted ***\")"),
        "{shared}"
    );
    assert!(shared.contains(".field(\"color\", &self.color)"), "{shared}");

    let wrong = Selection {
        sensitive_members: [("Shared".to_owned(), vec!["Nmae".to_owned()])].into(),
        ..features()
    };
    let error = Ctx::new(&service, &wrong)
        .err()
        .expect("an unknown member is refused")
        .to_string();
    assert!(error.contains("Shared.Nmae"), "{error}");
}

#[test]
fn an_operation_that_takes_compressed_bodies_turns_on_the_runtimes_compression() {
    let mut model = model();
    model["operations"]["PutThing"]["requestcompression"] = json!({"encodings": ["gzip"]});
    let service = ir::load(&model).unwrap();
    let ctx = Ctx::new(&service, &features()).unwrap();
    let table = codegen::emit::features(&ctx);
    let feature = |name: &str| &table.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(feature("put-thing"), &vec!["lean-aws-runtime/compression".to_owned()]);
    assert!(feature("get-thing").is_empty());
    assert_eq!(feature("default"), &vec!["full".to_owned()]);
}
