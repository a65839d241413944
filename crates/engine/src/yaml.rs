//! A YAML reader that remembers where every node stands in the source.
//!
//! Kubernetes reads YAML through sigs.k8s.io/yaml, which resolves plain scalars the way go-yaml v2
//! does (YAML 1.1: `yes`/`on` are booleans, `0755` is octal, `<<` merges mappings) and then converts
//! the document to JSON. This module does the same, but keeps a line and column on every node so
//! that every workload, container, finding and error can point at its line.
//!
//! Hostile input is bounded here, before anything else sees it: nesting depth, the number of nodes
//! an alias expansion may create (alias bombs), and the number of documents.

use libyaml_safer::{EventData, Mark, Parser, ScalarStyle};

mod fast;
pub mod json;
#[doc(hidden)]
pub use fast::differential;
use serde_json::{Map, Number, Value};

/// Deeper nesting than this is refused: no real manifest comes near it, and the tree is walked
/// recursively afterwards.
pub const MAX_DEPTH: usize = 200;
/// Nodes one document may expand to, aliases included.
pub const MAX_NODES: usize = 2_000_000;
/// Documents one input may hold.
pub const MAX_DOCUMENTS: usize = 50_000;

/// A 1-based line and column in the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    fn from_mark(m: &Mark) -> Self {
        // libyaml counts lines and columns from 0.
        Pos {
            line: m.line as usize + 1,
            column: m.column as usize + 1,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in source order; keys are resolved scalars (usually strings).
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    pub pos: Pos,
}

/// A step of a path into a document: a mapping key or a sequence index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl Node {
    /// The value under a mapping key, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.key_is(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The mapping entry (key node and value node) for a key.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.key_is(key))
                .map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items of the sequence under `items` of a mapping, taken out of the tree.
    pub fn take_items(&mut self) -> Vec<Node> {
        let NodeKind::Map(entries) = &mut self.kind else {
            return Vec::new();
        };
        match entries.iter_mut().rev().find(|(k, _)| k.key_is("items")) {
            Some((
                _,
                Node {
                    kind: NodeKind::Seq(items),
                    ..
                },
            )) => std::mem::take(items),
            _ => Vec::new(),
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// Whether this key node reads as `key`, without allocating for the common string case.
    pub fn key_is(&self, key: &str) -> bool {
        match &self.kind {
            NodeKind::Str(s) => s == key,
            _ => self.key_text().as_deref() == Some(key),
        }
    }

    fn same_key(&self, other: &Node) -> bool {
        match (&self.kind, &other.kind) {
            (NodeKind::Str(a), NodeKind::Str(b)) => a == b,
            _ => self.key_text() == other.key_text(),
        }
    }

    /// A key as sigs.k8s.io/yaml writes it into JSON: scalars become their text.
    pub fn key_text(&self) -> Option<String> {
        match &self.kind {
            NodeKind::Str(s) => Some(s.clone()),
            NodeKind::Int(i) => Some(i.to_string()),
            NodeKind::Float(f) => Some(f.to_string()),
            NodeKind::Bool(b) => Some(b.to_string()),
            NodeKind::Null => Some("null".to_string()),
            _ => None,
        }
    }

    /// Follows a path as far as it goes and returns the position of the deepest node reached, and
    /// whether the whole path was found. A key's own position is used for the last step, so that
    /// an unknown field points at its name.
    pub fn locate(&self, path: &[Step]) -> (Pos, bool) {
        let mut node = self;
        let mut pos = self.pos;
        for step in path {
            let next = match (step, &node.kind) {
                (Step::Key(k), NodeKind::Map(_)) => {
                    node.entry(k).map(|(key, value)| (key.pos, value))
                }
                (Step::Index(i), NodeKind::Seq(items)) => items.get(*i).map(|n| (n.pos, n)),
                _ => None,
            };
            match next {
                Some((key_pos, value)) => {
                    pos = if matches!(step, Step::Key(_)) && !is_collection(value) {
                        key_pos
                    } else {
                        value.pos
                    };
                    node = value;
                }
                None => return (pos, false),
            }
        }
        (pos, true)
    }

    /// The JSON value sigs.k8s.io/yaml would hand to the API types.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Int(i) => Value::Number((*i).into()),
            NodeKind::Float(f) => Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            NodeKind::Str(s) => Value::String(s.clone()),
            NodeKind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeKind::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    if let Some(key) = k.key_text() {
                        map.insert(key, v.to_json());
                    }
                }
                Value::Object(map)
            }
        }
    }
}

