//! A List read as a stream: `kubectl get pods -A -o json` of a whole cluster, of any size.
//!
//! [`open`] looks at the start of an input. When it is one object whose `items` is a sequence (a
//! JSON object, or a YAML block sequence under a top-level `items:` key, as kubectl prints both),
//! it returns [`Items`]: each item comes out on its own, unparsed, with its place in the input, and
//! only the item being cut out is held in memory. Parsing and analysing a [`Piece`] is
//! independent of every other, so callers may do it on any thread, and the positions it reports
//! are the input's own. Anything else comes back whole, to be read as before.
//!
//! kubectl treats any object with an `items` array as a list (apimachinery
//! `unstructured.Unstructured.IsList`); podlab reads the items of `v1 List` and the typed lists
//! (`manifest::is_list_kind`), and says so when a streamed object turns out to be another kind.
//!
//! What a stream cannot do: an autoscaler or a Service among the items is not matched to the
//! workloads beside it (each item is analysed alone), and a YAML anchor cannot be used in a later
//! item.

use crate::json;
use crate::manifest::{self, MAX_INPUT_BYTES};
use crate::yaml::{self, Node, NodeKind, Pos};
use crate::{Analysis, InputError, Options, Tool};
use std::collections::VecDeque;
use std::io::{self, Read};

/// An item larger than this is refused, as a whole input of that size is.
pub const MAX_ITEM_BYTES: usize = MAX_INPUT_BYTES;

const CHUNK: usize = 1 << 20;

/// What [`open`] found.
pub enum Opened<R> {
    /// A List: its items, one at a time.
    Stream(Items<R>),
    /// Not a List: the bytes read so far, and the reader for the rest.
    Whole(Vec<u8>, R),
}

/// One piece of a streamed input, not yet parsed: an item of the List, a document after it, or
/// an error found while cutting the input.
#[derive(Debug)]
pub enum Piece {
    Json {
        bytes: Vec<u8>,
        pos: Pos,
        document: usize,
    },
    Yaml {
        text: Vec<u8>,
        first_line: usize,
        document: usize,
    },
    Node {
        root: Node,
        document: usize,
    },
    Error {
        document: usize,
        pos: Pos,
        message: String,
    },
}

impl Piece {
    /// Parses and analyses the piece; positions are the whole input's.
    pub fn analyze(self, file: &str, options: &Options) -> Analysis {
        let error = |document: usize, pos: Pos, message: String| InputError {
            file: file.to_string(),
            document,
            line: pos.line.max(1),
            column: pos.column.max(1),
            message,
            path: None,
        };
        let only_error = |e: InputError| Analysis {
            tool: Tool::default(),
            kubernetes_version: options.kubernetes_version.to_string(),
            workloads: Vec::new(),
            errors: vec![e],
        };
        match self {
            Piece::Json {
                bytes,
                pos,
                document,
            } => match json::read_value(&bytes, pos) {
                Ok(root) => crate::analyze_object(file, document, root, options),
                Err(e) => only_error(error(document, e.pos, e.message)),
            },
            Piece::Yaml {
                text,
                first_line,
                document,
            } => {
                let text = match String::from_utf8(text) {
                    Ok(t) => t,
                    Err(e) => {
                        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                        let pos = Pos {
                            line: first_line + valid.iter().filter(|&&c| c == b'\n').count(),
                            column: String::from_utf8_lossy(
                                valid.rsplit(|&c| c == b'\n').next().unwrap_or(&[]),
                            )
                            .chars()
                            .count()
                                + 1,
                        };
                        return only_error(error(
                            document,
                            pos,
                            "the input is not valid UTF-8 text: it looks like a binary file".into(),
                        ));
                    }
                };
                let (docs, err) = yaml::read_documents(&text);
                let shift = first_line - 1;
                let mut out = Analysis {
                    tool: Tool::default(),
                    kubernetes_version: options.kubernetes_version.to_string(),
                    workloads: Vec::new(),
                    errors: Vec::new(),
                };
                for mut root in docs.into_iter().filter_map(|d| d.root) {
                    shift_lines(&mut root, 0, shift);
                    let a = crate::analyze_object(file, document, root, options);
                    out.workloads.extend(a.workloads);
                    out.errors.extend(a.errors);
                }
                if let Some(e) = err {
                    let pos = Pos {
                        line: e.pos.line + shift,
                        column: e.pos.column,
                    };
                    out.errors.push(error(document, pos, e.message));
                }
                out
            }
            Piece::Node { root, document } => crate::analyze_object(file, document, root, options),
            Piece::Error {
                document,
                pos,
                message,
            } => only_error(error(document, pos, message)),
        }
    }
}

