//! `JSON.stringify` writes a string holding a lone UTF-16 surrogate as an escape (`"\ud800"`),
//! which `serde_json` refuses for a `str`. The validators read such a string as holding
//! U+FFFD, as `TextEncoder` does for the same string, rather than as "not JSON".

/// `text` with every `\uXXXX` escape of a surrogate that is not half of a pair rewritten to
/// `\ufffd` (same length, so nothing else moves); `None` when there is none. Meant for a text
/// `serde_json` refused: in JSON text every `\` starts an escape, so stepping from escape to
/// escape finds them all, and the rewrite changes no other verdict of the parser.
pub(crate) fn replace_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut at = 0;
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\\'))
    {
        let escape = at + offset;
        let Some(unit) = unit_at(bytes, escape) else {
            at = escape + 2; // a one-character escape (or a broken one, refused anyway)
            continue;
        };
        at = escape + 6;
        if !(0xD800..0xE000).contains(&unit) {
            continue;
        }
        let high = unit < 0xDC00;
        if high && unit_at(bytes, at).is_some_and(|low| (0xDC00..0xE000).contains(&low)) {
            at += 6;
            continue;
        }
        // The six bytes are ASCII (checked by `unit_at`), so these are char boundaries.
        out.get_or_insert_with(|| text.to_owned())
            .replace_range(escape + 2..escape + 6, "fffd");
    }
    out
}

/// The code unit of a `\uXXXX` escape starting at `at`.
fn unit_at(bytes: &[u8], at: usize) -> Option<u32> {
    match bytes.get(at..at + 6)? {
        [b'\\', b'u', hex @ ..] => hex.iter().try_fold(0, |unit, &d| {
            char::from(d).to_digit(16).map(|v| unit * 16 + v)
        }),
        _ => None,
    }
}
