//! The parser of [`Doc`](super::Doc): recursive descent over the bytes of a `&str`, every
//! byte looked at a bounded number of times.

use std::borrow::Cow;

use serde_json::Number;

use super::{Entry, Node};

/// The text is not JSON (or nests deeper than `serde_json` allows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SyntaxError;

type Result<T> = std::result::Result<T, SyntaxError>;

/// `serde_json`'s nesting budget: the 128th nested array or object is refused.
const DEPTH: u8 = 128;

/// The entries of the tree in text order, the root first.
pub(super) fn parse(text: &str) -> Result<Vec<Entry<'_>>> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        // About one value per 16 bytes of a body, so the list rarely grows.
        entries: Vec::with_capacity(text.len() / 16 + 1),
        depth: DEPTH,
    };
    p.whitespace();
    p.value(Cow::Borrowed(""))?;
    p.whitespace();
    if p.at != p.bytes.len() {
        return Err(SyntaxError);
    }
    Ok(p.entries)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    entries: Vec<Entry<'a>>,
    depth: u8,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Result<()> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(SyntaxError)
        }
    }

    fn literal(&mut self, word: &[u8], node: Node<'a>) -> Result<Node<'a>> {
        if self.bytes[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(node)
        } else {
            Err(SyntaxError)
        }
    }

    /// Reads one value and adds it, named `key`, with everything inside it.
    fn value(&mut self, key: Cow<'a, str>) -> Result<()> {
        let node = match self.peek().ok_or(SyntaxError)? {
            b'n' => self.literal(b"null", Node::Null)?,
            b't' => self.literal(b"true", Node::Bool(true))?,
            b'f' => self.literal(b"false", Node::Bool(false))?,
            b'-' | b'0'..=b'9' => Node::Number(self.number()?),
            b'"' => Node::String(self.string()?),
            open @ (b'[' | b'{') => return self.container(key, open == b'{'),
            _ => return Err(SyntaxError),
        };
        self.entries.push(Entry { key, node });
        Ok(())
    }

    /// At the `[` or `{`: the container's entry, then its members, then its `end`.
    fn container(&mut self, key: Cow<'a, str>, object: bool) -> Result<()> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(SyntaxError);
        }
        self.at += 1;
        let at = self.entries.len();
        self.entries.push(Entry {
            key,
            node: Node::Null,
        });
        let close = if object { b'}' } else { b']' };
        self.whitespace();
        if self.peek() != Some(close) {
            loop {
                let key = if object {
                    self.member_name()?
                } else {
                    Cow::Borrowed("")
                };
                self.value(key)?;
                self.whitespace();
                if self.peek() != Some(b',') {
                    break;
                }
                self.at += 1;
                self.whitespace();
            }
        }
        self.eat(close)?;
        self.depth += 1;
        let end = self.entries.len();
        if let Some(entry) = self.entries.get_mut(at) {
            entry.node = if object {
                Node::Object { end }
            } else {
                Node::Array { end }
            };
        }
        Ok(())
    }

    /// A member's `"name"` and the `:` after it, up to its value.
    fn member_name(&mut self) -> Result<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return Err(SyntaxError);
        }
        let name = self.string()?;
        self.whitespace();
        self.eat(b':')?;
        self.whitespace();
        Ok(name)
    }

    /// At the opening `"`: borrowed from the text unless the string has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>> {
        self.at += 1;
        let mut start = self.at;
        let mut owned: Option<String> = None;
        loop {
            self.at = plain_end(self.bytes, self.at);
            match self.peek() {
                Some(b'"') => {
                    // `start` and `at` are next to ASCII bytes, so both are char boundaries.
                    let tail = self.text.get(start..self.at).ok_or(SyntaxError)?;
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                Some(b'\\') => {
                    let s = owned.get_or_insert_with(|| String::with_capacity(self.raw_len(start)));
                    s.push_str(self.text.get(start..self.at).ok_or(SyntaxError)?);
                    self.at += 1;
                    self.escape(s)?;
                    start = self.at;
                }
                _ => return Err(SyntaxError), // a control character, or no closing quote
            }
        }
    }

    /// The length of the string literal whose content starts at `start`, up to its closing
    /// quote: the most its decoded text can take, since every escape is shorter decoded.
    fn raw_len(&self, start: usize) -> usize {
        let mut at = plain_end(self.bytes, start);
        while let Some(b'\\' | 0..=0x1f) = self.bytes.get(at) {
            at = plain_end(self.bytes, at + 2);
        }
        at.saturating_sub(start)
    }

    /// After a `\`.
    fn escape(&mut self, out: &mut String) -> Result<()> {
        let b = self.peek().ok_or(SyntaxError)?;
        self.at += 1;
        let c = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(out),
            _ => return Err(SyntaxError),
        };
        out.push(c);
        Ok(())
    }

    /// After `\u`. A surrogate pair is one character; a surrogate without its partner is
    /// U+FFFD, as the text's producer (`JSON.stringify` of a lone UTF-16 surrogate) meant
    /// "this character could not be encoded". `serde_json` refuses such text instead.
    fn unicode_escape(&mut self, out: &mut String) -> Result<()> {
        let unit = self.hex4()?;
        if !(0xD800..0xDC00).contains(&unit) {
            out.push(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER));
            return Ok(());
        }
        if self.bytes[self.at..].starts_with(b"\\u") {
            let mark = self.at;
            self.at += 2;
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                let c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                return Ok(());
            }
            // Not a partner: the second escape is read on its own.
            self.at = mark;
        }
        out.push(char::REPLACEMENT_CHARACTER);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or(SyntaxError)?;
        let mut unit = 0;
        for &d in digits {
            let v = char::from(d).to_digit(16).ok_or(SyntaxError)?;
            unit = unit * 16 + v;
        }
        self.at += 4;
        Ok(unit)
    }

    /// At a `-` or a digit. Plain integers of up to 19 digits are classified here; any other
    /// number goes through `serde_json`'s own number parser so the `f64` (and the refusal of
    /// an infinite one) is exactly its.
    fn number(&mut self) -> Result<Number> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let int_start = self.at;
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(SyntaxError),
        }
        let int_digits = self.at - int_start;
        if self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(SyntaxError); // a leading zero
        }
        let mut plain = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.required_digits()?;
            plain = false;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.required_digits()?;
            plain = false;
        }
        let lexeme = self.text.get(start..self.at).ok_or(SyntaxError)?;
        if plain && int_digits <= 19 {
            let magnitude = self.bytes[int_start..self.at]
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            return Ok(integer(negative, magnitude));
        }
        lexeme.parse().map_err(|_| SyntaxError)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<()> {
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(SyntaxError);
        }
        self.digits();
        Ok(())
    }
}