/// Adds `by` to the line of every node below `after` lines.
fn shift_lines(node: &mut Node, after: usize, by: usize) {
    if node.pos.line > after {
        node.pos.line += by;
    }
    match &mut node.kind {
        NodeKind::Seq(items) => items.iter_mut().for_each(|n| shift_lines(n, after, by)),
        NodeKind::Map(entries) => {
            for (k, v) in entries {
                shift_lines(k, after, by);
                shift_lines(v, after, by);
            }
        }
        _ => {}
    }
}

/// Looks at the start of `reader` and tells a List (streamed) from anything else (whole).
pub fn open<R: Read>(reader: R) -> io::Result<Opened<R>> {
    open_sized(reader, None)
}

/// [`open`], for a reader of `size` bytes (a file's length): the bytes are read into one buffer
/// that holds them all (up to [`MAX_INPUT_BYTES`]), so that reading the rest of an input read
/// whole neither grows nor copies it.
pub fn open_sized<R: Read>(reader: R, size: Option<u64>) -> io::Result<Opened<R>> {
    let room = size.map_or(CHUNK, |s| {
        usize::try_from(s).map_or(MAX_INPUT_BYTES, |s| s.min(MAX_INPUT_BYTES))
    });
    let mut input = Input {
        r: reader,
        // One byte more than the input, so that finding its end needs no growth either.
        buf: Vec::with_capacity(room + 1),
        i: 0,
        keep: Some(0),
        eof: false,
        line: 1,
        col: 1,
    };
    input.fill()?;
    if input.buf.starts_with("\u{feff}".as_bytes()) {
        input.i = 3;
    }
    input.skip_ws()?;
    let found = match input.peek()? {
        Some(b'{') => json_envelope(&mut input)?,
        _ => yaml_envelope(&mut input)?,
    };
    match found {
        Some(state) => {
            input.keep = None;
            Ok(Opened::Stream(Items {
                input,
                state,
                queue: VecDeque::new(),
            }))
        }
        None => {
            let Input { r, buf, .. } = input;
            Ok(Opened::Whole(buf, r))
        }
    }
}

/// The input, read a chunk at a time, with the line and column of the next byte.
struct Input<R> {
    r: R,
    buf: Vec<u8>,
    i: usize,
    /// Bytes from here on stay in `buf` (the start of what is being cut out); None: only from `i`.
    keep: Option<usize>,
    eof: bool,
    line: usize,
    col: usize,
}

enum Cut {
    Io(io::Error),
    /// A problem with the input at a position.
    Bad(Pos, String),
}

impl From<io::Error> for Cut {
    fn from(e: io::Error) -> Self {
        Cut::Io(e)
    }
}

