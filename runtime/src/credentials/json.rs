//! A small JSON reader for `credential_process` output: a top-level object whose members are
//! kept when they are strings, numbers, booleans or null. Nested values are checked for syntax
//! and skipped. Errors give a byte offset, never the text (it holds secrets).

use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    /// The number as written.
    Number(String),
    Bool(bool),
    Null,
    /// An object or array (not kept).
    Nested,
}

/// The members of the top-level object.
pub fn parse_object(text: &str) -> Result<HashMap<String, Value>, String> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    p.ws();
    if p.peek() != Some(b'{') {
        return Err(p.fail("expected a JSON object"));
    }
    let mut out = HashMap::new();
    p.i += 1;
    p.ws();
    if p.peek() == Some(b'}') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            let key = p.string()?;
            p.ws();
            p.expect(b':')?;
            let value = p.value()?;
            out.insert(key, value);
            p.ws();
            match p.next() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => return Err(p.fail_at(p.i.saturating_sub(1), "expected `,` or `}`")),
            }
        }
    }
    p.ws();
    if p.i != p.s.len() {
        return Err(p.fail("unexpected data after the object"));
    }
    Ok(out)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn fail(&self, what: &str) -> String {
        self.fail_at(self.i, what)
    }

    fn fail_at(&self, at: usize, what: &str) -> String {
        format!("invalid JSON at byte {at}: {what}")
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek();
        if c.is_some() {
            self.i += 1;
        }
        c
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.fail(&format!("expected `{}`", c as char)))
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.string().map(Value::String),
            Some(b'{') | Some(b'[') => self.nested().map(|_| Value::Nested),
            Some(b't') => self.literal("true").map(|_| Value::Bool(true)),
            Some(b'f') => self.literal("false").map(|_| Value::Bool(false)),
            Some(b'n') => self.literal("null").map(|_| Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            _ => Err(self.fail("expected a value")),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), String> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(self.fail("expected a value"))
        }
    }

    fn number(&mut self) -> Result<String, String> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let digits = |p: &mut Self| {
            let s = p.i;
            while matches!(p.peek(), Some(b'0'..=b'9')) {
                p.i += 1;
            }
            p.i > s
        };
        if !digits(self) {
            return Err(self.fail("expected digits"));
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if !digits(self) {
                return Err(self.fail("expected digits after `.`"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return Err(self.fail("expected exponent digits"));
            }
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn nested(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err(self.fail("nested too deeply"));
        }
        let close = if self.next() == Some(b'{') {
            b'}'
        } else {
            b']'
        };
        self.ws();
        if self.peek() == Some(close) {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            self.ws();
            if close == b'}' {
                self.string()?;
                self.ws();
                self.expect(b':')?;
            }
            self.value()?;
            self.ws();
            match self.next() {
                Some(b',') => continue,
                Some(c) if c == close => break,
                _ => return Err(self.fail_at(self.i.saturating_sub(1), "expected `,` or a close")),
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let end = self.i + 4;
        let hex = self
            .s
            .get(self.i..end)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.fail("expected 4 hex digits after \\u"))?;
        self.i = end;
        Ok(hex)
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let Some(c) = self.next() else {
                return Err(self.fail("unterminated string"));
            };
            match c {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.next() else {
                        return Err(self.fail("unterminated string"));
                    };
                    let simple = match e {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return Err(self.fail_at(self.i - 1, "invalid escape")),
                    };
                    if let Some(b) = simple {
                        out.push(b);
                        continue;
                    }
                    let mut cp = self.hex4()?;
                    if (0xD800..0xDC00).contains(&cp) {
                        if self.s.get(self.i..self.i + 2) != Some(b"\\u") {
                            return Err(self.fail("unpaired surrogate"));
                        }
                        self.i += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return Err(self.fail("unpaired surrogate"));
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    let ch = char::from_u32(cp).ok_or_else(|| self.fail("invalid \\u escape"))?;
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.fail_at(self.i - 1, "control character in string")),
                _ => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.fail("string is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_flat_members() {
        let m = parse_object(
            r#" { "Version": 1, "AccessKeyId": "AK", "S": "a\"b\\c\/\n\u00e9\ud83d\ude00",
                 "N": -1.5e3, "T": true, "F": false, "Z": null, "O": {"x": [1, {"y": []}]}, "A": [] } "#,
        )
        .unwrap();
        assert_eq!(m["Version"], Value::Number("1".into()));
        assert_eq!(m["AccessKeyId"], Value::String("AK".into()));
        assert_eq!(m["S"], Value::String("a\"b\\c/\n\u{e9}\u{1F600}".into()));
        assert_eq!(m["N"], Value::Number("-1.5e3".into()));
        assert_eq!(m["T"], Value::Bool(true));
        assert_eq!(m["F"], Value::Bool(false));
        assert_eq!(m["Z"], Value::Null);
        assert_eq!(m["O"], Value::Nested);
        assert_eq!(m["A"], Value::Nested);
        assert!(parse_object("{}").unwrap().is_empty());
    }

    #[test]
    fn rejects_malformed_input_without_echoing_it() {
        let cases = [
            "",
            "[]",
            "{\"a\": 1",
            "{\"a\" 1}",
            "{\"a\": secret}",
            "{\"a\": \"unterminated}",
            "{\"a\": 1,}",
            "{\"a\": 1} trailing",
            "{\"a\": \"\\q\"}",
            "{\"a\": \"\\ud800\"}",
            "{\"a\": -}",
            "{\"a\": [1 2]}",
            "{\"a\": \"tab\there\"}",
        ];
        for c in cases {
            let e = parse_object(c).unwrap_err();
            assert!(e.starts_with("invalid JSON at byte "), "{c:?}: {e}");
            assert!(!e.contains("secret"));
        }
        let deep = format!("{{\"a\": {}{}}}", "[".repeat(100), "]".repeat(100));
        assert!(parse_object(&deep).unwrap_err().contains("too deeply"));
    }
}
