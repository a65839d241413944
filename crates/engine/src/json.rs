//! JSON read straight into the positioned tree that [`crate::yaml`] builds.
//!
//! `kubectl get -o json` prints JSON, and a whole cluster's worth of it runs to hundreds of
//! megabytes. JSON is YAML, so `yaml` reads it too, but libyaml's event machinery costs more than
//! JSON needs. This reader gives the same tree, positions included: a mapping or sequence at its
//! opening bracket, a scalar at its first character (a string at its opening quote), lines and
//! columns 1-based with columns counted in characters, as libyaml counts them. Numbers resolve
//! through [`crate::yaml::resolve_plain`], exactly as the same token does as a YAML plain scalar.
//!
//! Differences from the YAML path, both on input kubectl never prints: a `"<<"` key is an ordinary
//! key here (JSON has no merge keys; encoding/json reads it as a key), and only `\n` breaks a line
//! (libyaml also counts U+0085, U+2028 and U+2029, which JSON can only carry inside strings).

use crate::yaml::{resolve_plain, Node, NodeKind, Pos, MAX_DEPTH, MAX_NODES};

/// A JSON syntax error at a position.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError {
    pub pos: Pos,
    pub message: String,
}

/// Reads one JSON value that fills `bytes` (whitespace around it allowed). `start` is where
/// `bytes` begins in the whole input, so that every position is the input's own.
pub fn read_value(bytes: &[u8], start: Pos) -> Result<Node, JsonError> {
    let mut p = Reader {
        b: bytes,
        i: 0,
        line: start.line,
        col: start.column,
        depth: 0,
        nodes: 0,
    };
    p.skip_ws();
    let node = p.value()?;
    p.skip_ws();
    if p.i < p.b.len() {
        return Err(p.error("content after the end of the JSON value"));
    }
    Ok(node)
}