impl<R: Read> Input<R> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.col,
        }
    }

    /// Reads another chunk; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        Ok(self.fill_moving()?.0)
    }

    /// Reads another chunk, first dropping what is no longer kept; says whether there was more
    /// and by how much the bytes moved down.
    fn fill_moving(&mut self) -> io::Result<(bool, usize)> {
        if self.eof {
            return Ok((false, 0));
        }
        let keep_from = self.keep.unwrap_or(self.i).min(self.i);
        let mut dropped = 0;
        if keep_from > CHUNK {
            dropped = keep_from;
            self.buf.drain(..keep_from);
            self.i -= keep_from;
            if let Some(k) = self.keep.as_mut() {
                *k -= keep_from;
            }
        }
        // Up to a chunk, straight into the buffer's spare room (no zeroed scratch, no copy).
        let n = (&mut self.r)
            .take(CHUNK as u64)
            .read_to_end(&mut self.buf)?;
        if n == 0 {
            self.eof = true;
        }
        Ok((n > 0, dropped))
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        while self.i >= self.buf.len() {
            if !self.fill()? {
                return Ok(None);
            }
        }
        Ok(Some(self.buf[self.i]))
    }

    fn bump(&mut self) {
        let c = self.buf[self.i];
        self.i += 1;
        json::step_over(c, &mut self.line, &mut self.col);
    }

    fn skip_ws(&mut self) -> io::Result<()> {
        while let Some(c) = self.peek()? {
            if !matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
                break;
            }
            self.bump();
        }
        Ok(())
    }

    fn expect(&mut self, what: &str) -> Result<u8, Cut> {
        match self.peek()? {
            Some(c) => {
                self.bump();
                Ok(c)
            }
            None => Err(Cut::Bad(
                self.pos(),
                format!("{what}, found the end of the input"),
            )),
        }
    }

    /// Cuts out one JSON value from here (an object, an array, a string or a scalar) without
    /// parsing it: brackets are counted outside strings. The parser checks it afterwards.
    fn cut_json_value(&mut self) -> Result<(Vec<u8>, Pos), Cut> {
        let start_pos = self.pos();
        if self.peek()?.is_none() {
            return Err(Cut::Bad(
                start_pos,
                "JSON syntax error: expected a value, found the end of the input".into(),
            ));
        }
        let saved_keep = self.keep;
        let mut start = self.i;
        let first = self.buf[self.i];
        let scalar = !matches!(first, b'{' | b'[' | b'"');
        let mut depth: i64 = 0;
        let mut in_string = false;
        let mut escape = false;
        let (mut line, mut col) = (self.line, self.col);
        let mut i = self.i;
        let end = 'outer: loop {
            let buf = &self.buf;
            while i < buf.len() {
                let c = buf[i];
                if in_string {
                    if escape {
                        escape = false;
                    } else if c == b'\\' {
                        escape = true;
                    } else if c == b'"' {
                        in_string = false;
                        if depth == 0 {
                            col += 1;
                            i += 1;
                            break 'outer i;
                        }
                    }
                } else if scalar {
                    if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n') {
                        break 'outer i;
                    }
                } else {
                    match c {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                col += 1;
                                i += 1;
                                break 'outer i;
                            }
                        }
                        _ => {}
                    }
                }
                if c == b'\n' {
                    line += 1;
                    col = 1;
                } else if c & 0xC0 != 0x80 {
                    col += 1;
                }
                i += 1;
            }
            if i - start > MAX_ITEM_BYTES {
                self.keep = saved_keep;
                return Err(Cut::Bad(
                    start_pos,
                    format!(
                        "an object here is larger than {} MB; podlab reads at most that much at once",
                        MAX_ITEM_BYTES / 1_000_000
                    ),
                ));
            }
            self.i = i;
            self.keep = Some(saved_keep.map_or(start, |k| k.min(start)));
            let (more, dropped) = self.fill_moving()?;
            i -= dropped;
            start -= dropped;
            if !more {
                if scalar {
                    break i;
                }
                self.line = line;
                self.col = col;
                self.keep = saved_keep;
                return Err(Cut::Bad(
                    Pos { line, column: col },
                    "JSON syntax error: the input ends inside a value (is it cut short?)".into(),
                ));
            }
        };
        let bytes = self.buf[start..end].to_vec();
        self.i = end;
        self.line = line;
        self.col = col;
        self.keep = saved_keep;
        Ok((bytes, start_pos))
    }

    /// One line, with its line break; None at the end of the input.
    fn read_line(&mut self) -> io::Result<Option<Vec<u8>>> {
        let saved_keep = self.keep;
        let mut s = self.i;
        loop {
            if let Some(n) = self.buf[self.i..].iter().position(|&c| c == b'\n') {
                let end = self.i + n + 1;
                let line = self.buf[s..end].to_vec();
                self.i = end;
                self.line += 1;
                self.col = 1;
                self.keep = saved_keep;
                return Ok(Some(line));
            }
            self.i = self.buf.len();
            self.keep = Some(saved_keep.map_or(s, |k| k.min(s)));
            let (more, dropped) = self.fill_moving()?;
            s -= dropped;
            if !more {
                self.keep = saved_keep;
                if s >= self.buf.len() {
                    return Ok(None);
                }
                let line = self.buf[s..].to_vec();
                self.i = self.buf.len();
                return Ok(Some(line));
            }
        }
    }
}

/// A top-level entry of the List object other than `items`: key, its position, the value's bytes
/// and position.
type Entry = (String, Pos, Vec<u8>, Pos);

enum State {
    JsonItems {
        first: bool,
        envelope: Vec<Entry>,
        object: Pos,
    },
    YamlItems {
        seq_indent: usize,
        head: Vec<u8>,
        head_lines: usize,
        current: Option<(Vec<u8>, usize)>,
        next_line: usize,
    },
    Done,
}