fn is_collection(n: &Node) -> bool {
    matches!(n.kind, NodeKind::Map(_) | NodeKind::Seq(_))
}

/// One YAML document of the input: its tree (None for an empty document) and where it starts.
#[derive(Debug)]
pub struct Document {
    pub root: Option<Node>,
    pub pos: Pos,
    /// Keys written twice in one mapping, in source order. The tree keeps the later value, as a
    /// plain decoder does; kubectl's strict decoding refuses the file.
    pub duplicates: Vec<DuplicateKey>,
}

/// A mapping key written a second time: the key's text, where it is written again (`pos`), and
/// the line of the earlier one.
#[derive(Clone, Debug, PartialEq)]
pub struct DuplicateKey {
    pub key: String,
    pub pos: Pos,
    pub first_line: usize,
}

/// A problem reading YAML, at a position.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
    /// Index of the document the error belongs to.
    pub document: usize,
}

/// Reads every document of a YAML stream. Documents before a syntax error are kept; YAML cannot
/// resynchronise after one, so the rest of the stream is reported as that one error.
pub fn read_documents(text: &str) -> (Vec<Document>, Option<YamlError>) {
    // libyaml-safer 0.3.0 panics when the input ends inside a block scalar (`|`, `>`) without a
    // final line break, as text being typed often does; a line break at the end changes no
    // position and no value that matters.
    let owned;
    let text = if text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        owned.as_str()
    };
    #[cfg(feature = "parallel")]
    if let Some(read) = parallel::read_documents(text) {
        return read;
    }
    read_piece(text, 0)
}

/// Reads a stream with the fast reader where it can, else with libyaml-safer alone.
fn read_piece(text: &str, line_offset: usize) -> (Vec<Document>, Option<YamlError>) {
    match fast::read_stream_fast(text, line_offset) {
        Some(docs) => (docs, None),
        None => read_stream(text, line_offset),
    }
}

/// Reads a whole YAML stream whose first line is line `line_offset` (0-based) of the input.
fn read_stream(text: &str, line_offset: usize) -> (Vec<Document>, Option<YamlError>) {
    let at = |m: &Mark| {
        let mut pos = Pos::from_mark(m);
        pos.line += line_offset;
        pos
    };
    let mut bytes = text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut bytes);
    let mut docs = Vec::new();
    let mut builder = Builder::default();
    loop {
        let (event, mark) = match parser.parse() {
            Ok(e) => (e.data, e.start_mark),
            Err(e) => {
                let pos = e.problem_mark().map(|m| at(&m)).unwrap_or_default();
                let info = match e.context() {
                    Some(ctx) => format!("{} {}", e.problem(), ctx),
                    None => e.problem().to_string(),
                };
                return (
                    docs,
                    Some(YamlError {
                        pos,
                        message: describe_scan_error(&info),
                        document: builder.doc_index,
                    }),
                );
            }
        };
        match builder.on_event(event, at(&mark)) {
            Ok(Flow::Continue) => {}
            Ok(Flow::Document(doc)) => {
                docs.push(doc);
                if docs.len() > MAX_DOCUMENTS {
                    let pos = at(&mark);
                    let message = format!("more than {MAX_DOCUMENTS} documents in one input; split it into smaller files");
                    return (
                        docs,
                        Some(YamlError {
                            pos,
                            message,
                            document: builder.doc_index,
                        }),
                    );
                }
            }
            Ok(Flow::End) => return (docs, None),
            Err(message) => {
                return (
                    docs,
                    Some(YamlError {
                        pos: at(&mark),
                        message,
                        document: builder.doc_index,
                    }),
                );
            }
        }
    }
}

#[cfg(feature = "parallel")]
pub use parallel::{read_each, read_segment, Segment};

/// Reading a long stream on every core. A line that starts with `---` and a blank (or ends there)
/// is always a document start for libyaml: its scanner checks for it at column 0 before anything
/// else, a block scalar's content is indented at least one column, and a plain scalar ends there
/// (scanner.c `yaml_parser_fetch_next_token`, `yaml_parser_scan_block_scalar_breaks`,
/// `yaml_parser_scan_plain_scalar`); a quoted scalar or a flow collection open across it is an
/// error. So the pieces between such lines read alone exactly as they read in the stream, with
/// their lines moved. Anything unusual (an error, other line breaks than `\n`, too many
/// documents) reads the whole stream again in one piece, so that what is reported is the same.
#[cfg(feature = "parallel")]
mod parallel {
    use super::{fast, read_piece, Document, Extent, YamlError, MAX_DOCUMENTS};

