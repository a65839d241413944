//! Changes that resolve findings, as text edits (`Diagnostic::fix`), and applying them.
//!
//! An edit touches only the lines it must: a container moves between lists as its own lines,
//! shifted to the destination's indentation, with its comments and key order; a field goes with
//! the lines of its value. Block style is handled throughout; flow style (`containers: [{...}]`)
//! is handled for a memory emptyDir and an autoscaler metric written on one line, and withheld
//! elsewhere, as is any container whose text carries an anchor, an alias or a merge key (moving
//! it could separate an alias from its anchor).

use crate::model::{Diagnostic, Edit, Fix, Section};
use crate::quantity::Quantity;
use crate::rules::{Ctx, Member};
use crate::yaml::{Node, NodeKind, Step};
use crate::Source;

/// The inputs' texts, split into lines once, when a finding first needs one.
pub struct Texts<'a> {
    sources: &'a [Source<'a>],
    lines: Vec<std::sync::OnceLock<Text<'a>>>,
}

impl<'a> Texts<'a> {
    pub fn new(sources: &'a [Source<'a>]) -> Self {
        Texts {
            sources,
            lines: sources.iter().map(|_| Default::default()).collect(),
        }
    }

    fn get(&self, file: &str) -> Option<&Text<'a>> {
        let i = self.sources.iter().position(|s| s.name == file)?;
        Some(self.lines[i].get_or_init(|| Text::new(self.sources[i].text)))
    }
}

/// The rules whose findings may offer a fix.
const FIXABLE: [&str; 7] = [
    "classic-sidecar-in-job",
    "sidecar-could-be-native",
    "native-sidecar-unsupported",
    "init-container-probe",
    "container-restart-policy",
    "memory-emptydir",
    "hpa-resource-metric",
];

/// Adds to each finding the changes that resolve it.
pub fn attach(ctx: &Ctx, texts: &Texts, out: &mut [Diagnostic]) {
    for d in out.iter_mut() {
        if !FIXABLE.contains(&d.rule.as_str()) {
            continue;
        }
        let Some(t) = texts.get(&d.file) else {
            continue;
        };
        let mut fixes = fixes_for(ctx, t, d).into_iter();
        d.fix = fixes.next();
        d.alternatives = fixes.collect();
    }
}

fn fixes_for(ctx: &Ctx, t: &Text, d: &Diagnostic) -> Vec<Fix> {
    let one = |f: Option<Fix>| f.into_iter().collect();
    let member = |section: Section| member(ctx, d, section);
    match d.rule.as_str() {
        "classic-sidecar-in-job" | "sidecar-could-be-native" => one(member(Section::Containers)
            .filter(|_| d.file == ctx.pod.file)
            .and_then(|m| to_native(ctx, t, m))),
        "native-sidecar-unsupported" => one(member(Section::InitContainers)
            .filter(|_| d.file == ctx.pod.file && !ctx.version.sidecar_gate().enabled())
            .and_then(|m| to_classic(ctx, t, m))),
        "init-container-probe" => {
            let Some(m) = member(Section::InitContainers).filter(|_| d.file == ctx.pod.file) else {
                return Vec::new();
            };
            let field = d
                .path
                .as_deref()
                .and_then(|p| p.rsplit('.').next())
                .unwrap_or("");
            let remove = remove_field(ctx, t, m, field)
                .map(|edits| fix(format!("Remove {field} from '{}'", m.spec.name), edits));
            let native = add_always(ctx, t, m).map(|edits| {
                fix(
                    format!(
                        "Make '{}' a native sidecar (restartPolicy: Always): it keeps running beside the app",
                        m.spec.name
                    ),
                    edits,
                )
            });
            remove.into_iter().chain(native).collect()
        }
        "container-restart-policy" => {
            // Only where the version forbids the field; a misspelt value needs a person.
            if ctx.version.container_restart_rules_gate().enabled() || d.file != ctx.pod.file {
                return Vec::new();
            }
            let m = member(Section::InitContainers).or_else(|| member(Section::Containers));
            one(m.and_then(|m| {
                remove_field(ctx, t, m, "restartPolicy")
                    .map(|e| fix(format!("Remove restartPolicy from '{}'", m.spec.name), e))
            }))
        }
        "memory-emptydir" if d.file == ctx.pod.file => one(size_limit(ctx, t, d)),
        "hpa-resource-metric" => one(container_metric(ctx, t, d)),
        _ => Vec::new(),
    }
}