/// The items of a streamed List, in input order.
pub struct Items<R> {
    input: Input<R>,
    state: State,
    queue: VecDeque<Piece>,
}

impl<R: Read> Iterator for Items<R> {
    type Item = Piece;

    fn next(&mut self) -> Option<Piece> {
        loop {
            if let Some(p) = self.queue.pop_front() {
                return Some(p);
            }
            if matches!(self.state, State::Done) {
                return None;
            }
            let step = match &self.state {
                State::JsonItems { .. } => self.json_step(),
                State::YamlItems { .. } => self.yaml_step(),
                State::Done => Ok(()),
            };
            if let Err(cut) = step {
                let (pos, message) = match cut {
                    Cut::Io(e) => (self.input.pos(), format!("cannot read the input: {e}")),
                    Cut::Bad(pos, message) => (pos, message),
                };
                self.queue.push_back(Piece::Error {
                    document: 0,
                    pos,
                    message,
                });
                self.state = State::Done;
            }
        }
    }
}

fn is_blank_or_comment(rest: &[u8]) -> bool {
    matches!(rest.first(), None | Some(b'\n' | b'\r' | b'#'))
}

fn indent_of(line: &[u8]) -> usize {
    line.iter().take_while(|&&c| c == b' ').count()
}

/// A block sequence entry: `-` followed by a space or the end of the line.
fn is_dash_entry(rest: &[u8]) -> bool {
    rest.first() == Some(&b'-') && matches!(rest.get(1), None | Some(b' ' | b'\n' | b'\r'))
}

fn too_big(pos: Pos) -> Cut {
    Cut::Bad(
        pos,
        format!(
            "an object here is larger than {} MB; podlab reads at most that much at once",
            MAX_ITEM_BYTES / 1_000_000
        ),
    )
}

/// The List's own kind and apiVersion, checked as `manifest` reads a List.
fn check_envelope(object: Pos, kind: Option<&Node>, api: Option<&Node>) -> Result<(), Cut> {
    let (Some(kind_node), Some(api_node)) = (kind, api) else {
        let message = match (kind, api) {
            (None, None) => "this document is not a Kubernetes object: expected a mapping with apiVersion and kind",
            (None, _) => "this object has no 'kind'",
            _ => "this object has no 'apiVersion'",
        };
        return Err(Cut::Bad(object, message.into()));
    };
    let (Some(k), Some(a)) = (kind_node.as_str(), api_node.as_str()) else {
        return Err(Cut::Bad(
            kind_node.pos,
            "'kind' and 'apiVersion' must be strings".into(),
        ));
    };
    if manifest::is_list_kind(k, a) {
        Ok(())
    } else {
        Err(Cut::Bad(
            kind_node.pos,
            format!("the items of this {a} {k} were read as a List's, but only List and the typed lists of v1 (PodList, ...) hold objects to analyse"),
        ))
    }
}

/// Reads the start of a JSON object up to `"items": [`; None when it is not a List.
fn json_envelope<R: Read>(input: &mut Input<R>) -> io::Result<Option<State>> {
    let object = input.pos();
    input.bump();
    let mut envelope = Vec::new();
    loop {
        input.skip_ws()?;
        if input.peek()? != Some(b'"') {
            return Ok(None);
        }
        let (key, key_pos) = match input.cut_json_value() {
            Ok(k) => k,
            Err(Cut::Io(e)) => return Err(e),
            Err(Cut::Bad(..)) => return Ok(None),
        };
        let Ok(Node {
            kind: NodeKind::Str(key),
            ..
        }) = json::read_value(&key, key_pos)
        else {
            return Ok(None);
        };
        input.skip_ws()?;
        if input.peek()? != Some(b':') {
            return Ok(None);
        }
        input.bump();
        input.skip_ws()?;
        if key == "items" && input.peek()? == Some(b'[') {
            input.bump();
            return Ok(Some(State::JsonItems {
                first: true,
                envelope,
                object,
            }));
        }
        let (value, value_pos) = match input.cut_json_value() {
            Ok(v) => v,
            Err(Cut::Io(e)) => return Err(e),
            Err(Cut::Bad(..)) => return Ok(None),
        };
        envelope.push((key, key_pos, value, value_pos));
        input.skip_ws()?;
        match input.peek()? {
            Some(b',') => input.bump(),
            _ => return Ok(None),
        }
    }
}