    /// Where a document stands in its input: the piece of the stream that holds it (from one
    /// document start line to the next) and the 0-based line it starts on, so that it can be
    /// read again later, alone, exactly as [`read_each`] read it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Segment {
        start: usize,
        end: usize,
        line: usize,
    }

    impl Segment {
        /// The 0-based line of the input the segment starts on.
        pub fn line(&self) -> usize {
            self.line
        }
    }

    /// Reads every document of a long stream on every core and hands each, with its index in the
    /// stream and its segment, to `each` on the thread that read it, so that nothing but what
    /// `each` returns is kept; the results in document order. `None` when the stream must be read
    /// whole in one piece ([`super::read_documents`]): a short one, one that does not end with a
    /// line break, other line breaks than `\n`, a directive, an error anywhere, too many
    /// documents, or a piece that does not hold exactly one document. Then `each` may have run on
    /// some documents, and what it returned is dropped. `extent` is how much of each tree to
    /// build (a document the byte reader hands to libyaml is built whole).
    pub fn read_each<T: Send>(
        text: &str,
        extent: Extent,
        each: impl Fn(usize, Segment, Document) -> T + Sync,
    ) -> Option<Vec<T>> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads < 2
            || text.len() < MIN_PARALLEL
            || !text.ends_with('\n')
            || super::odd_line_breaks(text)
        {
            return None;
        }
        let mut segments = fast::segments(text)
            .into_iter()
            .map(|(start, end, line)| Segment { start, end, line });
        let first = segments.next()?;
        let rest: Vec<Segment> = segments.collect();
        if rest.len() >= MAX_DOCUMENTS {
            return None;
        }
        // The first piece may hold no document (comments before the first `---`); every other
        // starts with `---`, which starts one.
        let mut out = Vec::with_capacity(rest.len() + 1);
        let mut docs = read_at(text, first, extent)?.into_iter();
        if let Some(doc) = docs.next() {
            out.push(each(0, first, doc));
        }
        if docs.next().is_some() {
            return None;
        }
        let before = out.len();
        let read = crate::parallel::map_owned(rest, |i, segment| {
            Some(each(
                before + i,
                segment,
                one(read_at(text, segment, extent)?)?,
            ))
        });
        for r in read {
            out.push(r?);
        }
        Some(out)
    }

    /// The document of `segment` read again, alone, as [`read_each`] read it; `None` when it
    /// does not read as one document (not a segment of this text).
    pub fn read_segment(text: &str, segment: Segment) -> Option<Document> {
        one(read_at(text, segment, Extent::Whole)?)
    }

    fn read_at(text: &str, s: Segment, extent: Extent) -> Option<Vec<Document>> {
        fast::read_segment(text.get(s.start..s.end)?, s.line, extent)
    }

    fn one(docs: Vec<Document>) -> Option<Document> {
        let mut docs = docs.into_iter();
        let doc = docs.next()?;
        docs.next().is_none().then_some(doc)
    }

    /// Below this size a stream is read in one piece: threads cost more than they save.
    const MIN_PARALLEL: usize = 256 * 1024;

    pub(super) fn read_documents(text: &str) -> Option<(Vec<Document>, Option<YamlError>)> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads < 2 || text.len() < MIN_PARALLEL {
            return None;
        }
        // libyaml also breaks lines at \r, NEL, LS and PS; the line numbers below count only \n.
        if super::odd_line_breaks(text) {
            return None;
        }
        let pieces = split(text, threads);
        if pieces.len() < 2 {
            return None;
        }
        let reads: Vec<(Vec<Document>, Option<YamlError>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = pieces
                .iter()
                .map(|&(start, end, line)| scope.spawn(move || read_piece(&text[start..end], line)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join())
                .collect::<Result<_, _>>()
        })
        .ok()?;
        if reads.iter().any(|(_, error)| error.is_some()) {
            return None;
        }
        let docs: Vec<Document> = reads.into_iter().flat_map(|(docs, _)| docs).collect();
        (docs.len() <= MAX_DOCUMENTS).then_some((docs, None))
    }

    /// Cuts the stream into about `n` pieces of similar size at document start lines: each as
    /// (start, end, 0-based line of its start). Consecutive documents join until a piece holds
    /// its share of the text.
    fn split(text: &str, n: usize) -> Vec<(usize, usize, usize)> {
        let target = text.len() / n;
        let mut pieces: Vec<(usize, usize, usize)> = Vec::with_capacity(n);
        for (start, end, line) in super::fast::segments(text) {
            let full = pieces.len() >= n;
            match pieces.last_mut() {
                Some(last) if last.1 - last.0 < target || full => last.1 = end,
                _ => pieces.push((start, end, line)),
            }
        }
        if pieces.is_empty() {
            pieces.push((0, text.len(), 0));
        }
        pieces
    }
}