fn fix(title: String, mut edits: Vec<Edit>) -> Fix {
    crate::order::sort_by_key(&mut edits, |e| (e.line, e.column));
    Fix { title, edits }
}

/// The one container the finding names, in `section` (none where two share the name).
fn member<'a>(ctx: &'a Ctx, d: &Diagnostic, section: Section) -> Option<&'a Member<'a>> {
    let name = d.container.as_deref()?;
    let mut found = ctx.members.iter().filter(|m| m.spec.name == name);
    let first = found.next()?;
    if found.next().is_some() || first.section != section {
        return None;
    }
    Some(first)
}

fn spec_node<'a>(ctx: &'a Ctx) -> Option<&'a Node> {
    let mut n = &ctx.pod.root;
    for s in &ctx.pod.spec_steps {
        n = match s {
            Step::Key(k) => n.get(k)?,
            Step::Index(i) => n.items().get(*i)?,
        };
    }
    Some(n)
}

fn container_node<'a>(ctx: &'a Ctx, m: &Member) -> Option<&'a Node> {
    spec_node(ctx)?
        .get(m.section.as_str())?
        .items()
        .get(m.index)
}

/// classic → native sidecar: the entry moves into `initContainers` (made where absent, at the
/// spec's indentation) with `restartPolicy: Always`, before the first init container that calls
/// one of its ports on localhost, else after the last, where the init containers ran before it
/// started as a classic container.
fn to_native(ctx: &Ctx, t: &Text, m: &Member) -> Option<Fix> {
    // KEP-753: restartPolicy on init containers is honoured from 1.29 (beta, on by default).
    if !ctx.version.sidecar_gate().enabled() || m.spec.restart_policy.is_some() {
        return None;
    }
    let spec = spec_node(ctx)?;
    let (ckey, cseq) = spec.entry("containers")?;
    let e = entry(t, cseq.items().get(m.index)?)?;
    if has_alias(t, e.first, e.last) {
        return None;
    }
    let ports: Vec<i32> = m
        .spec
        .ports
        .iter()
        .flatten()
        .map(|p| p.container_port)
        .collect();
    let user = ctx
        .members
        .iter()
        .filter(|i| i.section.is_init())
        .find(|i| i.signals.loopback_ports.iter().any(|p| ports.contains(p)));
    let (at, to_dash, head) = match spec.entry("initContainers") {
        Some((_, iseq)) => {
            let items = iseq.items();
            let first = entry(t, items.first()?)?;
            let at = match user {
                Some(u) => t.starts[entry(t, items.get(u.index)?)?.first],
                None => t.after(entry(t, items.last()?)?.last),
            };
            (at, first.dash, String::new())
        }
        None => {
            let l = key_line(t, ckey)?;
            let col = ckey.pos.column.saturating_sub(1);
            (
                t.starts[l],
                e.dash,
                format!("{}initContainers:{}", " ".repeat(col), t.nl),
            )
        }
    };
    let mut text = head;
    text.push_str(&shifted(t, &e, to_dash, None)?);
    text.push_str(&format!(
        "{}restartPolicy: Always{}",
        " ".repeat(e.key_col + to_dash - e.dash),
        t.nl
    ));
    let before = user
        .map(|u| format!(", before '{}', which calls it", u.spec.name))
        .unwrap_or_default();
    Some(fix(
        format!(
            "Make '{}' a native sidecar: move it to initContainers with restartPolicy: Always{before}",
            m.spec.name
        ),
        vec![t.insert(at, text), t.delete_lines(e.first, e.last)],
    ))
}