/// Reads YAML lines up to a top-level `items:` followed by a block sequence; None when the input
/// is something else (another kind of document, several documents, a flow sequence).
fn yaml_envelope<R: Read>(input: &mut Input<R>) -> io::Result<Option<State>> {
    let mut head = Vec::new();
    let mut head_lines = 0;
    let mut seen_content = false;
    let mut found_items = false;
    while let Some(line) = input.read_line()? {
        let indent = indent_of(&line);
        let rest = &line[indent..];
        if is_blank_or_comment(rest) {
            head.extend_from_slice(&line);
            head_lines += 1;
            continue;
        }
        if found_items {
            if !is_dash_entry(rest) {
                return Ok(None);
            }
            return Ok(Some(State::YamlItems {
                seq_indent: indent,
                head,
                head_lines,
                current: Some((dash_to_space(line, indent), head_lines + 1)),
                next_line: head_lines + 2,
            }));
        }
        let marker = |m: &[u8]| {
            line.starts_with(m) && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
        };
        if marker(b"---") {
            if seen_content {
                return Ok(None);
            }
        } else if marker(b"...") || line.starts_with(b"%") {
            return Ok(None);
        } else if indent == 0 {
            seen_content = true;
            if matches!(
                rest.first(),
                Some(b'{' | b'[' | b'-' | b'&' | b'!' | b'*' | b'?')
            ) {
                return Ok(None);
            }
            if let Some(after) = rest.strip_prefix(b"items:") {
                let after = &after[indent_of(after)..];
                if !is_blank_or_comment(after) {
                    return Ok(None);
                }
                found_items = true;
            }
        }
        head.extend_from_slice(&line);
        head_lines += 1;
    }
    Ok(None)
}

fn dash_to_space(mut line: Vec<u8>, indent: usize) -> Vec<u8> {
    // Columns stay as they are: the item's mapping then starts where it stood in the list.
    line[indent] = b' ';
    line
}

impl<R: Read> Items<R> {
    fn json_step(&mut self) -> Result<(), Cut> {
        let State::JsonItems {
            first,
            envelope,
            object,
        } = &mut self.state
        else {
            return Ok(());
        };
        let input = &mut self.input;
        input.skip_ws()?;
        match input.peek()? {
            None => {
                return Err(Cut::Bad(
                    input.pos(),
                    "JSON syntax error: the input ends inside the list's items (is it cut short?)"
                        .into(),
                ))
            }
            Some(b']') => {
                input.bump();
                let mut envelope = std::mem::take(envelope);
                let object = *object;
                self.state = State::Done;
                return json_finish(input, &mut envelope, object);
            }
            Some(b',') if !*first => {
                input.bump();
                input.skip_ws()?;
            }
            Some(_) if *first => {}
            Some(_) => {
                return Err(Cut::Bad(
                    input.pos(),
                    "JSON syntax error: expected ',' or ']' between the list's items".into(),
                ))
            }
        }
        *first = false;
        let (bytes, pos) = input.cut_json_value()?;
        self.queue.push_back(Piece::Json {
            bytes,
            pos,
            document: 0,
        });
        Ok(())
    }

    fn yaml_step(&mut self) -> Result<(), Cut> {
        let State::YamlItems {
            seq_indent,
            head,
            head_lines,
            current,
            next_line,
        } = &mut self.state
        else {
            return Ok(());
        };
        let input = &mut self.input;
        loop {
            let Some(line) = input.read_line()? else {
                if let Some((text, first_line)) = current.take() {
                    self.queue.push_back(Piece::Yaml {
                        text,
                        first_line,
                        document: 0,
                    });
                }
                let (head, head_lines) = (std::mem::take(head), *head_lines);
                let trailer_line = *next_line;
                self.state = State::Done;
                return yaml_finish(head, head_lines, Vec::new(), trailer_line, &mut self.queue);
            };
            let number = *next_line;
            *next_line += 1;
            let indent = indent_of(&line);
            let rest = &line[indent..];
            if is_blank_or_comment(rest) || indent > *seq_indent {
                if let Some((text, first_line)) = current.as_mut() {
                    text.extend_from_slice(&line);
                    if text.len() > MAX_ITEM_BYTES {
                        return Err(too_big(Pos {
                            line: *first_line,
                            column: *seq_indent + 1,
                        }));
                    }
                }
                continue;
            }
            let done = current.take();
            if indent == *seq_indent && is_dash_entry(rest) {
                *current = Some((dash_to_space(line, indent), number));
            } else {
                // The list has ended: the rest is the List object's other keys (and maybe more
                // documents), small enough to read whole.
                let mut trailer = line;
                let limit = MAX_INPUT_BYTES as u64;
                while let Some(l) = input.read_line()? {
                    trailer.extend_from_slice(&l);
                    if trailer.len() as u64 > limit {
                        return Err(too_big(Pos {
                            line: number,
                            column: 1,
                        }));
                    }
                }
                let (head, head_lines) = (std::mem::take(head), *head_lines);
                self.state = State::Done;
                if let Some((text, first_line)) = done {
                    self.queue.push_back(Piece::Yaml {
                        text,
                        first_line,
                        document: 0,
                    });
                }
                return yaml_finish(head, head_lines, trailer, number, &mut self.queue);
            }
            if let Some((text, first_line)) = done {
                self.queue.push_back(Piece::Yaml {
                    text,
                    first_line,
                    document: 0,
                });
                return Ok(());
            }
        }
    }
}