/// Whether the text breaks lines anywhere but at `\n` (libyaml also breaks at `\r`, NEL, LS and
/// PS), or holds a byte order mark. Scans bytes: the lead bytes of those characters are rare.
fn odd_line_breaks(text: &str) -> bool {
    let suspect = text.as_bytes().iter().fold(false, |any, b| {
        any | matches!(b, b'\r' | 0xC2 | 0xE2 | 0xEF)
    });
    suspect && text.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{feff}'])
}

fn describe_scan_error(info: &str) -> String {
    // libyaml's messages are terse; say what they usually mean for a manifest.
    let hint = if info.contains("mapping values are not allowed") {
        " (a value holds an unquoted ': ', or the indentation is off)"
    } else if info.contains("did not find expected")
        || info.contains("while parsing a block")
        || info.contains("indentation")
    {
        " (check the indentation of this line and the one before it)"
    } else if info.contains("tab") {
        " (YAML indents with spaces, not tabs)"
    } else {
        ""
    };
    format!("YAML syntax error: {info}{hint}")
}

enum Flow {
    Continue,
    Document(Document),
    End,
}

enum Frame {
    Seq {
        node: Node,
        anchor: Option<String>,
    },
    Map {
        node: Node,
        anchor: Option<String>,
        pending_key: Option<Node>,
    },
}

/// How much of a document's tree is built.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Extent {
    /// Every node.
    #[default]
    Whole,
    /// The root and the scalars directly under it; a collection under the root stands as a
    /// null at its place, and nothing deeper is kept. The document is read and checked as for
    /// `Whole` (the same errors, the same limits): enough to tell an object's kind and
    /// apiVersion without the tree of a workload that will be read again. A document with a
    /// merge key (`<<`) at the root is read whole: what it merges may hold the kind.
    TopLevel,
}

#[derive(Default)]
struct Builder {
    extent: Extent,
    stack: Vec<Frame>,
    anchors: Vec<(String, Node)>,
    root: Option<Node>,
    doc_start: Pos,
    doc_index: usize,
    nodes: usize,
    in_document: bool,
    duplicates: Vec<DuplicateKey>,
}

