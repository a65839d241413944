//! A byte-level reader for the block-style YAML that Kubernetes manifests are written in.
//!
//! It scans the text once, without libyaml's character queue, and feeds the same events (with
//! the same marks) to the same [`Builder`](super::Builder) that libyaml-safer's events go to, so
//! the tree, the duplicate-key records and the limits are built by one piece of code. It handles
//! block mappings and sequences (indentless ones too), plain scalars on one line, quoted scalars
//! on one line, literal and folded block scalars without an indentation indicator, comments,
//! `---`, and flow sequences and mappings of scalars on one line. Anything else — anchors,
//! aliases, tags, `?` keys, multi-line flow collections or scalars, tabs, directives, `...`,
//! unusual characters, odd indentation, anything libyaml would refuse — gives up on the whole
//! document, which is then read by libyaml-safer exactly as before, errors and positions
//! included.

use super::{read_stream, Builder, Document, Extent, Flow, Pos, MAX_DOCUMENTS};
use libyaml_safer::{EventData, MappingStyle, ScalarStyle, SequenceStyle};

/// The document is beyond this reader: read it with libyaml-safer.
#[derive(Debug)]
struct Bail;

type R<T> = Result<T, Bail>;

#[cfg(test)]
thread_local! {
    /// Where the reader last gave up, for the tests.
    static LAST_BAIL: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

#[track_caller]
fn bail() -> Bail {
    #[cfg(test)]
    {
        let line = std::panic::Location::caller().line();
        LAST_BAIL.with(|l| l.set(line));
    }
    Bail
}

/// Reads a stream whose first line is line `line_offset` (0-based) of the input, document by
/// document: with this reader where it can, with libyaml-safer where it cannot. `None` when the
/// stream must be read whole by libyaml-safer: line breaks other than `\n`, a directive, an error
/// in any document (so that the error is reported as one reader reports it), too many documents.
pub(super) fn read_stream_fast(text: &str, line_offset: usize) -> Option<Vec<Document>> {
    if super::odd_line_breaks(text) {
        return None;
    }
    let mut docs = Vec::new();
    for (start, end, line) in segments(text) {
        docs.extend(read_segment(
            &text[start..end],
            line_offset + line,
            Extent::Whole,
        )?);
        if docs.len() > MAX_DOCUMENTS {
            return None;
        }
    }
    Some(docs)
}

/// Reads one piece of a stream cut by [`segments`], whose first line is line `line` (0-based) of
/// the input: with this reader where it can, with libyaml-safer where it cannot. `None` for a
/// directive or an error, which only the whole stream read in one piece reports as it should.
/// `extent` is how much of the tree to build where this reader reads; libyaml-safer always
/// builds the whole.
pub(super) fn read_segment(piece: &str, line: usize, extent: Extent) -> Option<Vec<Document>> {
    if piece.as_bytes().first() == Some(&b'%') || memmem(piece.as_bytes(), b"\n%") {
        return None;
    }
    match read_document(piece, line, extent) {
        Ok(doc) => Some(doc.into_iter().collect()),
        Err(Bail) => {
            let (read, error) = read_stream(piece, line);
            error.is_none().then_some(read)
        }
    }
}

/// Cuts a stream at every line that starts a document (`---` then a blank or the end of the
/// line): (start, end, 0-based line of the start). libyaml reads the pieces alone as it reads
/// them in the stream (see `parallel` in yaml.rs). Not at `...`: a document after one needs a
/// `---` in a stream, but not at the start of a piece.
pub(super) fn segments(text: &str) -> Vec<(usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut pieces = Vec::new();
    let (mut start, mut start_line) = (0, 0);
    // Line breaks counted so far: those in `bytes[..counted]`.
    let (mut counted, mut line) = (0, 0);
    for i in memchr::memmem::find_iter(bytes, b"\n---") {
        let next = i + 1;
        if !matches!(bytes.get(next + 3), None | Some(b' ' | b'\t' | b'\n')) {
            continue;
        }
        line += memchr::memchr_iter(b'\n', &bytes[counted..next]).count();
        counted = next;
        pieces.push((start, next, start_line));
        start = next;
        start_line = line;
    }
    if start < text.len() {
        pieces.push((start, text.len(), start_line));
    }
    pieces
}

fn memmem(hay: &[u8], needle: &[u8; 2]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

fn is_document_marker(rest: &[u8]) -> bool {
    (rest.starts_with(b"---") || rest.starts_with(b"..."))
        && matches!(rest.get(3), None | Some(b' ' | b'\t' | b'\n'))
}

/// Whether every character is one libyaml reads as printable, with no tab: anything else is
/// left to libyaml-safer.
fn plain_characters(text: &str) -> bool {
    let bytes = text.as_bytes();
    // 32 bytes at a time with no branch between them (the compiler makes vector code of it).
    let printable = |b: u8| u8::from(b.wrapping_sub(b' ') < 95) | u8::from(b == b'\n');
    let mut chunks = bytes.chunks_exact(32);
    let ascii = chunks
        .by_ref()
        .all(|c| c.iter().fold(1, |all, b| all & printable(*b)) == 1)
        && chunks.remainder().iter().all(|b| printable(*b) == 1);
    if ascii {
        return true;
    }
    text.chars().all(|c| {
        matches!(c, '\n' | ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
            && c != '\u{feff}'
    })
}

/// Reads one piece of the stream: at most one document, starting with `---` or not.
fn read_document(text: &str, line_offset: usize, extent: Extent) -> R<Option<Document>> {
    if !plain_characters(text) {
        return Err(bail());
    }
    let mut r = Reader {
        ascii: text.is_ascii(),
        counted: std::cell::Cell::new((0, 0, 0)),
        s: text.as_bytes(),
        src: text,
        i: 0,
        line: 0,
        line_start: 0,
        line_offset,
        builder: Builder {
            extent,
            ..Builder::default()
        },
    };
    r.document()
}

/// A scalar read but not yet handed to the builder.
struct Scalar {
    value: String,
    style: ScalarStyle,
    pos: Pos,
}

struct Reader<'a> {
    s: &'a [u8],
    /// The same text as `s`.
    src: &'a str,
    /// Columns are byte offsets when every character is one byte.
    ascii: bool,
    /// Where `pos` last counted to: the line's start, a byte index on it, its 0-based column.
    counted: std::cell::Cell<(usize, usize, usize)>,
    i: usize,
    /// 0-based line of the cursor within the piece, and where that line starts.
    line: usize,
    line_start: usize,
    line_offset: usize,
    builder: Builder,
}

fn blank_or_end(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\n'))
}

impl Reader<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }

    /// The position of byte `i` on the current line; columns count characters, as libyaml's do.
    fn pos(&self, i: usize) -> Pos {
        let chars = if self.ascii {
            i - self.line_start
        } else {
            // Counted on from the last position asked for on this line: a long line with many
            // nodes is not counted over and over.
            let (line_start, mut from, mut chars) = self.counted.get();
            if line_start != self.line_start || from > i {
                (from, chars) = (self.line_start, 0);
            }
            chars += self.s[from..i]
                .iter()
                .filter(|b| (**b & 0xC0) != 0x80)
                .count();
            self.counted.set((self.line_start, i, chars));
            chars
        };
        Pos {
            line: self.line_offset + self.line + 1,
            column: chars + 1,
        }
    }

    fn emit(&mut self, event: EventData, pos: Pos) -> R<Flow> {
        self.builder.on_event(event, pos).map_err(|_| Bail)
    }

    fn scalar(&mut self, s: Scalar) -> R<()> {
        let plain = s.style == ScalarStyle::Plain;
        let event = EventData::Scalar {
            anchor: None,
            tag: None,
            value: s.value,
            plain_implicit: plain,
            quoted_implicit: !plain,
            style: s.style,
        };
        self.emit(event, s.pos).map(|_| ())
    }

    fn document(&mut self) -> R<Option<Document>> {
        let explicit = self.s.starts_with(b"---");
        if explicit {
            let pos = self.pos(0);
            self.emit(document_start(false), pos)?;
            self.i = 3;
            self.finish_line()?;
        }
        match self.peek_line()? {
            None if !explicit => return Ok(None),
            None => {}
            Some(indent) => {
                if !explicit {
                    let pos = self.pos(self.i);
                    self.emit(document_start(true), pos)?;
                }
                if !matches!(self.at(self.i), Some(b'[' | b'{' | b'-')) && !self.starts_key()? {
                    // A scalar document: its folding rules are not worth handling here.
                    return Err(bail());
                }
                self.block_node(-1, indent)?;
                if self.peek_line()?.is_some() {
                    return Err(bail());
                }
            }
        }
        let pos = self.pos(self.i.min(self.line_start));
        match self.emit(EventData::DocumentEnd { implicit: true }, pos)? {
            Flow::Document(doc) => Ok(Some(doc)),
            _ => Err(bail()),
        }
    }

    /// Skips blank and comment lines from the start of a line; leaves the cursor on the first
    /// character of the next line with content and returns its indentation, or `None` at the end.
    fn peek_line(&mut self) -> R<Option<usize>> {
        if self.i > self.line_start {
            return Ok(Some(self.i - self.line_start));
        }
        loop {
            let mut j = self.i;
            while self.at(j) == Some(b' ') {
                j += 1;
            }
            match self.at(j) {
                None => {
                    self.i = self.s.len();
                    return Ok(None);
                }
                Some(b'\n') => self.next_line(j + 1),
                Some(b'#') => self.next_line(self.line_end(j) + 1),
                Some(b) => {
                    if j == self.i && (b == b'%' || is_document_marker(&self.s[j..])) {
                        return Err(bail());
                    }
                    self.i = j;
                    return Ok(Some(j - self.line_start));
                }
            }
        }
    }

    fn next_line(&mut self, start: usize) {
        self.i = start.min(self.s.len());
        self.line += 1;
        self.line_start = self.i;
    }

    /// The index of the `\n` ending the line that holds byte `j` (or the end of the text).
    fn line_end(&self, j: usize) -> usize {
        self.s[j..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(self.s.len(), |k| j + k)
    }

    /// After a node: only blanks and a comment may follow on its line.
    fn finish_line(&mut self) -> R<()> {
        let mut j = self.i;
        while self.at(j) == Some(b' ') {
            j += 1;
        }
        match self.at(j) {
            None => {
                self.i = j;
                Ok(())
            }
            Some(b'\n') => {
                self.next_line(j + 1);
                Ok(())
            }
            Some(b'#') if j == self.line_start || self.s[j - 1] == b' ' => {
                self.next_line(self.line_end(j) + 1);
                Ok(())
            }
            _ => Err(bail()),
        }
    }

    fn skip_spaces(&mut self) {
        while self.at(self.i) == Some(b' ') {
            self.i += 1;
        }
    }

    fn is_entry(&self) -> bool {
        self.at(self.i) == Some(b'-') && blank_or_end(self.s.get(self.i + 1))
    }

    /// Whether the cursor stands on a mapping key (a scalar on one line followed by `: `).
    fn starts_key(&mut self) -> R<bool> {
        let (i, line, line_start) = (self.i, self.line, self.line_start);
        let key = match self.at(self.i) {
            Some(b'"' | b'\'') => self.quoted().map(|_| ()),
            _ => self.plain_block(None).map(|_| ()),
        };
        let is_key = key.is_ok() && self.colon_follows();
        (self.i, self.line, self.line_start) = (i, line, line_start);
        Ok(is_key)
    }

    fn colon_follows(&mut self) -> bool {
        self.skip_spaces();
        self.at(self.i) == Some(b':') && blank_or_end(self.s.get(self.i + 1))
    }

    /// A node in block context at column `column`, inside a block collection at column
    /// `parent` (-1 at the top). The cursor stands on its first character.
    fn block_node(&mut self, parent: i64, column: usize) -> R<()> {
        match self.at(self.i) {
            Some(b'-') if blank_or_end(self.s.get(self.i + 1)) => self.block_seq(column),
            Some(b'[' | b'{') => {
                self.flow(parent >= 0)?;
                self.finish_line()
            }
            Some(b'|' | b'>') if parent >= 0 => self.block_scalar(parent as usize),
            Some(b'"' | b'\'') => {
                let line = self.line;
                let s = self.quoted_in((parent >= 0).then_some(parent as usize))?;
                if self.line == line {
                    return self.scalar_or_map(s, column);
                }
                // Over several lines it can only be a value: libyaml's keys hold one line.
                if self.colon_follows() {
                    return Err(bail());
                }
                self.scalar(s)?;
                self.finish_line()
            }
            Some(_) => {
                let s = self.plain_block((parent >= 0).then_some(parent as usize))?;
                self.scalar_or_map(s, column)
            }
            None => Err(bail()),
        }
    }

    fn scalar_or_map(&mut self, s: Scalar, column: usize) -> R<()> {
        if self.colon_follows() {
            self.block_map(s, column)
        } else {
            self.scalar(s)?;
            self.finish_line()
        }
    }

    /// A block mapping at `column` whose first key has been read; the cursor is on its `:`.
    fn block_map(&mut self, first_key: Scalar, column: usize) -> R<()> {
        self.emit(mapping_start(MappingStyle::Block), first_key.pos)?;
        let mut key = first_key;
        loop {
            if key.value.len() > 1000 {
                return Err(bail()); // libyaml's simple keys end at 1024 characters
            }
            self.scalar(key)?;
            // The cursor is on the ':'.
            self.i += 1;
            let after_colon = self.pos(self.i);
            self.skip_spaces();
            if matches!(self.at(self.i), None | Some(b'\n' | b'#')) {
                self.finish_line()?;
                match self.peek_line()? {
                    Some(indent) if indent > column => self.block_node(column as i64, indent)?,
                    Some(indent) if indent == column && self.is_entry() => {
                        self.block_seq(column)?
                    }
                    _ => self.scalar(Scalar {
                        value: String::new(),
                        style: ScalarStyle::Plain,
                        pos: after_colon,
                    })?,
                }
            } else {
                self.inline_value(column)?;
            }
            match self.peek_line()? {
                None => break,
                Some(indent) if indent < column => break,
                Some(indent) if indent == column && !self.is_entry() => {}
                Some(_) => return Err(bail()),
            }
            key = match self.at(self.i) {
                Some(b'"' | b'\'') => self.quoted()?,
                _ => self.plain_block(None)?,
            };
            if !self.colon_follows() {
                return Err(bail());
            }
        }
        self.emit(EventData::MappingEnd, self.pos(self.i))
            .map(|_| ())
    }

    /// A value on the line of its key.
    fn inline_value(&mut self, parent: usize) -> R<()> {
        match self.at(self.i) {
            Some(b'|' | b'>') => self.block_scalar(parent),
            Some(b'[' | b'{') => {
                self.flow(true)?;
                self.finish_line()
            }
            Some(b'"' | b'\'') => {
                let s = self.quoted_in(Some(parent))?;
                self.scalar(s)?;
                self.finish_line()
            }
            Some(b'-') if blank_or_end(self.s.get(self.i + 1)) => Err(bail()),
            _ => {
                let s = self.plain_block(Some(parent))?;
                self.scalar(s)?;
                self.finish_line()
            }
        }
    }

    /// A block sequence at `column`; the cursor is on its first `-`.
    fn block_seq(&mut self, column: usize) -> R<()> {
        let pos = self.pos(self.i);
        self.emit(sequence_start(SequenceStyle::Block), pos)?;
        loop {
            self.i += 1;
            self.skip_spaces();
            if matches!(self.at(self.i), None | Some(b'\n' | b'#')) {
                return Err(bail()); // an entry on the next lines, or an empty one
            }
            let at = self.i - self.line_start;
            self.block_node(column as i64, at)?;
            match self.peek_line()? {
                Some(indent) if indent == column && self.is_entry() => {}
                Some(indent) if indent > column => return Err(bail()),
                _ => break,
            }
        }
        self.emit(EventData::SequenceEnd, self.pos(self.i))
            .map(|_| ())
    }

    /// A plain scalar in block context. A value (inside a block collection at column `parent`)
    /// may go on over lines indented more than the collection, folded into one.
    fn plain_block(&mut self, parent: Option<usize>) -> R<Scalar> {
        let start = self.i;
        let first = self.at(start).ok_or(Bail)?;
        if b",[]{}#&*!|>'\"%@`".contains(&first)
            || (b"-?:".contains(&first) && blank_or_end(self.s.get(start + 1)))
        {
            return Err(bail());
        }
        let pos = self.pos(start);
        let (end, stop) = self.plain_line(start);
        self.i = stop;
        // Below what the builder keeps the text is not copied: the builder drops it unread. A
        // long one is, for `block_map`'s check of a key's length (a key holds one line).
        let keep = end - start > 1000 || !self.builder.beyond_extent(false);
        let mut value = if keep {
            text(self.src, start, end)?
        } else {
            String::new()
        };
        if let (Some(parent), Some(b'\n')) = (parent, self.at(stop)) {
            self.plain_continuation(parent, keep.then_some(&mut value))?;
        }
        Ok(Scalar {
            value,
            style: ScalarStyle::Plain,
            pos,
        })
    }

    /// The end of a plain scalar's text on the line from `start` (trailing blanks left out), and
    /// where the scan stopped: a line break, `: `, or ` #`.
    fn plain_line(&self, start: usize) -> (usize, usize) {
        let mut j = start;
        while let Some(b) = self.at(j) {
            match b {
                b'\n' => break,
                b':' if blank_or_end(self.s.get(j + 1)) => break,
                b' ' if self.at(j + 1) == Some(b'#') => break,
                _ => j += 1,
            }
        }
        let mut end = j;
        while end > start && self.s[end - 1] == b' ' {
            end -= 1;
        }
        (end, j)
    }

    /// Lines that carry on a plain scalar: each indented more than `parent`, joined by a space,
    /// or by one line break per blank line between them. The cursor is on the `\n` of the
    /// scalar's first line and ends after the text of its last. Without `value` the lines are
    /// read and checked, not copied.
    fn plain_continuation(&mut self, parent: usize, mut value: Option<&mut String>) -> R<()> {
        let (mut j, mut line, mut blanks) = (self.i + 1, self.line + 1, 0usize);
        loop {
            let line_start = j;
            while self.at(j) == Some(b' ') {
                j += 1;
            }
            match self.at(j) {
                None => return Ok(()),
                Some(b'\n') => {
                    blanks += 1;
                    j += 1;
                    line += 1;
                    continue;
                }
                Some(_) if j - line_start <= parent => return Ok(()),
                // A comment ends the scalar.
                Some(b'#') => return Ok(()),
                Some(b'-' | b'?' | b':') if blank_or_end(self.s.get(j + 1)) => return Err(bail()),
                Some(_) => {}
            }
            let (end, stop) = self.plain_line(j);
            if self.at(stop) != Some(b'\n') {
                return Err(bail()); // `: ` or a comment inside: left to libyaml
            }
            if let Some(value) = value.as_deref_mut() {
                if blanks == 0 {
                    value.push(' ');
                }
                for _ in 0..blanks {
                    value.push('\n');
                }
                value.push_str(slice(self.src, j, end)?);
            }
            (self.i, self.line, self.line_start, blanks) = (stop, line, line_start, 0);
            j = stop + 1;
            line += 1;
        }
    }

    /// A single- or double-quoted scalar closed on its line.
    fn quoted(&mut self) -> R<Scalar> {
        self.quoted_in(None)
    }

    /// A single- or double-quoted scalar. As a value inside a block collection at column
    /// `parent` it may go on over lines indented more than the collection, folded as libyaml
    /// folds them (scanner.c `yaml_parser_scan_flow_scalar`): blanks before a line break are
    /// dropped, a single break becomes a space, each empty line after it a line break, the next
    /// line's leading blanks are dropped, and an escaped break (`\` at the end of a line, double
    /// quotes only) joins the lines without a space. A line no more indented than the collection,
    /// or the end of the text inside the quotes, is left to libyaml (as is any tab or carriage
    /// return: `plain_characters` hands their documents over before this reader starts).
    fn quoted_in(&mut self, parent: Option<usize>) -> R<Scalar> {
        let start = self.i;
        let pos = self.pos(start);
        let quote = self.s[start];
        let mut value = Vec::new();
        // Blanks read since the last content, written out only if content follows on the line.
        let mut blanks: Option<usize> = None;
        let (mut line, mut line_start) = (self.line, self.line_start);
        let mut j = start + 1;
        loop {
            let b = self.at(j).ok_or(Bail)?;
            let escaped_break = b == b'\\' && quote == b'"' && self.at(j + 1) == Some(b'\n');
            if b == b'\n' || escaped_break {
                let Some(parent) = parent else {
                    return Err(bail());
                };
                if escaped_break {
                    if let Some(from) = blanks {
                        value.extend_from_slice(&self.s[from..j]);
                    }
                    j += 1;
                }
                blanks = None;
                // Empty lines, then the next line with content, indented past the collection.
                let mut breaks = 0;
                loop {
                    j += 1;
                    line += 1;
                    line_start = j;
                    while self.at(j) == Some(b' ') {
                        j += 1;
                    }
                    match self.at(j).ok_or(Bail)? {
                        b'\n' => breaks += 1,
                        _ if j - line_start <= parent => return Err(bail()),
                        _ => break,
                    }
                }
                let fold: &[u8] = if breaks == 0 && !escaped_break {
                    b" "
                } else {
                    b""
                };
                value.extend_from_slice(fold);
                value.resize(value.len() + breaks, b'\n');
                continue;
            }
            if b == b' ' {
                blanks.get_or_insert(j);
                j += 1;
                continue;
            }
            if let Some(from) = blanks.take() {
                value.extend_from_slice(&self.s[from..j]);
            }
            match b {
                b'\'' if quote == b'\'' => {
                    if self.at(j + 1) == Some(b'\'') {
                        value.push(b'\'');
                        j += 2;
                    } else {
                        break;
                    }
                }
                b'"' if quote == b'"' => break,
                b'\\' if quote == b'"' => {
                    j = self.escape(j + 1, &mut value)?;
                }
                _ => {
                    value.push(b);
                    j += 1;
                }
            }
        }
        (self.line, self.line_start) = (line, line_start);
        self.i = j + 1;
        let style = if quote == b'"' {
            ScalarStyle::DoubleQuoted
        } else {
            ScalarStyle::SingleQuoted
        };
        Ok(Scalar {
            value: String::from_utf8(value).map_err(|_| Bail)?,
            style,
            pos,
        })
    }

    /// An escape in a double-quoted scalar whose letter is at `j`; returns where the text goes on.
    fn escape(&self, j: usize, out: &mut Vec<u8>) -> R<usize> {
        let simple = match self.at(j).ok_or(Bail)? {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\x0B',
            b'f' => '\x0C',
            b'r' => '\r',
            b'e' => '\x1B',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            letter @ (b'x' | b'u' | b'U') => {
                let len = match letter {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let digits = self.s.get(j + 1..j + 1 + len).ok_or(Bail)?;
                if !digits.iter().all(u8::is_ascii_hexdigit) {
                    return Err(bail());
                }
                let code = u32::from_str_radix(std::str::from_utf8(digits).map_err(|_| Bail)?, 16)
                    .map_err(|_| Bail)?;
                let c = char::from_u32(code).ok_or(Bail)?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(j + 1 + len);
            }
            _ => return Err(bail()),
        };
        out.extend_from_slice(simple.encode_utf8(&mut [0; 4]).as_bytes());
        Ok(j + 1)
    }

    /// A literal (`|`) or folded (`>`) scalar whose content is indented more than the block
    /// collection at `parent`; the cursor is on the indicator.
    fn block_scalar(&mut self, parent: usize) -> R<()> {
        let start = self.i;
        let pos = self.pos(start);
        let literal = self.s[start] == b'|';
        self.i += 1;
        let chomp = match self.at(self.i) {
            Some(b'-') => -1,
            Some(b'+') => 1,
            _ => 0,
        };
        if chomp != 0 {
            self.i += 1;
        }
        if !matches!(self.at(self.i), None | Some(b' ' | b'\n')) {
            return Err(bail()); // an indentation indicator, or anything else
        }
        self.finish_line()?;
        // The first line with text sets the indentation (libyaml takes the most spaces of it and
        // of the blank lines before it; more spaces on a blank line are left to libyaml).
        let (mut at, mut widest_blank, mut blank_lines) = (self.i, 0, 0);
        let first = loop {
            let mut j = at;
            while self.at(j) == Some(b' ') {
                j += 1;
            }
            if self.at(j) != Some(b'\n') {
                break j - at;
            }
            (widest_blank, blank_lines, at) = (widest_blank.max(j - at), blank_lines + 1, j + 1);
        };
        if blank_lines > 0 && (widest_blank > first || first <= parent || at >= self.s.len()) {
            return Err(bail());
        }
        let indent = first.max(parent + 1);
        let mut out = String::new();
        let (mut leading_break, mut trailing_breaks, mut leading_blank) = (false, 0usize, false);
        if first >= indent && self.i < self.s.len() {
            loop {
                let ls = self.i;
                let mut j = ls;
                while j < ls + indent && self.at(j) == Some(b' ') {
                    j += 1;
                }
                if self.at(j) == Some(b'\n') {
                    trailing_breaks += 1;
                    self.next_line(j + 1);
                    continue;
                }
                if j < ls + indent || self.at(j).is_none() {
                    break;
                }
                let trailing_blank = self.at(j) == Some(b' ');
                if !literal && leading_break && !leading_blank && !trailing_blank {
                    if trailing_breaks == 0 {
                        out.push(' ');
                    }
                } else if leading_break {
                    out.push('\n');
                }
                for _ in 0..trailing_breaks {
                    out.push('\n');
                }
                trailing_breaks = 0;
                leading_blank = trailing_blank;
                let end = self.line_end(j);
                out.push_str(slice(self.src, j, end)?);
                leading_break = true;
                self.next_line(end + 1);
            }
        }
        if chomp != -1 && leading_break {
            out.push('\n');
        }
        if chomp == 1 {
            for _ in 0..trailing_breaks {
                out.push('\n');
            }
        }
        let style = if literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.scalar(Scalar {
            value: out,
            style,
            pos,
        })
    }

    /// A flow sequence or mapping of scalars; the cursor is on `[` or `{`. Inside a block
    /// collection it may go on over lines (between its entries, with comments and empty lines);
    /// a document that is one closes on its line.
    fn flow(&mut self, inside_block: bool) -> R<()> {
        let pos = self.pos(self.i);
        let map = self.s[self.i] == b'{';
        let close = if map { b'}' } else { b']' };
        let start = if map {
            mapping_start(MappingStyle::Flow)
        } else {
            sequence_start(SequenceStyle::Flow)
        };
        self.emit(start, pos)?;
        self.i += 1;
        self.flow_space(inside_block)?;
        if self.at(self.i) == Some(close) {
            self.i += 1;
        } else {
            loop {
                let s = self.flow_scalar(close)?;
                self.scalar(s)?;
                self.flow_space(inside_block)?;
                if map {
                    if !self.colon_follows() || self.at(self.i + 1) != Some(b' ') {
                        return Err(bail());
                    }
                    self.i += 1;
                    self.flow_space(inside_block)?;
                    let v = self.flow_scalar(close)?;
                    self.scalar(v)?;
                    self.flow_space(inside_block)?;
                }
                match self.at(self.i) {
                    Some(b',') => {
                        self.i += 1;
                        self.flow_space(inside_block)?;
                        // A comma may end the entries, as in `[a, b,]`.
                        if self.at(self.i) == Some(close) {
                            self.i += 1;
                            break;
                        }
                    }
                    Some(b) if b == close => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(bail()),
                }
            }
        }
        let end = if map {
            EventData::MappingEnd
        } else {
            EventData::SequenceEnd
        };
        self.emit(end, self.pos(self.i)).map(|_| ())
    }

    /// Blanks between the entries of a flow collection and, inside a block collection, line
    /// breaks, empty lines and comments, up to content on a later line.
    fn flow_space(&mut self, inside_block: bool) -> R<()> {
        loop {
            self.skip_spaces();
            match self.at(self.i) {
                Some(b'#') if self.i == self.line_start || self.s[self.i - 1] == b' ' => {
                    self.i = self.line_end(self.i);
                }
                Some(b'\n') => {
                    if !inside_block {
                        return Err(bail());
                    }
                    self.next_line(self.i + 1);
                    let mut j = self.i;
                    while self.at(j) == Some(b' ') {
                        j += 1;
                    }
                    // libyaml checks no indentation inside a flow collection (scanner.c
                    // `yaml_parser_unroll_indent` returns at once there); only a line at column 0
                    // could start a document marker.
                    match self.at(j).ok_or(Bail)? {
                        b'\n' => {}
                        _ if j == self.line_start => return Err(bail()),
                        _ => {}
                    }
                    self.i = j;
                }
                _ => return Ok(()),
            }
        }
    }

    /// A scalar inside a flow collection closed by `close`. A plain one ends at a line break
    /// only where what follows the break (past blanks and empty lines) would end it too: the
    /// next entry's comma, the closing bracket, or a comment; otherwise libyaml folds it.
    fn flow_scalar(&mut self, close: u8) -> R<Scalar> {
        let start = self.i;
        let first = self.at(start).ok_or(Bail)?;
        if first == b'"' || first == b'\'' {
            return self.quoted();
        }
        if b",[]{}#&*!|>'\"%@`?:".contains(&first)
            || (first == b'-'
                && matches!(
                    self.at(start + 1),
                    None | Some(b' ' | b'\n' | b',' | b']' | b'}')
                ))
        {
            return Err(bail());
        }
        let mut j = start;
        loop {
            match self.at(j).ok_or(Bail)? {
                b',' | b']' | b'}' => break,
                b':' if self.at(j + 1) == Some(b' ') => break,
                b'\n' if self.ends_flow_line(j + 1, close) => break,
                b'\n' | b'#' | b':' | b'[' | b'{' => return Err(bail()),
                _ => j += 1,
            }
        }
        let mut end = j;
        while end > start && self.s[end - 1] == b' ' {
            end -= 1;
        }
        self.i = j;
        Ok(Scalar {
            value: text(self.src, start, end)?,
            style: ScalarStyle::Plain,
            pos: self.pos(start),
        })
    }

    /// Whether the plain scalar before the line break at `j - 1` ends there: the first content
    /// after it is a comma, the bracket `close`, or a comment.
    fn ends_flow_line(&self, mut j: usize, close: u8) -> bool {
        loop {
            while self.at(j) == Some(b' ') {
                j += 1;
            }
            match self.at(j) {
                Some(b'\n') => j += 1,
                Some(b) => return b == b',' || b == close || b == b'#',
                None => return false,
            }
        }
    }
}

/// `text[start..end]` owned: the slice of a `str` between two character boundaries needs no
/// second check that it is UTF-8.
fn text(text: &str, start: usize, end: usize) -> R<String> {
    slice(text, start, end).map(str::to_owned)
}

fn slice(text: &str, start: usize, end: usize) -> R<&str> {
    text.get(start..end).ok_or(Bail)
}

fn document_start(implicit: bool) -> EventData {
    EventData::DocumentStart {
        version_directive: None,
        tag_directives: Vec::new(),
        implicit,
    }
}

fn mapping_start(style: MappingStyle) -> EventData {
    EventData::MappingStart {
        anchor: None,
        tag: None,
        implicit: true,
        style,
    }
}

fn sequence_start(style: SequenceStyle) -> EventData {
    EventData::SequenceStart {
        anchor: None,
        tag: None,
        implicit: true,
        style,
    }
}

/// Reads `text` with this reader and with libyaml-safer alone, and says where they differ: for
/// the differential fuzz target. Every document this reader reads must read the same (tree,
/// positions, duplicate keys) with libyaml-safer and without its error; the stream must give
/// the same documents and error as libyaml-safer alone.
pub fn differential(text: &str) -> Result<(), String> {
    let same = |a: &[Document], b: &[Document]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.pos == y.pos && x.root == y.root && x.duplicates == y.duplicates)
    };
    let (whole, error) = read_stream(text, 0);
    if let Some(fast) = read_stream_fast(text, 0) {
        if error.is_some() || !same(&fast, &whole) {
            return Err(format!("stream: {fast:?}\nlibyaml: {whole:?} {error:?}"));
        }
    }
    if super::odd_line_breaks(text) {
        return Ok(());
    }
    for (start, end, line) in segments(text) {
        let piece = &text[start..end];
        if let Ok(doc) = read_document(piece, line, Extent::Whole) {
            let fast: Vec<Document> = doc.into_iter().collect();
            let (lib, error) = read_stream(piece, line);
            if error.is_some() || !same(&fast, &lib) {
                return Err(format!("{piece:?}: {fast:?}\nlibyaml: {lib:?} {error:?}"));
            }
        }
    }
    Ok(())
}