/// native → classic sidecar: the entry moves into `containers`, before the app, without its
/// `restartPolicy` (and `initContainers` goes when it was the only one).
fn to_classic(ctx: &Ctx, t: &Text, m: &Member) -> Option<Fix> {
    let spec = spec_node(ctx)?;
    let (ikey, iseq) = spec.entry("initContainers")?;
    let item = iseq.items().get(m.index)?;
    let e = entry(t, item)?;
    if has_alias(t, e.first, e.last) {
        return None;
    }
    let (pkey, pval) = item.entry("restartPolicy")?;
    let (pl, pl_last) = field_lines(t, pkey, pval)?;
    if pl != pl_last || pl == e.first {
        return None;
    }
    let (_, cseq) = spec.entry("containers")?;
    let items = cseq.items();
    let first = entry(t, items.first()?)?;
    let text = shifted(t, &e, first.dash, Some(pl))?;
    // Before the first app, so that the sidecars keep their order and start before it.
    let app = ctx
        .members
        .iter()
        .filter(|c| !c.section.is_init())
        .find(|c| c.report.pattern == crate::model::Pattern::App);
    let at = match app {
        Some(a) => t.starts[entry(t, items.get(a.index)?)?.first],
        None => t.after(entry(t, items.last()?)?.last),
    };
    let delete = if iseq.items().len() == 1 {
        t.delete_lines(key_line(t, ikey)?, e.last)
    } else {
        t.delete_lines(e.first, e.last)
    };
    Some(fix(
        format!(
            "Make '{}' a classic sidecar: move it to containers without restartPolicy",
            m.spec.name
        ),
        vec![t.insert(at, text), delete],
    ))
}

/// The lines of `field` of a container, removed.
fn remove_field(ctx: &Ctx, t: &Text, m: &Member, field: &str) -> Option<Vec<Edit>> {
    let (k, v) = container_node(ctx, m)?.entry(field)?;
    let (first, last) = field_lines(t, k, v)?;
    // An anchor removed would leave its aliases dangling.
    if has_alias(t, first, last) {
        return None;
    }
    Some(vec![t.delete_lines(first, last)])
}

/// `restartPolicy: Always` added at the end of an init container's entry.
fn add_always(ctx: &Ctx, t: &Text, m: &Member) -> Option<Vec<Edit>> {
    if !ctx.version.sidecar_gate().enabled() || m.spec.restart_policy.is_some() {
        return None;
    }
    let e = entry(t, container_node(ctx, m)?)?;
    let line = format!("{}restartPolicy: Always{}", " ".repeat(e.key_col), t.nl);
    Some(vec![t.insert_after(e.last, line)])
}

/// `sizeLimit` for a memory emptyDir: the sum of its writers' memory limits, which bound what
/// they can write, since tmpfs pages count as the writer's memory (emptyDir docs,
/// "Memory-backed emptyDir"). Withheld where a writer has no memory limit: the size is then a
/// person's choice.
fn size_limit(ctx: &Ctx, t: &Text, d: &Diagnostic) -> Option<Fix> {
    let index: usize = d
        .path
        .as_deref()?
        .rsplit("volumes[")
        .next()?
        .strip_suffix(']')?
        .parse()
        .ok()?;
    let vol = ctx.spec.volumes.as_ref()?.get(index)?;
    let ed = vol.empty_dir.as_ref()?;
    if ed.size_limit.is_some() {
        return None;
    }
    let writers: Vec<&Member> = ctx
        .members
        .iter()
        .filter(|m| {
            m.spec
                .volume_mounts
                .iter()
                .flatten()
                .any(|vm| vm.name == vol.name && vm.read_only != Some(true))
        })
        .collect();
    if writers.is_empty() {
        return None;
    }
    let mut sum = Quantity::ZERO;
    for w in &writers {
        let q = w.report.limits.get("memory")?;
        sum = sum.add(&Quantity::parse(&q.quantity).ok()?);
    }
    let size = sum.canonical();
    let vnode = spec_node(ctx)?.get("volumes")?.items().get(index)?;
    let (k, v) = vnode.entry("emptyDir")?;
    let edit = if v.pos.line > k.pos.line {
        let NodeKind::Map(entries) = &v.kind else {
            return None;
        };
        let (lk, lv) = entries.last()?;
        let (_, last) = field_lines(t, lk, lv)?;
        t.insert_after(
            last,
            format!(
                "{}sizeLimit: {size}{}",
                " ".repeat(v.pos.column.saturating_sub(1)),
                t.nl
            ),
        )
    } else {
        // `emptyDir: {medium: Memory}` on one line: the field goes before the brace.
        let line = t.line(v.pos.line.saturating_sub(1));
        let rest: Vec<char> = line.chars().skip(v.pos.column.saturating_sub(1)).collect();
        if rest.first() != Some(&'{') {
            return None;
        }
        let close = rest.iter().position(|c| *c == '}')?;
        if rest[1..close].contains(&'{') {
            return None;
        }
        let off = t.offset(
            v.pos.line.saturating_sub(1),
            v.pos.column.saturating_sub(1) + close,
        )?;
        t.insert(off, format!(", sizeLimit: {size}"))
    };
    let who = crate::facts::quote_names(
        &writers
            .iter()
            .map(|w| w.spec.name.as_str())
            .collect::<Vec<_>>(),
        " and ",
    );
    let how = if writers.len() == 1 {
        format!("the memory limit of {who}, its only writer")
    } else {
        format!("the sum of the memory limits of {who}, its writers")
    };
    Some(fix(format!("Set sizeLimit: {size} ({how})"), vec![edit]))
}