impl Builder {
    fn on_event(&mut self, event: EventData, pos: Pos) -> Result<Flow, String> {
        match event {
            EventData::StreamStart { .. } => Ok(Flow::Continue),
            EventData::StreamEnd => Ok(Flow::End),
            EventData::DocumentStart { .. } => {
                self.in_document = true;
                self.doc_start = pos;
                self.root = None;
                self.anchors.clear();
                self.nodes = 0;
                self.duplicates.clear();
                Ok(Flow::Continue)
            }
            EventData::DocumentEnd { .. } => {
                self.in_document = false;
                // An empty document reads as a null scalar; either way there is nothing in it.
                let root = self.root.take().filter(|n| n.kind != NodeKind::Null);
                let doc = Document {
                    root,
                    pos: self.doc_start,
                    duplicates: std::mem::take(&mut self.duplicates),
                };
                self.doc_index += 1;
                Ok(Flow::Document(doc))
            }
            EventData::Alias { anchor } => {
                let node = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == anchor)
                    .map(|(_, n)| n.clone())
                    .ok_or_else(|| {
                        "an alias refers to an anchor that is not defined before it".to_string()
                    })?;
                self.count(count_nodes(&node, MAX_NODES))?;
                self.push_value(Node {
                    kind: node.kind,
                    pos,
                })
            }
            EventData::Scalar {
                value,
                style,
                anchor,
                tag,
                ..
            } => {
                self.count(1)?;
                if self.beyond_extent(false) {
                    return Ok(Flow::Continue);
                }
                let explicit_string = tag
                    .as_deref()
                    .is_some_and(|t| t.ends_with(":str") || t == "!!str");
                let kind = if style == ScalarStyle::Plain && !explicit_string {
                    resolve_plain_owned(value)
                } else {
                    NodeKind::Str(value)
                };
                let node = Node { kind, pos };
                // A merge key at the root may bring kind and apiVersion from the mapping it merges,
                // which the top level does not keep: such a document is read whole.
                if self.extent == Extent::TopLevel
                    && matches!(
                        self.stack.as_slice(),
                        [Frame::Map {
                            pending_key: None,
                            ..
                        }]
                    )
                    && node.key_is("<<")
                {
                    return Err("a merge key at the top level: read the whole document".into());
                }
                if let Some(a) = anchor {
                    self.anchors.push((a, node.clone()));
                }
                self.push_value(node)
            }
            EventData::SequenceStart { anchor, .. } => {
                self.count(1)?;
                let kind = if self.beyond_extent(true) {
                    NodeKind::Null
                } else {
                    NodeKind::Seq(Vec::new())
                };
                self.open(Frame::Seq {
                    node: Node { kind, pos },
                    anchor,
                })
            }
            EventData::MappingStart { anchor, .. } => {
                self.count(1)?;
                let kind = if self.beyond_extent(true) {
                    NodeKind::Null
                } else {
                    NodeKind::Map(Vec::new())
                };
                self.open(Frame::Map {
                    node: Node { kind, pos },
                    anchor,
                    pending_key: None,
                })
            }
            EventData::SequenceEnd | EventData::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::Seq { node, anchor }) | Some(Frame::Map { node, anchor, .. }) => {
                        (node, anchor)
                    }
                    None => return Err("unbalanced YAML collection".into()),
                };
                if let Some(a) = anchor {
                    self.anchors.push((a, node.clone()));
                }
                self.push_value(node)
            }
        }
    }

    /// Whether a node met now is not kept whole under [`Extent::TopLevel`]: a scalar below the
    /// root's collection, a collection anywhere but at the root. Such a collection is opened with
    /// a null in place of its entries, so that what it holds goes nowhere and it stands as a
    /// null where it is written.
    fn beyond_extent(&self, collection: bool) -> bool {
        // The root is at depth 0, what it holds directly at depth 1.
        let depth = self.stack.len() + usize::from(collection);
        self.extent == Extent::TopLevel && depth > 1
    }

    fn count(&mut self, n: usize) -> Result<(), String> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            return Err(format!(
                "this document expands to more than {MAX_NODES} values (aliases that repeat aliases, an 'alias bomb'?)"
            ));
        }
        Ok(())
    }

    fn open(&mut self, frame: Frame) -> Result<Flow, String> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(format!(
                "nesting deeper than {MAX_DEPTH} levels; no manifest needs that"
            ));
        }
        self.stack.push(frame);
        Ok(Flow::Continue)
    }

    fn push_value(&mut self, node: Node) -> Result<Flow, String> {
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                if !self.in_document {
                    // A bare stream without explicit document markers still has document events in libyaml,
                    // so this is only reached for a value after the document ended.
                    return Err("content after the end of a document".into());
                }
            }
            Some(Frame::Seq { node: seq, .. }) => {
                if let NodeKind::Seq(items) = &mut seq.kind {
                    items.push(node);
                }
            }
            Some(Frame::Map {
                node: map,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    // A block mapping's start mark is its first ':'; the first key marks it better.
                    if let NodeKind::Map(entries) = &map.kind {
                        if entries.is_empty()
                            && node.pos.line == map.pos.line
                            && node.pos.column < map.pos.column
                        {
                            map.pos = node.pos;
                        }
                    }
                    *pending_key = Some(node)
                }
                Some(key) => {
                    if let NodeKind::Map(entries) = &mut map.kind {
                        if let Some((first, _)) = entries.iter().find(|(k, _)| k.same_key(&key)) {
                            // Merged-in entries carry their anchor's position; only keys
                            // written in this mapping count (a `<<` key itself never does).
                            if first.pos >= map.pos && !key.key_is("<<") {
                                self.duplicates.push(DuplicateKey {
                                    key: key.key_text().unwrap_or_default(),
                                    pos: key.pos,
                                    first_line: first.pos.line,
                                });
                            }
                        }
                        insert_entry(entries, key, node);
                    }
                }
            },
        }
        Ok(Flow::Continue)
    }
}

/// Adds a mapping entry; `<<` merges the entries of a mapping (or of a list of mappings) that the
/// mapping does not set itself, as go-yaml does.
fn insert_entry(entries: &mut Vec<(Node, Node)>, key: Node, value: Node) {
    if matches!(&key.kind, NodeKind::Str(k) if k == "<<") {
        let sources: Vec<Node> = match value.kind {
            NodeKind::Map(_) => vec![value],
            NodeKind::Seq(items) => items,
            _ => return,
        };
        for source in sources {
            if let NodeKind::Map(merged) = source.kind {
                for (k, v) in merged {
                    if !entries
                        .iter()
                        .any(|(existing, _)| existing.key_text() == k.key_text())
                    {
                        entries.push((k, v));
                    }
                }
            }
        }
        return;
    }
    // A later key replaces an earlier one, as in the JSON a decoder builds.
    if let Some(i) = entries
        .iter()
        .position(|(existing, _)| existing.same_key(&key))
    {
        entries.remove(i);
    }
    entries.push((key, value));
}

