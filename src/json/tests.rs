//! The tree reads what `serde_json` reads: the same texts accepted and refused, the same
//! values (numbers classified alike), except that a lone escaped surrogate is U+FFFD.

use proptest::prelude::*;
use serde_json::Value;

use super::{Doc, Json};

/// Our reading as a `serde_json::Value` (the conversion the client uses).
fn ours(text: &str) -> Option<Value> {
    super::parse_value(text).ok()
}

/// Whether `serde_json` refused `text` only for a surrogate without its partner.
fn lone_surrogate(error: &serde_json::Error) -> bool {
    let m = error.to_string();
    m.contains("surrogate") || m.contains("unexpected end of hex escape")
}

/// The verdict of both parsers on `text` agrees, and so do the values.
fn agree(text: &str) -> Result<(), String> {
    match (ours(text), serde_json::from_str::<Value>(text)) {
        (Some(a), Ok(b)) if a == b => Ok(()),
        (None, Err(_)) => Ok(()),
        (Some(_), Err(e)) if lone_surrogate(&e) => Ok(()),
        (a, b) => Err(format!("{text:?}: ours {a:?}, serde_json {b:?}")),
    }
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn edge_cases_agree_with_serde_json() {
    let deep_objects = |depth: usize| format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let table: &[(&str, bool)] = &[
        ("0", true),
        ("-0", true),
        ("-0.0", true),
        ("1e400", false),
        ("-1e400", false),
        ("1e-400", true),
        ("0e999999999999999999999", true),
        ("1E+2", true),
        ("1e", false),
        ("1e+", false),
        ("18446744073709551615", true),
        ("18446744073709551616", true),
        ("-9223372036854775808", true),
        ("-9223372036854775809", true),
        ("-18446744073709551616", true),
        ("9999999999999999999", true),
        ("01", false),
        ("-01", false),
        ("00", false),
        ("1.", false),
        (".5", false),
        ("-", false),
        ("+1", false),
        ("1.5e3", true),
        ("0x10", false),
        ("NaN", false),
        ("Infinity", false),
        ("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", true),
        ("\"\\u0000\"", true),
        ("\"\\u00e9\\u4e2D\"", true),
        ("\"\\ud83d\\ude00\"", true),
        ("\"\\x41\"", false),
        ("\"\\u12\"", false),
        ("\"\\u12G4\"", false),
        ("\"\\\"", false),
        ("\"a\u{0}b\"", false),
        ("\"a\nb\"", false),
        ("\"a\u{1f}b\"", false),
        ("\"a\u{7f}b\"", true),
        ("\"é 中 😀\"", true),
        ("\"abc", false),
        ("[1,]", false),
        ("[,1]", false),
        ("[1 2]", false),
        ("{\"a\":1,}", false),
        ("{\"a\" 1}", false),
        ("{a:1}", false),
        ("{1:1}", false),
        ("{\"a\":1,\"a\":2}", true),
        ("[] []", false),
        ("[]x", false),
        (" \t\r\n[ 1 , { \"a\" : null } ] \n\t ", true),
        ("\u{feff}{}", false),
        ("{}\u{a0}", false),
        ("", false),
        ("   ", false),
        ("nul", false),
        ("nulll", false),
        ("true", true),
        ("True", false),
        ("[true,false,null]", true),
        ("{\"\":\"\"}", true),
    ];
    for &(text, accepted) in table {
        agree(text).unwrap();
        assert_eq!(ours(text).is_some(), accepted, "{text:?}");
    }
    for (depth, accepted) in [(127, true), (128, false), (129, false)] {
        for text in [nested(depth), deep_objects(depth)] {
            agree(&text).unwrap();
            assert_eq!(ours(&text).is_some(), accepted, "depth {depth}");
        }
    }
    // Refused at the 128th level, long before the end: no deep recursion on hostile input.
    assert!(ours(&nested(1_000_000)).is_none());
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
fn a_lone_surrogate_is_the_replacement_character() {
    for (text, expected) in [
        ("\"\\ud800\"", "\u{fffd}"),
        ("\"\\udc00\"", "\u{fffd}"),
        ("\"a\\ud800b\"", "a\u{fffd}b"),
        ("\"\\ud800\\u0041\"", "\u{fffd}A"),
        ("\"\\ud800\\n\"", "\u{fffd}\n"),
        ("\"\\udc00\\ud800\"", "\u{fffd}\u{fffd}"),
        ("\"\\ud800\\ud800\\udc00\"", "\u{fffd}\u{10000}"),
    ] {
        assert!(serde_json::from_str::<Value>(text).is_err(), "{text}");
        assert_eq!(ours(text), Some(Value::String(expected.into())), "{text}");
    }
    // The partner's escape must still be well formed.
    assert_eq!(ours("\"\\ud800\\uZZZZ\""), None);
    assert_eq!(ours("\"\\ud800\\u"), None);
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

/// A character to insert or to replace another with: mostly JSON's own punctuation.
fn arb_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(vec![
            '"', '\\', ',', ':', '[', ']', '{', '}', '0', '1', '-', '+', '.', 'e', 'E', 'u', 'd',
            'n', 't', ' ', '\n', '\u{0}', '\u{1f}', 'é', '\u{feff}',
        ]),
        any::<char>(),
    ]
}

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, char),
    Replace(usize, char),
}

fn arb_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), arb_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        (any::<usize>(), arb_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let at = |i: usize, n: usize| if n == 0 { 0 } else { i % n };
    match *edit {
        Edit::Delete(i) if !chars.is_empty() => {
            let i = at(i, chars.len());
            chars.remove(i);
        }
        Edit::Insert(i, c) => chars.insert(at(i, chars.len() + 1), c),
        Edit::Replace(i, c) if !chars.is_empty() => {
            let i = at(i, chars.len());
            chars[i] = c;
        }
        _ => {}
    }
    chars.into_iter().collect()
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
    fn valid_json_reads_as_serde_json_reads_it(v in arb_value()) {
        for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
            agree(&text).map_err(TestCaseError::fail)?;
            prop_assert!(ours(&text).is_some());
        }
    }

    #[test]
    fn near_json_is_accepted_and_refused_alike(v in arb_value(), edits in prop::collection::vec(arb_edit(), 1..4), pretty: bool) {
        let mut text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        for edit in &edits {
            text = apply(&text, edit);
        }
        agree(&text).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn escapes_are_read_alike(s in arb_escaped_string()) {
        agree(&s).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn any_text_is_read_without_panicking(bytes in prop::collection::vec(any::<u8>(), 0..200), text in ".{0,100}") {
        agree(&String::from_utf8_lossy(&bytes)).map_err(TestCaseError::fail)?;
        agree(&text).map_err(TestCaseError::fail)?;
    }
}