/// Reads the List object's keys after `items` and the end of the input, then checks its kind.
fn json_finish<R: Read>(
    input: &mut Input<R>,
    envelope: &mut Vec<Entry>,
    object: Pos,
) -> Result<(), Cut> {
    loop {
        input.skip_ws()?;
        match input.expect("JSON syntax error: expected ',' or '}'")? {
            b'}' => break,
            b',' => {}
            _ => {
                return Err(Cut::Bad(
                    input.pos(),
                    "JSON syntax error: expected ',' or '}' after the list's items".into(),
                ))
            }
        }
        input.skip_ws()?;
        let (key, key_pos) = input.cut_json_value()?;
        let key = match json::read_value(&key, key_pos) {
            Ok(Node {
                kind: NodeKind::Str(k),
                ..
            }) => k,
            Ok(_) => {
                return Err(Cut::Bad(
                    key_pos,
                    "JSON syntax error: expected a string key".into(),
                ))
            }
            Err(e) => return Err(Cut::Bad(e.pos, e.message)),
        };
        input.skip_ws()?;
        if input.expect("JSON syntax error: expected ':' after a key")? != b':' {
            return Err(Cut::Bad(
                input.pos(),
                "JSON syntax error: expected ':' after a key".into(),
            ));
        }
        input.skip_ws()?;
        let (value, value_pos) = input.cut_json_value()?;
        envelope.push((key, key_pos, value, value_pos));
    }
    input.skip_ws()?;
    if input.peek()?.is_some() {
        return Err(Cut::Bad(
            input.pos(),
            "JSON syntax error: content after the end of the JSON object".into(),
        ));
    }
    let mut kind = None;
    let mut api = None;
    for (key, _, value, pos) in envelope.iter() {
        let node = json::read_value(value, *pos).map_err(|e| Cut::Bad(e.pos, e.message))?;
        match key.as_str() {
            "kind" => kind = Some(node),
            "apiVersion" => api = Some(node),
            _ => {}
        }
    }
    check_envelope(object, kind.as_ref(), api.as_ref())
}

/// Reads the List object without its items (the lines before them and after them), checks its
/// kind, and queues any documents after it.
fn yaml_finish(
    mut head: Vec<u8>,
    head_lines: usize,
    trailer: Vec<u8>,
    trailer_line: usize,
    queue: &mut VecDeque<Piece>,
) -> Result<(), Cut> {
    head.extend_from_slice(&trailer);
    let text = String::from_utf8(head).map_err(|_| {
        Cut::Bad(
            Pos {
                line: trailer_line,
                column: 1,
            },
            "the input is not valid UTF-8 text: it looks like a binary file".into(),
        )
    })?;
    let shift = trailer_line - head_lines - 1;
    let (docs, err) = yaml::read_documents(&text);
    for (document, doc) in docs.into_iter().enumerate() {
        let Some(mut root) = doc.root else { continue };
        shift_lines(&mut root, head_lines, shift);
        if document == 0 {
            check_envelope(root.pos, root.get("kind"), root.get("apiVersion"))?;
        } else {
            queue.push_back(Piece::Node { root, document });
        }
    }
    if let Some(e) = err {
        let mut pos = e.pos;
        if pos.line > head_lines {
            pos.line += shift;
        }
        queue.push_back(Piece::Error {
            document: e.document,
            pos,
            message: e.message,
        });
    }
    Ok(())
}
