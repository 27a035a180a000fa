//! Server mode on a small fixture model: what it generates that a client does not (strict input decoders, error
//! serializers with `__type` and the model's status, builders for outputs and errors, the handler trait and
//! dispatch) and what it leaves out (client, marker types, forgiving decoders). The emulator crate compiles the
//! EMR model's server side and its tests run it.

use codegen::emit::{self, Ctx, Selection, ServiceSources};
use codegen::ir;
use serde_json::json;

fn fixture() -> ir::Service {
    let model = json!({
        "metadata": {
            "jsonVersion": "1.1", "protocol": "json", "serviceId": "Fixture", "signingName": "fixture",
            "targetPrefix": "Fixture_1"
        },
        "operations": {
            "PutThing": {
                "name": "PutThing",
                "input": {"shape": "PutThingInput"},
                "output": {"shape": "PutThingOutput"},
                "errors": [{"shape": "BadThing"}, {"shape": "Broken"}, {"shape": "Conflict"}]
            }
        },
        "shapes": {
            "PutThingInput": {
                "type": "structure",
                "required": ["Name", "Kind"],
                "members": {
                    "Name": {"shape": "Name"},
                    "Kind": {"shape": "Kind"},
                    "Parts": {"shape": "Parts"}
                }
            },
            "PutThingOutput": {"type": "structure", "required": ["Id"], "members": {"Id": {"shape": "Name"}}},
            "Parts": {"type": "list", "member": {"shape": "Part"}},
            "Part": {"type": "structure", "required": ["Size"], "members": {"Size": {"shape": "Size"}}},
            "Name": {"type": "string", "min": 1, "max": 8},
            "Kind": {"type": "string", "enum": ["SMALL", "LARGE"]},
            "Size": {"type": "integer", "min": 1},
            "BadThing": {
                "type": "structure", "exception": true,
                "members": {"Message": {"shape": "Text"}, "ErrorCode": {"shape": "Text"}}
            },
            "Broken": {"type": "structure", "exception": true, "fault": true, "members": {}},
            "Conflict": {
                "type": "structure", "exception": true, "error": {"httpStatusCode": 409},
                "members": {"Message": {"shape": "Text"}}
            },
            "Text": {"type": "string"}
        }
    });
    ir::load(&model).unwrap()
}

/// Every generated file of the fixture, rendered, as one text.
fn generate(server: bool) -> String {
    let service = fixture();
    let selection = Selection {
        server,
        server_support: Some("crate::service_side".into()),
        root: "crate::model".into(),
        ..Selection::default()
    };
    let ctx = Ctx::new(&service, &selection).unwrap();
    let mut text = String::new();
    for (name, tokens) in emit::emit_all(&ctx, &ServiceSources::default()).unwrap() {
        let file = codegen::render(tokens, "").unwrap_or_else(|e| panic!("{name}: {e}"));
        text.push_str(&format!("// ==== {name}\n{file}"));
    }
    text
}

/// The text without white space and trailing commas, so that assertions do not depend on prettyplease's line
/// breaks.
fn squeeze(text: &str) -> String {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    text.replace(",)", ")").replace(",}", "}").replace(",>", ">")
}

#[test]
fn the_model_gives_each_error_its_status() {
    let service = fixture();
    let status = |name: &str| service.shape(name).error_status;
    assert_eq!(status("BadThing"), Some(400));
    assert_eq!(status("Broken"), Some(500), "a fault");
    assert_eq!(status("Conflict"), Some(409), "the model's httpStatusCode");
    assert_eq!(status("PutThingInput"), None);
}