/// `serde_json`'s classification of an integer that fits `u64`: non-negative is `u64`,
/// negative is `i64` when it fits, and `-0` or a smaller negative is `f64`.
fn integer(negative: bool, magnitude: u64) -> Number {
    if !negative {
        return Number::from(magnitude);
    }
    let neg = (magnitude as i64).wrapping_neg();
    if neg >= 0 {
        Number::from_f64(-(magnitude as f64)).unwrap_or_else(|| Number::from(0u64))
    } else {
        Number::from(neg)
    }
}

/// The index of the first `"`, `\` or control character from `at` on (or the end): the plain
/// run of a string, eight bytes per step as `serde_json` does it (the first flagged byte of a
/// word is exact; later ones may be false alarms, and are never looked at).
fn plain_end(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    let rest = bytes.get(at..).unwrap_or_default();
    for word in rest.chunks_exact(8) {
        // Always eight bytes; a load, where copying into an array would be a call.
        let chars = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let control = chars.wrapping_sub(ONES * 0x20) & !chars;
        let quote = chars ^ (ONES * u64::from(b'"'));
        let quote = quote.wrapping_sub(ONES) & !quote;
        let backslash = chars ^ (ONES * u64::from(b'\\'));
        let backslash = backslash.wrapping_sub(ONES) & !backslash;
        let flagged = (control | quote | backslash) & HIGH;
        if flagged != 0 {
            return at + flagged.trailing_zeros() as usize / 8;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        at += 1;
    }
    at
}
