//! The regular expressions that the Atlas API spec documents, and small hand-written
//! matchers equivalent to them under whole-input (Java `Pattern.matches`) semantics.
//!
//! The matchers avoid a regex engine in the WebAssembly build; the test suite checks them
//! against the `regex` crate with `^(?:PATTERN)$` on many generated inputs.

/// The documented regular expression sources of the Atlas API spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecPatterns {
    /// Pattern of `groupId`, `userId` and `requestId`.
    pub group_id: &'static str,
    /// Pattern of `hostname`. Under JavaScript `RegExp.test` it matches every string; apply it
    /// to the whole input only.
    pub hostname: &'static str,
    /// Pattern of `bindUsername` (upper-case `CN`, `OU` and `DC` only).
    pub bind_username: &'static str,
}

/// The documented patterns, verbatim from the Atlas Administration API spec.
pub const SPEC_PATTERNS: SpecPatterns = SpecPatterns {
    group_id: "^([a-f0-9]{24})$",
    hostname: "^([0-9]{1,3}\\.){3}[0-9]{1,3}|([0-9a-f]{1,4}:){7}([0-9a-f]{1,4})|(([a-z0-9]+\\.){1,10}[a-z]+)?$",
    bind_username: "^(?:(?<cn>CN=(?<name>[^,]*)),)?(?:(?<path>(?:(?:CN|OU)=[^,]+,?)+),)?(?<domain>(?:DC=[^,]+,?)+)$",
};

/// Whether the whole of `s` matches [`SpecPatterns::hostname`].
pub fn hostname_matches_spec(s: &str) -> bool {
    // Alternative 3 is optional as a whole, so the empty string matches.
    s.is_empty()
        || parts_all(s, b'.', 4, 4, |p| {
            (1..=3).contains(&p.len()) && p.iter().all(u8::is_ascii_digit)
        })
        || parts_all(s, b':', 8, 8, |p| {
            (1..=4).contains(&p.len()) && p.iter().all(|&b| is_lower_hex(b))
        })
        || spec_dns_name(s)
}

/// `([a-z0-9]+\.){1,10}[a-z]+`: 2 to 11 non-empty dot-separated labels, the last letters only.
fn spec_dns_name(s: &str) -> bool {
    let count = s.bytes().filter(|&b| b == b'.').count() + 1;
    if !(2..=11).contains(&count) {
        return false;
    }
    let mut labels = s.as_bytes().split(|&b| b == b'.').peekable();
    while let Some(label) = labels.next() {
        let last = labels.peek().is_none();
        let ok = !label.is_empty()
            && label
                .iter()
                .all(|&b| b.is_ascii_lowercase() || (!last && b.is_ascii_digit()));
        if !ok {
            return false;
        }
    }
    true
}

fn is_lower_hex(b: u8) -> bool {
    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
}

/// Whether `s` splits on `sep` into `min..=max` parts that all satisfy `part`.
fn parts_all(s: &str, sep: u8, min: usize, max: usize, part: impl Fn(&[u8]) -> bool) -> bool {
    let mut n = 0;
    for p in s.as_bytes().split(|&b| b == sep) {
        n += 1;
        if n > max || !part(p) {
            return false;
        }
    }
    n >= min
}

/// Whether the whole of `s` matches [`SpecPatterns::bind_username`].
///
/// `[^,]` never crosses a comma, so the pattern is a grammar over the comma-separated
/// segments of `s`: an optional `CN=…` segment, then optionally path segments (`CN=x`/`OU=x`)
/// possibly followed by one empty segment (from `,?` plus the mandatory `,`), then one or more
/// `DC=x` segments possibly followed by one empty segment (a trailing comma).
pub fn bind_username_matches_spec(s: &str) -> bool {
    // Bit set of the states of a small NFA over segments.
    const START: u8 = 1;
    const AFTER_CN: u8 = 2;
    const IN_PATH: u8 = 4;
    const AFTER_PATH_EMPTY: u8 = 8;
    const IN_DOMAIN: u8 = 16;
    const END: u8 = 32;
    let mut states = START;
    for seg in s.as_bytes().split(|&b| b == b',') {
        let cn = seg.starts_with(b"CN=");
        let path = (cn || seg.starts_with(b"OU=")) && seg.len() > 3;
        let dc = seg.starts_with(b"DC=") && seg.len() > 3;
        let empty = seg.is_empty();
        let mut next = 0;
        if states & START != 0 && cn {
            next |= AFTER_CN;
        }
        if states & (START | AFTER_CN | IN_PATH) != 0 && path {
            next |= IN_PATH;
        }
        if states & IN_PATH != 0 && empty {
            next |= AFTER_PATH_EMPTY;
        }
        if states & (START | AFTER_CN | IN_PATH | AFTER_PATH_EMPTY | IN_DOMAIN) != 0 && dc {
            next |= IN_DOMAIN;
        }
        if states & IN_DOMAIN != 0 && empty {
            next |= END;
        }
        states = next;
        if states == 0 {
            return false;
        }
    }
    states & (IN_DOMAIN | END) != 0
}