/// `type: Resource` → `type: ContainerResource` on the app container.
fn container_metric(ctx: &Ctx, t: &Text, d: &Diagnostic) -> Option<Fix> {
    // HPAContainerMetrics: ContainerResource is on by default from 1.27 (beta; GA in 1.30).
    if !ctx.version.hpa_container_metrics_gate().enabled() || ctx.app_names.len() != 1 {
        return None;
    }
    let app = ctx.app_names[0];
    let index: usize = d
        .path
        .as_deref()?
        .rsplit("metrics[")
        .next()?
        .strip_suffix(']')?
        .parse()
        .ok()?;
    let metric = ctx
        .hpas
        .iter()
        .filter(|h| h.file == d.file)
        .flat_map(|h| &h.metrics)
        .find(|m| m.index == index && m.line == d.line)?;
    let node = metric.node.as_ref()?;
    let (_, ty) = node.entry("type")?;
    let (rk, rv) = node.entry("resource")?;
    // The value as written: plain or quoted.
    let tl = ty.pos.line.saturating_sub(1);
    let tc = ty.pos.column.saturating_sub(1);
    let written: String = t.line(tl).chars().skip(tc).take(10).collect();
    let skip = match written.chars().next() {
        Some('"' | '\'') => 1,
        _ => 0,
    };
    if written.chars().skip(skip).take(8).collect::<String>() != "Resource" {
        return None;
    }
    let ty_at = t.offset(tl, tc + skip)?;
    let rk_at = t.offset(
        rk.pos.line.saturating_sub(1),
        rk.pos.column.saturating_sub(1),
    )?;
    if !t
        .text
        .get(rk_at..)
        .is_some_and(|s| s.starts_with("resource"))
    {
        return None;
    }
    let container_edit = if rv.pos.line > rk.pos.line {
        t.insert(
            t.starts[rv.pos.line.saturating_sub(1)],
            format!(
                "{}container: {app}{}",
                " ".repeat(rv.pos.column.saturating_sub(1)),
                t.nl
            ),
        )
    } else {
        let at = t.offset(
            rv.pos.line.saturating_sub(1),
            rv.pos.column.saturating_sub(1),
        )?;
        if !t.text.get(at..).is_some_and(|s| s.starts_with('{')) {
            return None;
        }
        t.insert(at + 1, format!("container: {app}, "))
    };
    let replace = |at: usize, len: usize, new: &str| {
        let (line, column) = t.pos(at);
        let (end_line, end_column) = t.pos(at + len);
        Edit {
            line,
            column,
            end_line,
            end_column,
            new_text: new.into(),
        }
    };
    Some(fix(
        format!("Scale on the app container '{app}' alone (type: ContainerResource)"),
        vec![
            replace(ty_at, "Resource".len(), "ContainerResource"),
            replace(rk_at, "resource".len(), "containerResource"),
            container_edit,
        ],
    ))
}

/// The source text by lines.
struct Text<'a> {
    text: &'a str,
    /// Byte offset where each line starts.
    starts: Vec<usize>,
    /// The line break the text uses.
    nl: &'static str,
}