/// Moves a line and character column over byte `c`: a newline starts the next line, and a byte
/// that does not continue a UTF-8 sequence is one more character.
pub(crate) fn step_over(c: u8, line: &mut usize, col: &mut usize) {
    if c == b'\n' {
        *line += 1;
        *col = 1;
    } else if c & 0xC0 != 0x80 {
        *col += 1;
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    col: usize,
    depth: usize,
    nodes: usize,
}

impl Reader<'_> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.col,
        }
    }

    fn error(&self, what: &str) -> JsonError {
        let found = match self.b.get(self.i) {
            None => "the end of the input".to_string(),
            Some(_) => {
                let rest = String::from_utf8_lossy(&self.b[self.i..self.b.len().min(self.i + 4)]);
                match rest.chars().next() {
                    Some(c) => format!("'{c}'"),
                    None => "a byte that is not UTF-8".to_string(),
                }
            }
        };
        JsonError {
            pos: self.pos(),
            message: format!("JSON syntax error: {what}, found {found}"),
        }
    }

    /// Steps over one byte, keeping the line and the character column.
    fn bump(&mut self) {
        let c = self.b[self.i];
        self.i += 1;
        step_over(c, &mut self.line, &mut self.col);
    }

    fn skip_ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'\n' => {
                    self.i += 1;
                    self.line += 1;
                    self.col = 1;
                }
                b' ' | b'\t' | b'\r' => {
                    self.i += 1;
                    self.col += 1;
                }
                _ => return,
            }
        }
    }

    fn count(&mut self) -> Result<(), JsonError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(JsonError {
                pos: self.pos(),
                message: format!("this document has more than {MAX_NODES} values"),
            });
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Node, JsonError> {
        self.count()?;
        let pos = self.pos();
        let kind = match self.b.get(self.i) {
            Some(b'{') => return self.object(pos),
            Some(b'[') => return self.array(pos),
            Some(b'"') => NodeKind::Str(self.string()?),
            Some(b't') => self.word("true", NodeKind::Bool(true))?,
            Some(b'f') => self.word("false", NodeKind::Bool(false))?,
            Some(b'n') => self.word("null", NodeKind::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.error("expected a value")),
        };
        Ok(Node { kind, pos })
    }

    fn word(&mut self, w: &str, kind: NodeKind) -> Result<NodeKind, JsonError> {
        if self.b[self.i..].starts_with(w.as_bytes()) {
            self.i += w.len();
            self.col += w.len();
            Ok(kind)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn number(&mut self) -> Result<NodeKind, JsonError> {
        let start = self.i;
        let b = self.b;
        let mut i = self.i;
        let digits = |i: &mut usize| {
            let s = *i;
            while *i < b.len() && b[*i].is_ascii_digit() {
                *i += 1;
            }
            *i > s
        };
        if b[i] == b'-' {
            i += 1;
        }
        // RFC 8259: int = zero / ( digit1-9 *DIGIT )
        let leading_zero = b.get(i) == Some(&b'0');
        if leading_zero && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return Err(self.error("a number must not start with 0"));
        }
        if !digits(&mut i) {
            self.col += i - self.i;
            self.i = i;
            return Err(self.error("expected digits of a number"));
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                self.col += i - self.i;
                self.i = i;
                return Err(self.error("expected digits after the decimal point"));
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                self.col += i - self.i;
                self.i = i;
                return Err(self.error("expected digits of an exponent"));
            }
        }
        self.col += i - self.i;
        self.i = i;
        // ASCII only, checked above.
        let text = std::str::from_utf8(&b[start..i]).unwrap_or("0");
        Ok(resolve_plain(text))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.bump(); // the opening quote
        let mut out: Vec<u8> = Vec::new();
        loop {
            let run_start = self.i;
            while let Some(&c) = self.b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                if c & 0xC0 != 0x80 {
                    self.col += 1;
                }
                self.i += 1;
            }
            out.extend_from_slice(&self.b[run_start..self.i]);
            match self.b.get(self.i) {
                None => return Err(self.error("a string is not closed")),
                Some(b'"') => {
                    self.bump();
                    break;
                }
                Some(b'\\') => {
                    self.bump();
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("a control character inside a string")),
            }
        }
        String::from_utf8(out).map_err(|_| JsonError {
            pos: self.pos(),
            message: "the input is not valid UTF-8 text".into(),
        })
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), JsonError> {
        let Some(&c) = self.b.get(self.i) else {
            return Err(self.error("an escape is not finished"));
        };
        let simple = match c {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(s) = simple {
            self.bump();
            out.push(s);
            return Ok(());
        }
        if c != b'u' {
            return Err(self.error("an unknown escape in a string"));
        }
        self.bump();
        let first = self.hex4()?;
        // encoding/json: a lone or mismatched surrogate reads as U+FFFD.
        let ch = if (0xD800..0xDC00).contains(&first) {
            if self.b[self.i..].starts_with(b"\\u") {
                let save = (self.i, self.col);
                self.i += 2;
                self.col += 2;
                let second = self.hex4()?;
                if (0xDC00..0xE000).contains(&second) {
                    char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                } else {
                    (self.i, self.col) = save;
                    None
                }
            } else {
                None
            }
        } else {
            char::from_u32(first)
        };
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = self
                .b
                .get(self.i)
                .and_then(|c| (*c as char).to_digit(16))
                .ok_or_else(|| self.error("expected four hex digits after \\u"))?;
            v = v * 16 + d;
            self.i += 1;
            self.col += 1;
        }
        Ok(v)
    }

    fn open(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonError {
                pos: self.pos(),
                message: format!("nesting deeper than {MAX_DEPTH} levels; no manifest needs that"),
            });
        }
        self.bump();
        Ok(())
    }

    fn array(&mut self, pos: Pos) -> Result<Node, JsonError> {
        self.open()?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.b.get(self.i) == Some(&b']') {
            self.bump();
        } else {
            loop {
                self.skip_ws();
                items.push(self.value()?);
                self.skip_ws();
                match self.b.get(self.i) {
                    Some(b',') => self.bump(),
                    Some(b']') => {
                        self.bump();
                        break;
                    }
                    _ => return Err(self.error("expected ',' or ']'")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node {
            kind: NodeKind::Seq(items),
            pos,
        })
    }

    fn object(&mut self, pos: Pos) -> Result<Node, JsonError> {
        self.open()?;
        let mut entries: Vec<(Node, Node)> = Vec::new();
        self.skip_ws();
        if self.b.get(self.i) == Some(&b'}') {
            self.bump();
        } else {
            loop {
                self.skip_ws();
                if self.b.get(self.i) != Some(&b'"') {
                    return Err(self.error("expected a string key"));
                }
                self.count()?;
                let key_pos = self.pos();
                let key = Node {
                    kind: NodeKind::Str(self.string()?),
                    pos: key_pos,
                };
                self.skip_ws();
                if self.b.get(self.i) != Some(&b':') {
                    return Err(self.error("expected ':' after a key"));
                }
                self.bump();
                self.skip_ws();
                let value = self.value()?;
                // A later key replaces an earlier one, as encoding/json and the YAML path do.
                if let Some(i) = entries.iter().position(|(k, _)| k.kind == key.kind) {
                    entries.remove(i);
                }
                entries.push((key, value));
                self.skip_ws();
                match self.b.get(self.i) {
                    Some(b',') => self.bump(),
                    Some(b'}') => {
                        self.bump();
                        break;
                    }
                    _ => return Err(self.error("expected ',' or '}'")),
                }
            }
        }
        self.depth -= 1;
        Ok(Node {
            kind: NodeKind::Map(entries),
            pos,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::read_documents;

    fn both(text: &str) -> (Node, Node) {
        let json = read_value(text.as_bytes(), Pos { line: 1, column: 1 }).unwrap();
        let (docs, err) = read_documents(text);
        assert_eq!(err, None, "{text}");
        (json, docs.into_iter().next().unwrap().root.unwrap())
    }

    #[test]
    fn the_tree_and_its_positions_equal_the_yaml_readers() {
        let text = "{\n    \"apiVersion\": \"v1\",\n    \"n\": [1, -2.5, 1e3, 0, true, null, \"é\\u00e9x\"],\n    \"m\": {\"k\": {}, \"l\": []}, \"k\": \"dup\", \"k\": \"last\"\n}\n";
        let (json, yaml) = both(text);
        assert_eq!(json, yaml);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"ééé\": \"ü\", \"x\": 1}";
        let (json, yaml) = both(text);
        assert_eq!(json, yaml);
        assert_eq!(json.entry("x").unwrap().0.pos.column, 14);
    }

    #[test]
    fn positions_start_where_the_value_stands_in_the_input() {
        let n = read_value(
            b"{\n  \"a\": 1}",
            Pos {
                line: 40,
                column: 5,
            },
        )
        .unwrap();
        assert_eq!(
            n.pos,
            Pos {
                line: 40,
                column: 5
            }
        );
        assert_eq!(
            n.entry("a").unwrap().0.pos,
            Pos {
                line: 41,
                column: 3
            }
        );
    }

    #[test]
    fn syntax_errors_have_a_position() {
        for (text, line, column) in [
            ("{\"a\": 1,\n}", 2, 1),
            ("{\"a\" 1}", 1, 6),
            ("[1, 2", 1, 6),
            ("{\"a\": \"b\nc\"}", 1, 9),
            ("{\"a\": 01}", 1, 7),
            ("{\"a\": tru}", 1, 7),
            ("{} x", 1, 4),
        ] {
            let e = read_value(text.as_bytes(), Pos { line: 1, column: 1 }).unwrap_err();
            assert_eq!((e.pos.line, e.pos.column), (line, column), "{text}: {e:?}");
        }
    }

    #[test]
    fn surrogate_pairs_join_and_lone_ones_become_replacement_characters() {
        let n = read_value(
            br#"["\ud83d\ude00", "\ud83d", "\ude00x"]"#,
            Pos { line: 1, column: 1 },
        )
        .unwrap();
        let s: Vec<&str> = n.items().iter().filter_map(Node::as_str).collect();
        assert_eq!(s, ["😀", "\u{FFFD}", "\u{FFFD}x"]);
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "[".repeat(MAX_DEPTH + 1);
        let e = read_value(deep.as_bytes(), Pos { line: 1, column: 1 }).unwrap_err();
        assert!(e.message.contains("nesting"), "{e:?}");
    }
}