fn count_nodes(node: &Node, cap: usize) -> usize {
    let mut total = 0usize;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total += 1;
        if total > cap {
            return total;
        }
        match &n.kind {
            NodeKind::Seq(items) => stack.extend(items.iter()),
            NodeKind::Map(entries) => {
                for (k, v) in entries {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
    total
}

/// Resolves a plain scalar as go-yaml v2 does (the resolver behind sigs.k8s.io/yaml).
pub fn resolve_plain(text: &str) -> NodeKind {
    resolve_plain_owned(text.to_string())
}

/// [`resolve_plain`] keeping the scanner's string for a string, which most scalars are.
fn resolve_plain_owned(text: String) -> NodeKind {
    // Every special word is at most five bytes long: longer text skips thirty comparisons.
    if text.len() <= 5 {
        match text.as_str() {
            "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
            "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
                return NodeKind::Bool(true)
            }
            "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off"
            | "OFF" => return NodeKind::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf"
            | "-.INF" | ".nan" | ".NaN" | ".NAN" => {
                // JSON has no infinities; sigs.k8s.io/yaml fails on them too. Keep the text.
                return NodeKind::Str(text);
            }
            _ => {}
        }
    }
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.') {
        return NodeKind::Str(text);
    }
    let plain: String = text.chars().filter(|c| *c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return NodeKind::Int(i);
    }
    if is_yaml_float(&plain) {
        if let Ok(f) = plain.parse::<f64>() {
            if f.is_finite() {
                return NodeKind::Float(f);
            }
        }
    }
    NodeKind::Str(text)
}

/// strconv.ParseInt(s, 0, 64) as go-yaml v2 calls it: decimal, 0x hex, 0 octal, 0b binary.
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h)
        } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, b)
        } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, o)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let value = if neg { -magnitude } else { magnitude };
    i64::try_from(value).ok()
}