impl<'a> Text<'a> {
    fn new(text: &'a str) -> Self {
        // Counted first: a long input's table is allocated once, not grown by doubling.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count();
        let mut starts = Vec::with_capacity(lines + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        if starts.last() == Some(&text.len()) && starts.len() > 1 {
            starts.pop();
        }
        let crlf = memchr::memmem::find(text.as_bytes(), b"\r\n").is_some();
        let nl = if crlf { "\r\n" } else { "\n" };
        Text { text, starts, nl }
    }

    fn end_of(&self, line: usize) -> usize {
        self.starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// A line without its line break.
    fn line(&self, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line) else {
            return "";
        };
        self.text[start..self.end_of(line)].trim_end_matches(['\n', '\r'])
    }

    /// The byte offset of a 0-based line and character column.
    fn offset(&self, line: usize, column: usize) -> Option<usize> {
        let start = *self.starts.get(line)?;
        let text = self.line(line);
        if column == text.chars().count() {
            return Some(start + text.len());
        }
        text.char_indices().nth(column).map(|(i, _)| start + i)
    }

    /// The 1-based line and character column of a byte offset.
    fn pos(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let start = self.starts[line];
        let column = self.text[start..offset].chars().count();
        if column > 0 && self.text[start..offset].ends_with('\n') {
            return (line + 2, 1);
        }
        (line + 1, column + 1)
    }

    /// Where the text after a line starts.
    fn after(&self, line: usize) -> usize {
        self.end_of(line)
    }

    fn insert(&self, at: usize, mut text: String) -> Edit {
        if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n') {
            text.insert_str(0, self.nl);
        }
        let (line, column) = self.pos(at);
        Edit {
            line,
            column,
            end_line: line,
            end_column: column,
            new_text: text,
        }
    }

    fn insert_after(&self, line: usize, text: String) -> Edit {
        self.insert(self.after(line), text)
    }

    fn delete_lines(&self, first: usize, last: usize) -> Edit {
        let (line, column) = self.pos(self.starts[first]);
        let (end_line, end_column) = self.pos(self.end_of(last));
        Edit {
            line,
            column,
            end_line,
            end_column,
            new_text: String::new(),
        }
    }
}

/// The indentation of a line that holds content (none for blank and comment lines).
fn indent(line: &str) -> Option<usize> {
    let rest = line.trim_start_matches(' ');
    if rest.trim().is_empty() || rest.trim_start().starts_with('#') {
        return None;
    }
    Some(line.len() - rest.len())
}

/// The last line of a block that starts at line `first` with content at `col`: the lines after it
/// indented further (or, for a sequence written at its key's indentation, `- ` at `col`).
fn block_last(t: &Text, first: usize, col: usize, dash_ok: bool) -> usize {
    let mut last = first;
    for i in first + 1..t.starts.len() {
        let line = t.line(i);
        match indent(line) {
            None => continue,
            Some(n) if n > col => last = i,
            Some(n)
                if dash_ok && n == col && {
                    let rest = line.trim_start_matches(' ');
                    rest == "-" || rest.starts_with("- ")
                } =>
            {
                last = i
            }
            _ => break,
        }
    }
    last
}

/// A block sequence entry: its lines, the column of its dash and of its first key (0-based).
struct Entry {
    first: usize,
    last: usize,
    dash: usize,
    key_col: usize,
}

fn entry(t: &Text, item: &Node) -> Option<Entry> {
    if !matches!(item.kind, NodeKind::Map(_)) {
        return None;
    }
    let l = item.pos.line.saturating_sub(1);
    let c = item.pos.column.saturating_sub(1);
    let line = t.line(l);
    let prefix: String = line.chars().take(c).collect();
    let dashed = prefix.trim_start_matches(' ');
    let after_dash = dashed.strip_prefix('-')?;
    if after_dash.is_empty() || !after_dash.chars().all(|ch| ch == ' ') {
        return None;
    }
    if line.chars().nth(c) == Some('{') {
        return None;
    }
    let dash = prefix.len() - dashed.len();
    Some(Entry {
        first: l,
        last: block_last(t, l, dash, false),
        dash,
        key_col: c,
    })
}

/// The line of a key that starts its line.
fn key_line(t: &Text, key: &Node) -> Option<usize> {
    let l = key.pos.line.saturating_sub(1);
    t.line(l)
        .chars()
        .take(key.pos.column.saturating_sub(1))
        .all(|ch| ch == ' ')
        .then_some(l)
}

