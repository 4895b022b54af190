//! The tree holds what `serde_json` reads (values, number classes, the last of a repeated
//! name), and the surrogate rewrite reads a lone escaped surrogate as U+FFFD.

use proptest::prelude::*;
use serde_json::Value;

use super::{replace_lone_surrogates, Doc, Json, Node};

/// The tree as a `serde_json::Value`, to compare with `serde_json::from_str`.
fn to_value(v: Json) -> Value {
    match v.node() {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(*b),
        Node::Number(n) => Value::Number(n.clone()),
        Node::String(s) => Value::String(s.as_ref().to_owned()),
        Node::Array { .. } => Value::Array(v.children().map(to_value).collect()),
        Node::Object { .. } => {
            let mut map = serde_json::Map::new();
            for member in v.children() {
                map.insert(
                    v.entries[member.at].key.as_ref().to_owned(),
                    to_value(member),
                );
            }
            Value::Object(map)
        }
    }
}

/// Our reading of `text`, as the `*_json` validators read it: the tree, or the tree of the
/// text with its lone surrogates rewritten when serde_json refused the text.
fn ours(text: &str) -> Option<Value> {
    if let Ok(doc) = Doc::parse(text) {
        return Some(to_value(doc.root()));
    }
    let text = replace_lone_surrogates(text)?;
    Doc::parse(&text).ok().map(|doc| to_value(doc.root()))
}

/// Both readings agree: the same value, or both refuse, or serde_json refused only for a lone
/// surrogate (which we read as U+FFFD).
fn agree(text: &str) -> Result<(), String> {
    let strict = serde_json::from_str::<Value>(text);
    match (ours(text), strict) {
        (Some(a), Ok(b)) if a == b => Ok(()),
        (None, Err(_)) => Ok(()),
        (Some(_), Err(e))
            if e.to_string().contains("surrogate") || e.to_string().contains("hex escape") =>
        {
            Ok(())
        }
        (a, b) => Err(format!("{text:?}: ours {a:?}, serde_json {b:?}")),
    }
}

#[test]
fn numbers_are_classified_as_serde_json_does() {
    for text in [
        "0",
        "-0",
        "1",
        "-1",
        "636",
        "636.0",
        "1e3",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "-0.0",
        "65535.00000000000001",
    ] {
        let a = ours(text).unwrap();
        let b: Value = serde_json::from_str(text).unwrap();
        let (a, b) = (a.as_number().unwrap(), b.as_number().unwrap());
        assert_eq!(
            (a.as_u64(), a.is_i64(), a.as_f64().map(f64::to_bits)),
            (b.as_u64(), b.is_i64(), b.as_f64().map(f64::to_bits)),
            "{text}"
        );
    }
}

#[test]
fn strings_borrow_from_the_text_unless_they_have_escapes() {
    let doc = Doc::parse(r#"{"plain":"abc","esc\u0061ped":"a\nb"}"#).unwrap();
    let borrowed =
        |e: &super::Entry| matches!(&e.node, Node::String(std::borrow::Cow::Borrowed(_)));
    assert!(matches!(
        doc.entries[1].key,
        std::borrow::Cow::Borrowed("plain")
    ));
    assert!(borrowed(&doc.entries[1]));
    assert!(matches!(doc.entries[2].key, std::borrow::Cow::Owned(ref k) if k == "escaped"));
    assert!(!borrowed(&doc.entries[2]));
    assert_eq!(
        doc.root().get("escaped").and_then(Json::as_str),
        Some("a\nb")
    );
}

#[test]
fn a_lone_surrogate_is_the_replacement_character() {
    for (text, expected) in [
        ("\"\\ud800\"", "\u{fffd}"),
        ("\"\\udc00\"", "\u{fffd}"),
        ("\"\\uDBFF\"", "\u{fffd}"),
        ("\"a\\ud800b\"", "a\u{fffd}b"),
        ("\"\\ud800\\u0041\"", "\u{fffd}A"),
        ("\"\\ud800\\n\"", "\u{fffd}\n"),
        ("\"\\udc00\\ud800\"", "\u{fffd}\u{fffd}"),
        ("\"\\ud800\\ud800\\udc00\"", "\u{fffd}\u{10000}"),
        ("\"\\\\\\ud800\"", "\\\u{fffd}"),
    ] {
        assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
        assert_eq!(ours(text), Some(Value::String(expected.into())), "{text}");
    }
    // An escaped backslash before `ud800` is no escape; a pair is left alone.
    assert_eq!(replace_lone_surrogates(r#""\\ud800""#), None);
    assert_eq!(replace_lone_surrogates(r#""\ud83d\ude00""#), None);
    // The partner's escape must still be well formed, and a broken text stays broken.
    for text in [
        "\"\\ud800\\uZZZZ\"",
        "\"\\ud800\\u",
        "\"\\ud800",
        "[\"\\ud800\",]",
        "\\ud800",
    ] {
        assert_eq!(ours(text), None, "{text}");
    }
}

#[test]
fn nesting_is_limited_as_in_serde_json() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    for (depth, accepted) in [(127, true), (128, false)] {
        for text in [nested(depth), objects(depth)] {
            agree(&text).unwrap();
            assert_eq!(ours(&text).is_some(), accepted, "depth {depth}");
        }
    }
    // Refused at the 128th level, long before the end: no deep recursion on hostile input.
    assert!(ours(&nested(1_000_000)).is_none());
}

#[test]
fn a_repeated_name_reads_as_its_last_value() {
    let doc = Doc::parse(r#"{"a":1,"b":[{"c":true}],"a":"x"}"#).unwrap();
    assert_eq!(doc.root().get("a").and_then(Json::as_str), Some("x"));
    let b = doc
        .root()
        .get("b")
        .and_then(Json::as_array)
        .unwrap()
        .next()
        .unwrap();
    assert_eq!(b.get("c").and_then(Json::as_bool), Some(true));
    assert!(doc.root().get("z").is_none());
    assert!(b.get("c").unwrap().get("c").is_none());
}

/// Any JSON value, with strings that need escapes and numbers of every class.
fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[\\x00-\\x7f]{0,8}".prop_map(Value::String),
        ".{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-c\"\\\\\\n]{0,3}", inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Escape sequences, right and wrong, inside one string literal.
fn arb_escaped_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z ]{0,3}",
        prop::sample::select(vec![
            "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\x", "\\", "\\u"
        ])
        .prop_map(str::to_string),
        prop_oneof![0u32..0x80, 0xd7f0u32..0xe010, 0u32..0x10000]
            .prop_map(|u| format!("\\u{u:04x}")),
        (0u32..0x10000).prop_map(|u| format!("\\u{u:04X}")),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn the_tree_holds_what_serde_json_reads(v in arb_value(), pretty: bool) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        // serde_json's own reading, not `v`: its f64 parsing does not always round-trip.
        let read = serde_json::from_str::<Value>(&text).ok();
        prop_assert!(read.is_some());
        prop_assert_eq!(ours(&text), read);
    }

    #[test]
    fn escapes_are_read_alike(s in arb_escaped_string()) {
        agree(&s).map_err(TestCaseError::fail)?;
        // The rewrite is needed exactly when serde_json refuses for a surrogate.
        if serde_json::from_str::<Value>(&s).is_ok() {
            prop_assert_eq!(replace_lone_surrogates(&s), None);
        }
    }

    #[test]
    fn any_text_is_read_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..200), text in ".{0,100}") {
        agree(&String::from_utf8_lossy(&bytes)).map_err(TestCaseError::fail)?;
        agree(&text).map_err(TestCaseError::fail)?;
    }
}