#[test]
fn input_decoders_are_strict_missing_members_and_unknown_enum_values_are_reported() {
    let text = squeeze(&generate(true));
    // A missing required member is reported (and zero-filled only so that decoding goes on).
    assert!(
        text.contains(r#"None=>{service_side::missing(&path.member("Name"),out);String::new()}"#),
        "{text}"
    );
    // So is an enum value outside its set.
    assert!(
        text.contains(r#"service_side::check_enum(&s,crate::model::types::Kind::values(),&path.member("Kind"),out)"#),
        "{text}"
    );
    // Nested structures are decoded strictly too, with their place in the input.
    assert!(text.contains(r#"de_part(v,&path.index(i),out)"#), "{text}");
    assert!(
        text.contains(r#"service_side::missing(&path.member("Size"),out)"#),
        "{text}"
    );
    // The same validators as a client's.
    assert!(
        text.contains("validate::check_str_length(v,Some(1u64),Some(8u64),path,out)"),
        "{text}"
    );
    assert!(text.contains("service_side::decode_input(body,|v,out|de_put_thing_input(v,&validate::Path::Root,out))"));
}

#[test]
fn errors_are_serialized_with_their_type_and_status() {
    let text = squeeze(&generate(true));
    assert!(
        text.contains(r#"w.begin_object();w.key("__type");w.string("BadThing");"#),
        "{text}"
    );
    assert!(text.contains(r#"w.key("Message");w.string(x);"#), "{text}");
    for (variant, status) in [("BadThing", 400), ("Broken", 500), ("Conflict", 409)] {
        let arm = format!("Err(PutThingError::{variant}(e))=>{{service_side::Response::modelled_error({status},");
        assert!(text.contains(&arm), "{arm}");
    }
    // Handlers build errors and outputs, and convert errors into the operation's enum.
    assert!(text.contains("pubfnbuilder()->BadThingBuilder"), "{text}");
    assert!(text.contains("pubfnbuilder()->PutThingOutputBuilder"), "{text}");
    assert!(
        text.contains("implFrom<crate::model::types::Conflict>forPutThingError"),
        "{text}"
    );
    // A server's error carries its members only, and shows its code and message.
    assert!(!text.contains("lean_aws_runtime::ErrorMetadata"), "{text}");
    assert!(text.contains(r#"f.write_str("Conflict")?;"#), "{text}");
}

#[test]
fn the_handler_trait_and_dispatch_cover_every_operation() {
    let text = squeeze(&generate(true));
    assert!(text.contains("pubtraitHandler:Send+Sync{"), "{text}");
    assert!(
        text.contains(
            "fnput_thing(&self,input:crate::model::operations::PutThingInput)->implstd::future::Future<Output=\
             Result<crate::model::operations::PutThingOutput,crate::model::operations::PutThingError>>+Send{"
        ),
        "{text}"
    );
    assert!(text.contains(r#"pubconstTARGET_PREFIX:&str="Fixture_1";"#));
    assert!(text.contains(r#"Some("PutThing")=>{crate::model::operations::put_thing::serve(handler,body).await}"#));
    assert!(text.contains("_=>service_side::unknown_operation(target)}"));
}

#[test]
fn a_server_has_no_client_and_a_client_no_server() {
    let server = generate(true);
    for client_only in [
        "impl lean_aws_runtime::Operation",
        "Client",
        "fn ser_put_thing_input",
        "// ==== client.rs",
    ] {
        assert!(!server.contains(client_only), "server mode generated {client_only:?}");
    }
    let client = squeeze(&generate(false));
    for server_only in ["__type", "service_side", "check_enum", "Handler"] {
        assert!(!client.contains(server_only), "client mode generated {server_only:?}");
    }
    // A client decodes a required member the service left out as `None`, as any other, instead of reporting it.
    assert!(
        client.contains(r#"id:json::optional(obj,"Id",json::de_string)?"#),
        "{client}"
    );
    // Its validator reports a missing required member of an input before anything is sent.
    assert!(
        client.contains(r#"validate::missing(&path.member("Name"),out)"#),
        "{client}"
    );
}

#[test]
fn server_code_calls_the_support_module_the_selection_names() {
    let text = squeeze(&generate(true));
    assert!(text.contains("usecrate::service_side;"), "{text}");
    assert!(text.contains("out:&mutVec<service_side::Violation>"), "{text}");
    assert!(!text.contains("lean_aws_runtime::server"), "{text}");
    let service = fixture();
    let without = Selection {
        server: true,
        ..Selection::default()
    };
    let err = Ctx::new(&service, &without)
        .err()
        .expect("server mode without its support module");
    assert!(err.to_string().contains("server_support"), "{err}");
}