/// The lines of a mapping field, its key starting its line.
fn field_lines(t: &Text, key: &Node, value: &Node) -> Option<(usize, usize)> {
    let l = key_line(t, key)?;
    let seq = matches!(value.kind, NodeKind::Seq(_));
    Some((l, block_last(t, l, key.pos.column.saturating_sub(1), seq)))
}

/// An entry's lines with its dash moved to column `to_dash`, without line `drop`.
fn shifted(t: &Text, e: &Entry, to_dash: usize, drop: Option<usize>) -> Option<String> {
    let mut out = String::new();
    for i in e.first..=e.last {
        if Some(i) == drop {
            continue;
        }
        let line = t.line(i);
        if !line.is_empty() {
            if to_dash >= e.dash {
                out.push_str(&" ".repeat(to_dash - e.dash));
                out.push_str(line);
            } else {
                let cut = e.dash - to_dash;
                let spaces = line.len() - line.trim_start_matches(' ').len();
                if spaces < cut && indent(line).is_some() {
                    return None;
                }
                out.extend(line.chars().skip(cut.min(spaces)));
            }
        }
        out.push_str(t.nl);
    }
    Some(out)
}

/// Whether lines carry an anchor, an alias or a merge key.
fn has_alias(t: &Text, first: usize, last: usize) -> bool {
    (first..=last).any(|i| {
        let line: Vec<char> = t.line(i).chars().collect();
        line.windows(2).enumerate().any(|(j, w)| {
            let before = if j == 0 { ' ' } else { line[j - 1] };
            matches!(w[0], '&' | '*')
                && (w[1].is_alphanumeric() || w[1] == '_')
                && matches!(before, ' ' | '[' | '{' | ',' | ':' | '-')
        }) || t.line(i).contains("<<:")
    })
}

/// The text with edits applied (in any order; they must not overlap).
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, String> {
    let t = Text::new(text);
    let at = |line: usize, column: usize| -> Result<usize, String> {
        if line == t.starts.len() + 1 && column == 1 && text.ends_with('\n') {
            return Ok(text.len());
        }
        line.checked_sub(1)
            .zip(column.checked_sub(1))
            .and_then(|(l, c)| t.offset(l, c))
            .or_else(|| {
                // The column just past a line's break.
                let l = line.checked_sub(1)?;
                (column == t.line(l).chars().count() + 2 && t.end_of(l) > t.starts[l])
                    .then(|| t.end_of(l))
            })
            .ok_or_else(|| format!("line {line}, column {column} is outside the text"))
    };
    let mut spans = Vec::with_capacity(edits.len());
    for e in edits {
        let (s, end) = (at(e.line, e.column)?, at(e.end_line, e.end_column)?);
        if end < s {
            return Err(format!("an edit at line {} ends before it starts", e.line));
        }
        spans.push((s, end, e.new_text.as_str()));
    }
    crate::order::sort_by_key(&mut spans, |s| (s.0, s.1));
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (s, end, new) in spans {
        if s < done {
            return Err("edits overlap".into());
        }
        out.push_str(&text[done..s]);
        out.push_str(new);
        done = end;
    }
    out.push_str(&text[done..]);
    Ok(out)
}

/// Where a line goes when edits are applied: none when the edits remove it. A line an edit moves
/// (deleted in one place, inserted with the same text, maybe re-indented, in another) follows it.
pub fn map_line(text: &str, edits: &[Edit], line: usize) -> Option<usize> {
    let t = Text::new(text);
    let here = (line, 1);
    let lines_added =
        |e: &Edit| e.new_text.matches('\n').count() as isize - (e.end_line - e.line) as isize;
    // Lines added by the edits that end at or before `pos`.
    let shift = |pos: (usize, usize), not: Option<&Edit>| -> isize {
        edits
            .iter()
            .filter(|e| {
                (e.end_line, e.end_column) <= pos && not.is_none_or(|n| !std::ptr::eq(*e, n))
            })
            .map(lines_added)
            .sum()
    };
    let Some(gone) = edits
        .iter()
        .find(|e| (e.line, e.column) <= here && (e.end_line, e.end_column) > here)
    else {
        return Some((line as isize + shift(here, None)).max(1) as usize);
    };
    let content = t.line(line.checked_sub(1)?).trim();
    if content.is_empty() {
        return None;
    }
    let wanted = line - gone.line;
    let (e, i) = edits
        .iter()
        .filter(|e| !std::ptr::eq(*e, gone))
        .flat_map(|e| {
            e.new_text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.trim() == content)
                .map(move |(i, _)| (e, i))
        })
        .min_by_key(|(_, i)| i.abs_diff(wanted))?;
    Some((e.line as isize + shift((e.line, e.column), Some(e)) + i as isize).max(1) as usize)
}