/// The YAML 1.1 float pattern go-yaml v2 accepts (digits with an optional fraction and exponent).
fn is_yaml_float(s: &str) -> bool {
    let b = s.trim_start_matches(['+', '-']).as_bytes();
    let mut i = 0;
    let mut digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let (docs, err) = read_documents(text);
        assert!(err.is_none(), "{err:?}");
        docs.into_iter().next().unwrap().root.unwrap()
    }

    #[test]
    fn plain_scalars_resolve_as_go_yaml_v2() {
        assert_eq!(resolve_plain("1"), NodeKind::Int(1));
        assert_eq!(resolve_plain("0755"), NodeKind::Int(0o755));
        assert_eq!(resolve_plain("0x1F"), NodeKind::Int(31));
        assert_eq!(resolve_plain("1e9"), NodeKind::Float(1e9));
        assert_eq!(resolve_plain("0.5"), NodeKind::Float(0.5));
        assert_eq!(resolve_plain("yes"), NodeKind::Bool(true));
        assert_eq!(resolve_plain("Off"), NodeKind::Bool(false));
        assert_eq!(resolve_plain("~"), NodeKind::Null);
        assert_eq!(resolve_plain("250m"), NodeKind::Str("250m".into()));
        assert_eq!(resolve_plain("1Gi"), NodeKind::Str("1Gi".into()));
        assert_eq!(resolve_plain("1.2.3"), NodeKind::Str("1.2.3".into()));
    }

    #[test]
    fn quoted_scalars_stay_strings() {
        let n = one("a: \"1\"\nb: 'yes'\nc: !!str 5\n");
        assert_eq!(n.get("a").unwrap().kind, NodeKind::Str("1".into()));
        assert_eq!(n.get("b").unwrap().kind, NodeKind::Str("yes".into()));
        assert_eq!(n.get("c").unwrap().kind, NodeKind::Str("5".into()));
    }

    #[test]
    fn positions_are_one_based_lines_and_columns() {
        let n = one("kind: Pod\nspec:\n  containers:\n  - name: a\n    image: x\n");
        let c = &n.get("spec").unwrap().get("containers").unwrap().items()[0];
        assert_eq!(c.pos, Pos { line: 4, column: 5 });
        let (pos, found) = n.locate(&[
            Step::Key("spec".into()),
            Step::Key("containers".into()),
            Step::Index(0),
            Step::Key("image".into()),
        ]);
        assert!(found);
        assert_eq!(pos, Pos { line: 5, column: 5 });
    }

    #[test]
    fn a_key_written_twice_is_recorded_and_the_later_value_kept() {
        let text = "spec:\n  resources: {a: 1}\n  x: 1\n  resources: {b: 2}\nbase: &b {cpu: 1}\nres:\n  <<: *b\n  cpu: 2\n";
        let (docs, err) = read_documents(text);
        assert!(err.is_none());
        let doc = &docs[0];
        assert_eq!(
            doc.duplicates,
            vec![DuplicateKey {
                key: "resources".into(),
                pos: Pos { line: 4, column: 3 },
                first_line: 2
            }]
        );
        let root = doc.root.as_ref().unwrap();
        let r = root.get("spec").unwrap().get("resources").unwrap();
        assert!(r.get("b").is_some() && r.get("a").is_none());
    }

    #[test]
    fn anchors_aliases_and_merge_keys_expand() {
        let n = one("base: &b {cpu: 1, memory: 1Gi}\nres:\n  <<: *b\n  cpu: 2\nsame: *b\n");
        let res = n.get("res").unwrap();
        assert_eq!(res.get("cpu").unwrap().kind, NodeKind::Int(2));
        assert_eq!(res.get("memory").unwrap().kind, NodeKind::Str("1Gi".into()));
        assert_eq!(
            n.get("same").unwrap().get("cpu").unwrap().kind,
            NodeKind::Int(1)
        );
    }

    #[test]
    fn alias_bomb_is_refused_with_a_message() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
        }
        let (_, err) = read_documents(&text);
        let err = err.expect("an alias bomb must be refused");
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused_with_a_message() {
        let text = "[".repeat(5000) + &"]".repeat(5000);
        let (docs, err) = read_documents(&text);
        assert!(docs.is_empty());
        let err = err.expect("refused");
        assert_eq!((err.document, err.pos.line), (0, 1), "{err:?}");
        assert!(
            err.message
                .contains(&format!("nesting deeper than {MAX_DEPTH} levels")),
            "{}",
            err.message
        );
    }

    #[test]
    fn syntax_error_has_line_and_column_and_keeps_earlier_documents() {
        let (docs, err) = read_documents("a: 1\n---\nb: [1, 2\nc: 3\n");
        assert_eq!(docs.len(), 1);
        let err = err.unwrap();
        assert_eq!(err.document, 1);
        assert!(err.pos.line >= 3, "{err:?}");
    }

    #[test]
    fn a_block_scalar_at_the_end_without_a_line_break_reads() {
        for text in [
            "a: |\n  x",
            "a: >-\n  x",
            "- |\n x",
            "a: |-\n  [\n  {\"n\":\"co",
        ] {
            let (docs, err) = read_documents(text);
            assert!(err.is_none(), "{text:?}: {err:?}");
            assert_eq!(docs.len(), 1);
        }
    }

    #[test]
    fn a_tag_followed_by_a_comma_in_a_flow_collection_reads() {
        // Found by the manifest fuzz target: libyaml-safer 0.3.0 panicked here (patched copy in vendor/).
        let (_, err) = read_documents("{\n!',");
        assert!(err.is_some());
        let (docs, err) = read_documents("{a: !x,}\n");
        assert!(err.is_none(), "{err:?}");
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn multi_documents_and_empty_documents() {
        let (docs, err) = read_documents("---\na: 1\n---\n---\nb: 2\n");
        assert!(err.is_none());
        assert_eq!(docs.len(), 3);
        assert!(docs[1].root.is_none());
    }

    /// The pieces read on every core must give what one reader gives: the same documents, values
    /// and positions, and for a stream that cannot be cut cleanly, the same error.
    #[cfg(feature = "parallel")]
    #[test]
    fn a_long_stream_reads_the_same_in_pieces() {
        let files = crate::corpus_files();
        let mut text = String::new();
        while text.len() < 2 * parallel_min() {
            for f in &files {
                if let Ok(t) = std::fs::read_to_string(f) {
                    text.push_str("---\n");
                    text.push_str(&t);
                    text.push('\n');
                }
            }
        }
        let whole = read_stream(&text, 0);
        let pieces = parallel::read_documents(&text).expect("read in pieces");
        assert!(whole.1.is_none() && pieces.1.is_none());
        assert_eq!(whole.0.len(), pieces.0.len());
        for (a, b) in whole.0.iter().zip(&pieces.0) {
            assert_eq!((a.pos, &a.root), (b.pos, &b.root));
        }
        // A quoted scalar open across a document start is an error where it stands in the
        // stream; the pieces alone would report it elsewhere.
        let broken = format!("{text}a: \"open\n---\nb: 1\n\"\n{text}");
        assert_eq!(read_documents(&broken).1, read_stream(&broken, 0).1);
        assert!(read_documents(&broken).1.is_some());
    }

    /// Each document handed over on its own thread must be the one one reader gives, with its
    /// index in the stream, and its segment must read as the same document again later; any
    /// stream that the pieces could misreport is left to the whole reader.
    #[cfg(feature = "parallel")]
    #[test]
    fn each_document_of_a_long_stream_is_the_one_reader_s_and_reads_again_the_same() {
        let files = crate::corpus_files();
        // A first piece with no document, empty documents, a document after `...`.
        let mut text = String::from("# only a comment before the first document\n");
        while text.len() < 2 * parallel_min() {
            for f in &files {
                if let Ok(t) = std::fs::read_to_string(f) {
                    text.push_str("---\n");
                    text.push_str(&t);
                    text.push_str("\n---\n---\n# empty\n...\n");
                    // A merge key at the root brings the kind and apiVersion.
                    text.push_str("---\n<<: {apiVersion: v1, kind: Pod}\nmetadata: {name: m}\n");
                }
            }
        }
        let whole = read_stream(&text, 0);
        assert!(whole.1.is_none());
        let each = read_each(&text, Extent::Whole, |i, segment, doc| (i, segment, doc))
            .expect("read each");
        assert_eq!(whole.0.len(), each.len());
        for (k, (a, (i, segment, b))) in whole.0.iter().zip(&each).enumerate() {
            assert_eq!(k, *i);
            assert_eq!(
                (a.pos, &a.root, &a.duplicates),
                (b.pos, &b.root, &b.duplicates)
            );
            let again = read_segment(&text, *segment).expect("read again");
            assert_eq!((a.pos, &a.root), (again.pos, &again.root), "document {k}");
        }
        // Read to the top level only: what the whole tree holds there, each collection under
        // the root a null at its place; a document libyaml reads comes whole.
        let top = read_each(&text, Extent::TopLevel, |_, _, doc| doc).expect("top level");
        let mut pruned = 0;
        for (k, (a, b)) in whole.0.iter().zip(&top).enumerate() {
            assert_eq!(a.pos, b.pos);
            if b.root != a.root {
                assert_eq!(b.root, a.root.clone().map(top_level), "document {k}");
                pruned += 1;
            }
        }
        assert!(
            pruned > files.len() / 2,
            "{pruned} documents read to their top level"
        );
        // A key too long for the byte reader, deep in a document, hands it to libyaml as in a
        // whole read: past libyaml's limit it is an error either way.
        for (len, readable) in [(1010, true), (1030, false)] {
            let key = "k".repeat(len);
            let long = format!("{text}---\na:\n  b:\n    {key}: 1\n");
            let read = |extent| read_each(&long, extent, |_, _, doc| doc).map(|d| d.len());
            assert_eq!(read(Extent::Whole), readable.then_some(each.len() + 1));
            assert_eq!(
                read(Extent::TopLevel),
                read(Extent::Whole),
                "a key of {len}"
            );
        }
        // Left to the whole reader: an error anywhere, a stream that does not end with a line
        // break, a short one.
        let broken = format!("{text}a: \"open\n---\nb: 1\n\"\n{text}");
        assert!(read_each(&broken, Extent::Whole, |_, _, _| ()).is_none());
        assert!(read_each(text.trim_end(), Extent::Whole, |_, _, _| ()).is_none());
        let short = &text.as_bytes()[..parallel_min() / 2];
        let short = &text[..short.iter().rposition(|b| *b == b'\n').unwrap() + 1];
        assert!(read_each(short, Extent::Whole, |_, _, _| ()).is_none());
        assert!(read_each("a: 1\n", Extent::Whole, |_, _, _| ()).is_none());
    }

    /// A tree as [`Extent::TopLevel`] builds it.
    #[cfg(feature = "parallel")]
    fn top_level(root: Node) -> Node {
        let null = |n: Node| {
            if is_collection(&n) {
                Node {
                    kind: NodeKind::Null,
                    pos: n.pos,
                }
            } else {
                n
            }
        };
        let kind = match root.kind {
            NodeKind::Map(entries) => NodeKind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (null(k), null(v)))
                    .collect(),
            ),
            NodeKind::Seq(items) => NodeKind::Seq(items.into_iter().map(null).collect()),
            other => other,
        };
        Node {
            kind,
            pos: root.pos,
        }
    }

    #[cfg(feature = "parallel")]
    fn parallel_min() -> usize {
        256 * 1024
    }
}