/// The differential test: this reader against libyaml-safer on every manifest the project holds
/// and on generated tricky text. Wherever this reader reads a document, libyaml-safer must read
/// the same tree (values, kinds, lines, columns, duplicate keys) without an error; the stream
/// as a whole must read as libyaml-safer reads it.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{read_documents, YamlError};
    use std::path::Path;

    /// `segments` as a plain loop over every byte: what the searching version must return.
    fn segments_byte_by_byte(text: &str) -> Vec<(usize, usize, usize)> {
        let bytes = text.as_bytes();
        let mut pieces = Vec::new();
        let (mut start, mut start_line, mut line) = (0, 0, 0);
        for (i, b) in bytes.iter().enumerate() {
            if *b != b'\n' {
                continue;
            }
            line += 1;
            let next = i + 1;
            let rest = &bytes[next..];
            let marker = rest.starts_with(b"---")
                && matches!(rest.get(3), None | Some(b' ' | b'\t' | b'\n'));
            if marker && next > start {
                pieces.push((start, next, start_line));
                start = next;
                start_line = line;
            }
        }
        if start < text.len() {
            pieces.push((start, text.len(), start_line));
        }
        pieces
    }

    /// The check 32 bytes at a time says what one byte at a time says, for every ASCII byte at
    /// the start, the middle and the end of a chunk and in the bytes after the last chunk.
    #[test]
    fn printable_ascii_is_checked_as_one_byte_at_a_time() {
        for b in 0u8..128 {
            for at in [0, 5, 31, 32, 63, 64, 70] {
                let mut bytes = vec![b'a'; 71];
                bytes[at] = b;
                let text = std::str::from_utf8(&bytes).unwrap();
                let one_at_a_time = (b' '..=b'~').contains(&b) || b == b'\n';
                assert_eq!(plain_characters(text), one_at_a_time, "byte {b} at {at}");
            }
        }
    }

    #[test]
    fn segments_are_the_byte_loops() {
        let cases = [
            "",
            "---",
            "---\n",
            "\n---",
            "\n---\n---\n",
            "a: 1\n---\nb: 2\n--- \nc: 3\n---\td\n---x\n----\n ---\n---",
            "a\n\n---\n\n\n---\n",
            "k: |\n  ---\n---\nx\n...\n---\n",
        ];
        for c in cases {
            assert_eq!(segments(c), segments_byte_by_byte(c), "{c:?}");
        }
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/files");
        let mut all = String::new();
        for e in std::fs::read_dir(corpus).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            assert_eq!(segments(&text), segments_byte_by_byte(&text));
            all += "---\n";
            all += &text;
        }
        assert!(segments(&all).len() > 56);
        assert_eq!(segments(&all), segments_byte_by_byte(&all));
    }

    proptest::proptest! {
        #[test]
        fn segments_are_the_byte_loops_for_any_text(text in "[-\n \ta\u{e9}.]{0,64}") {
            proptest::prop_assert_eq!(segments(&text), segments_byte_by_byte(&text));
        }
    }

    /// Documents this reader read, and documents it left to libyaml-safer.
    #[derive(Default, Debug)]
    struct Tally {
        fast: usize,
        fallback: usize,
    }

    fn check(text: &str, tally: &mut Tally) {
        let owned;
        let text = if text.ends_with('\n') {
            text
        } else {
            owned = format!("{text}\n");
            &owned
        };
        if let Err(diff) = differential(text) {
            panic!("{text:?}: {diff}");
        }
        // And through the entry point, pieces on every core included.
        let (whole, error): (Vec<Document>, Option<YamlError>) = read_stream(text, 0);
        let (docs, err) = read_documents(text);
        assert_eq!(err, error, "{text:?}");
        assert_eq!(docs.len(), whole.len().min(docs.len()), "{text:?}");
        for (a, b) in docs.iter().zip(&whole) {
            assert!(a.pos == b.pos && a.root == b.root, "{text:?}");
        }
        if super::super::odd_line_breaks(text) {
            return;
        }
        for (start, end, line) in segments(text) {
            match read_document(&text[start..end], line, Extent::Whole) {
                Ok(_) => tally.fast += 1,
                Err(Bail) => {
                    tally.fallback += 1;
                    if std::env::var("PODLAB_SHOW_FALLBACK").is_ok() {
                        eprintln!(
                            "FALLBACK at fast.rs:{} {} bytes: {:?}",
                            LAST_BAIL.with(|l| l.get()),
                            end - start,
                            &text[start..(start + 100).min(end)]
                        );
                    }
                }
            }
        }
    }

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return out;
        };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                out.extend(files(&path));
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
        out.sort();
        out
    }

    fn project_inputs() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut all = Vec::new();
        for dir in [
            "../shared/corpus/files",
            "../shared/corpus/reject",
            "static/examples",
            "static/workshop",
            "examples",
            "crates/engine/tests",
        ] {
            all.extend(
                files(&root.join(dir))
                    .into_iter()
                    .filter(|(name, _)| !name.ends_with(".rs") && !name.ends_with(".json")),
            );
        }
        all
    }

    #[test]
    fn reads_every_project_manifest_as_libyaml_does() {
        let inputs = project_inputs();
        assert!(inputs.len() > 50, "only {} inputs found", inputs.len());
        let mut tally = Tally::default();
        for (_, text) in &inputs {
            check(text, &mut tally);
        }
        eprintln!("{tally:?}");
        // The point of the reader: almost every real document must be read by it.
        assert!(
            tally.fast > 10 * tally.fallback.max(1),
            "{tally:?}: too many documents left to libyaml"
        );
    }

    /// Every line of every corpus file changed in ways that break or bend YAML.
    #[test]
    fn reads_mutated_manifests_as_libyaml_does() {
        let mut tally = Tally::default();
        for (_, text) in project_inputs().iter().take(20) {
            let lines: Vec<&str> = text.lines().collect();
            for i in (0..lines.len().min(60)).step_by(3) {
                for m in 0..8 {
                    let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                    let l = &mut changed[i];
                    match m {
                        0 => l.insert(0, ' '),
                        1 => {
                            if l.starts_with(' ') {
                                l.remove(0);
                            }
                        }
                        2 => l.push_str(" # note: x"),
                        3 => l.push(':'),
                        4 => *l = l.replacen(' ', "\t", 1),
                        5 => *l = l.replacen(": ", ": \"", 1),
                        6 => *l = l.replacen(": ", ":\n  ", 1),
                        _ => changed.insert(i, String::new()),
                    }
                    check(&changed.join("\n"), &mut tally);
                }
            }
        }
    }

    /// Quoted values over several lines are read here, not handed to libyaml, and read as it
    /// reads them (the differential check); the unusual ones are still handed over.
    #[test]
    fn quoted_values_over_lines_are_read_here() {
        let ours = [
            ("a: \"x  \n   y\n\n  z\"\n", "x y\nz"),
            ("a: 'it''s\n  folded'  # c\n", "it's folded"),
            ("a: \"joined\\\n   here \\\n\n  and\"\n", "joinedhere \nand"),
            ("- k: \"\n    x\n    \"\n", " x "),
            ("a: \"x\n  y\"\n", "x y"),
            ("- \"start \\\n   --flag\"\n", "start --flag"),
            ("a:\n  - 'x\n    y'\n", "x y"),
        ];
        for (text, value) in ours {
            read_here(&[text]);
            let doc = read_document(text, 0, Extent::Whole).unwrap().unwrap();
            let root = doc.root.unwrap();
            let node = match root.get("a") {
                Some(a) if a.as_str().is_none() => &a.items()[0],
                Some(a) => a,
                None if root.items()[0].as_str().is_some() => &root.items()[0],
                None => root.items()[0].get("k").unwrap(),
            };
            assert_eq!(node.as_str(), Some(value), "{text:?}");
        }
        handed_over(&[
            "a: \"x\ny\"\n",
            "a: \"x\n\ty\"\n",
            "a:\n  b: \"x\n  y\"\n",
            "a: \"x\n  y\": 1\n",
            "- \"x\n  y\": 1\n",
            "- \"x\ny\"\n",
        ]);
    }

    /// Each text reads the same with both readers, and this one reads it.
    fn read_here(texts: &[&str]) {
        for text in texts {
            let mut tally = Tally::default();
            check(text, &mut tally);
            assert_eq!((tally.fast, tally.fallback), (1, 0), "{text:?}");
        }
    }

    /// Each text reads the same with both readers, and this one hands it to libyaml.
    fn handed_over(texts: &[&str]) {
        for text in texts {
            let mut tally = Tally::default();
            check(text, &mut tally);
            assert_eq!(tally.fast, 0, "{text:?}");
        }
    }

    /// Flow collections over several lines are read here, and read as libyaml reads them; the
    /// unusual ones are still handed over.
    #[test]
    fn flow_collections_over_lines_are_read_here() {
        read_here(&[
            "a: [x,\n  y]\n",
            "a: [\n  \"x\",\n\n  'y' # c\n  ]\nb: 1\n",
            "a: {k: 1,\n  j: 2, # c\n  # c\n  l: v\n  }\n",
            "- [1, 2,\n   3]\n- b\n",
            "a:\n  - [p,\n     q\n    ]\n",
            "a: [x  \n , y]\n",
            "a: [x,\n  ]\nb: {k: v, }\n",
            "  a: [\n   x,\n y\n  ]\n",
            "a:\n  b: [\n    x\n  ]\n",
        ]);
        handed_over(&[
            "a: [x\n  y]\n",
            "[x,\n  y]\n",
            "a: {k\n  : 1}\n",
            "a: {k:\n  1}\n",
            "a: [x,\n# c\n  y]\n",
            "a: [x,\n---\n]\n",
            "a: [x\n  ]: 1\n",
        ]);
    }

    #[test]
    fn reads_tricky_snippets_as_libyaml_does() {
        let snippets = [
            "a: 1\n",
            "a:\n",
            "a:\nb: 2\n",
            "a:   # c\n  b: 1\n",
            "a:\n- 1\n- 2\nb: 3\n",
            "a:\n  - 1\n  -  2\n",
            "- a\n- b: 1\n  c: 2\n- - x\n  - y\n",
            "- \"q\": 1\n  'r': 2\n",
            "a: 'it''s'\nb: \"x\\ty\\u00e9\\n\\\\\\\"\"\n",
            "a: \"\\x41\\U0001F600\\N\\_\\L\\P\\/\\e\\0\"\n",
            "a: \"\\ud800\"\n",
            "a: \"\\q\"\n",
            "a: |\n  x\n  y\n",
            "a: |-\n  x\n\n  y\n\n\nb: 1\n",
            "a: |+\n  x\n\n\nb: 1\n",
            "a: >\n  x\n  y\n\n  z\n   more\n  back\n",
            "a: >-\n  folded\n  text\n",
            "a: >+\n  x\n\n",
            "a: |\n\n  x\n",
            "a: |\n  \n\n  x\n   \n  y\n",
            "a: |+\n \n\n  x\n",
            "a: >\n    \n  x\n",
            "a: |\n\n\nb: 1\n",
            "a: |-\n\n",
            "- |\n\n  x\n- >\n \n  y\n",
            "a: b\n    # c\nd: e\n",
            "a: wget x\n  -O - | tar\n  ?x :y\n",
            "a: wget x\n  - y\n",
            "a: b\n  c\n    # c\n  d\n",
            "a: b\n    # c\n  d: e\n",
            "a: |2\n   x\n",
            "a: |\nb: 1\n",
            "a: |\n",
            "- |\n  x\n- >\n   y\n   z\n",
            "a: |\n    x\n  y\n",
            "a: |\n  x\n   \n  y\n",
            "a: [1, \"b\", 'c', d e]\n",
            "a: []\nb: {}\nc: { }\n",
            "a: {x: 1, \"y\": two}\n",
            "a: [1, 2,]\n",
            "a: [1, 2, ,]\n",
            "a: [,]\n",
            "a: {x: 1,}\n",
            "a: [x,\n  y]\n",
            "a: [\n  x,\n  y\n]\n",
            "a: [\n  x,\n  y\n  ]\n",
            "a: {k: 1,\n  j: [2]\n  }\n",
            "a: [x, # c\n  y, #d\n   z]\n",
            "a: [x\n\n  , y]\n",
            "a: [x,\n    y z,\n  w]\n",
            "a: [x,\ny]\n",
            "a:\n  b: [x,\n c,\n  ]\n",
            "- [x,\n y]\n",
            "a: [x,\n  y\n  z]\n",
            "a: [x,\n  y:\n   z]\n",
            "a: {x: [1,\n  2]}\n",
            "- {a: 1,\n   b: 2}\n- [\n  ]\n",
            "a: [1,\n  2]\n",
            "a: {x: }\n",
            "a: [a: b]\n",
            "a: [[1]]\n",
            "a: {\"x\":1}\n",
            "[1, 2]\n",
            "{a: 1}\n",
            "just text\n",
            "a: b: c\n",
            "a: b\n  c\n",
            "a: b\n  c\n\n  d\n\n\n   e  \nf: g\n",
            "- b\n  c\n- d\n   e: f\n",
            "a: b\n  c # x\n",
            "a: b\n  - c\n",
            "a:\n  b\n  c\nd: 1\n",
            "a: b\n\n",
            "a: b\n  c\n d\n",
            "a: b\n---\n",
            "a: b\n c: d\n",
            "  a: 1\n  b: 2\n",
            "a: 1\n b: 2\n",
            "a:\n  b: 1\n c: 2\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "? a\n: b\n",
            "a: 1\na: 2\n",
            "m:\n  k: 1\n  j: 2\n  k: 3\n",
            "<<: {a: 1}\nb: 2\n",
            "a: 1 # c\nb: 2#x\nc: '3' # d\n",
            "a: x #y\n",
            "a: x#y\n",
            "a: -1\nb: -x\nc: - d\n",
            "a: :x\nb: x:y\nc: x::\n",
            "a: ~\nb: null\nc: yes\nd: 0x1F\ne: 1e3\nf: .inf\ng: 0755\nh: 1_000\n",
            "é: ü\nschlüssel: 'wert'\n  # comment\nx: \"ä\" \n",
            "ключ: [значение, 'два']\nb: {é: ü}\n",
            "a: b\u{85}c\n",
            "a: b\u{a0}c\n",
            "a: \u{1}\n",
            "---\na: 1\n---\n---\nb: 2\n...\n",
            "a: 1\n...\nb: 2\n",
            "%YAML 1.1\n---\na: 1\n",
            "--- # c\na: 1\n--- \nb: 2\n",
            "--- a\n",
            "--- |\n  x\n",
            "---\n",
            "# only a comment\n",
            "",
            "a: 1\r\nb: 2\r\n",
            "a:\tb\n",
            "a: 'x\n  y'\n",
            "a: \"x\n  y\"\n",
            "a: \"x\\\n  y\"\n",
            "- \"x\n  y\": 1\n",
            "- \"x\n  y\"\n- 'p\n\n  q' # c\n",
            "a:\n  \"x\n   y\"\n",
            "a:\n  - \"x \\\n    y\"\n  - b\n",
            "a: \"x  \n   y \t\n\n  \n  z\"\nb: 1\n",
            "a: 'x\n\n\n  y''s '  # c\nb: 'p\n  q'\n",
            "a: \"x \\\n\n   y\\\n  \\ z\"\n",
            "a: \"\n  x\n  \"\n",
            "a: \"x\ny\"\n",
            "a: \"x\n\ty\"\n",
            "a: \"x\n \ty\"\n",
            "a: \"x\n---\n\"\n",
            "a: \"x\n  y\": 1\n",
            "a: \"x\n  y\" z\n",
            "a: \"unterminated\n  y\n",
            "a: \"\\u00e9\n  é \\t\n\n  ü\"\nb: c\n",
            "- a: \"x\n    y\"\n  b: 'p\n\n    q'\n",
            "a:\n  b: \"x\n  y\"\n",
            "- a\n-\n- b\n",
            "-\n  a: 1\n",
            "- a: 1\n - b\n",
            "a:\n  - b\n  c: 1\n",
            "a:\n- b\n c: 1\n",
            "- a\nb: 1\n",
            "a: [\"x\", \"y\"] # c\nb: {} x\n",
            "a: \"x\" y\n",
            "a: 'x'y\n",
            "\"a\" : 1\nb : 2\n",
            "a:\n\n\n  b: 1\n\n",
            "a: |\n  x\n# c\nb: 1\n",
            "a:\n  b: |\n    x\n   c: 1\n",
            "key with spaces: v\n",
            "a: 1\n---x: 1\n",
            "a: ---\nb: ...\n",
            "a: 1\n  # indented comment\nb: 2\n",
            "a: @x\n",
            "a: `x`\n",
            "a: %x\n",
            "a: ,x\n",
            "a: ?x\n? b\n",
        ];
        let mut tally = Tally::default();
        for s in snippets {
            check(s, &mut tally);
            // The same text as a later document of a stream, and at a different indentation.
            check(&format!("x: 0\n---\n{s}"), &mut tally);
            let nested: String = s.lines().map(|l| format!("  {l}\n")).collect();
            check(&format!("top:\n{nested}"), &mut tally);
            check(&format!("- {}", nested.trim_start()), &mut tally);
        }
        // A long line of many non-ASCII scalars (columns are counted along the line once, not
        // from its start for every scalar, which would take minutes here).
        check(
            &format!("a: [{}]\n", vec!["é"; 50_000].join(", ")),
            &mut tally,
        );
        let long_key = "k".repeat(1100);
        check(&format!("{long_key}: 1\n"), &mut tally);
        let deep = (0..300)
            .map(|i| format!("{}- a\n", "  ".repeat(i)))
            .collect::<String>();
        check(&deep, &mut tally);
        let deep_map = (0..300)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect::<String>();
        check(&deep_map, &mut tally);
        eprintln!("{tally:?}");
        assert!(tally.fast > 150, "{tally:?}");
    }
}