/// Applies every fix (or those of `rules`; a finding's first choice) to each source, analysing
/// again after each, until none applies. Returns each source's new text and the titles applied.
pub fn fix_all(
    sources: &[Source<'_>],
    options: &crate::Options,
    rules: &[String],
) -> Vec<(String, Vec<String>)> {
    let mut texts: Vec<String> = sources.iter().map(|s| s.text.to_string()).collect();
    let mut applied: Vec<Vec<String>> = vec![Vec::new(); sources.len()];
    let mut tried: std::collections::BTreeSet<(usize, String, String, String)> = Default::default();
    // Each round applies one fix; a pod has few findings, and each fix is tried once.
    for _ in 0..200 {
        let current: Vec<Source> = sources
            .iter()
            .zip(&texts)
            .map(|(s, t)| Source {
                name: s.name,
                text: t,
            })
            .collect();
        let analysis = crate::analyze(&current, options);
        let errors = analysis.errors.len();
        let mut progressed = false;
        'find: for w in &analysis.workloads {
            for d in &w.diagnostics {
                let Some(f) = &d.fix else { continue };
                // A waived finding is accepted as it is.
                if d.waived.is_some() {
                    continue;
                }
                if !rules.is_empty() && !rules.contains(&d.rule) {
                    continue;
                }
                let Some(i) = sources.iter().position(|s| s.name == d.file) else {
                    continue;
                };
                let key = (
                    i,
                    d.rule.clone(),
                    f.title.clone(),
                    d.path.clone().unwrap_or_default(),
                );
                if !tried.insert(key) {
                    continue;
                }
                let Ok(new) = apply(&texts[i], &f.edits) else {
                    continue;
                };
                let mut trial = current.clone();
                trial[i].text = &new;
                // A fix that makes an input unreadable is not applied.
                if crate::analyze(&trial, options).errors.len() > errors {
                    continue;
                }
                texts[i] = new;
                applied[i].push(f.title.clone());
                progressed = true;
                break 'find;
            }
        }
        if !progressed {
            break;
        }
    }
    texts.into_iter().zip(applied).collect()
}

/// One edit as an editor applies it: offsets in UTF-16 code units (as CodeMirror and the DOM
/// count), `to` exclusive.
#[derive(Clone, Debug, serde::Serialize, PartialEq, Eq)]
pub struct Change {
    pub from: usize,
    pub to: usize,
    pub insert: String,
}

/// Edits as editor changes, in text order; refused where they overlap or leave the text.
pub fn utf16_changes(text: &str, edits: &[Edit]) -> Result<Vec<Change>, String> {
    // `apply` checks every position and overlap; the offsets below are then exact.
    apply(text, edits)?;
    let t = Text::new(text);
    let utf16 = |line: usize, column: usize| -> usize {
        let l = line - 1;
        let (start, prefix) = match t.starts.get(l) {
            Some(&s) => (s, t.line(l).chars().take(column - 1).collect::<String>()),
            None => (text.len(), String::new()),
        };
        let before: usize = text.get(..start).map_or(0, |s| s.encode_utf16().count());
        // The column just past a line's break stands at the next line's start.
        let past = column - 1 > t.line(l).chars().count();
        if past {
            return text
                .get(..t.end_of(l))
                .map_or(0, |s| s.encode_utf16().count());
        }
        before + prefix.encode_utf16().count()
    };
    let mut out: Vec<Change> = edits
        .iter()
        .map(|e| Change {
            from: utf16(e.line, e.column),
            to: utf16(e.end_line, e.end_column),
            insert: e.new_text.clone(),
        })
        .collect();
    crate::order::sort_by_key(&mut out, |c| (c.from, c.to));
    Ok(out)
}
