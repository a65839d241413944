// The manifest editor, in two steps. This file, loaded after the first analysis, puts
// CodeMirror 6 in place: the text, line numbers, selection, the page's gutter markers and line
// highlight, and the light or dark theme. Right after, it loads editor-more.js, which adds what a
// moment's wait does not hurt: YAML highlighting, folding, undo and redo, search, bracket
// matching and closing, and CodeMirror's keymaps (this file is 84 KB gzip, the extras 50; the
// editor was 124 KB in one). The page (Rust/
// WebAssembly) talks to the editor through window.podlabEditor; podlabEditor.complete resolves
// once the extras are in.
//
// The extras are built against this file's CodeMirror (web/build-editor.mjs): it lends them
// its @codemirror/state and @codemirror/view as window.podlabCodeMirror, so that there is one
// copy of each, as CodeMirror requires.

import * as state from "@codemirror/state";
import * as cmView from "@codemirror/view";

const { Compartment, EditorState, StateEffect, StateField, RangeSet } = state;
const {
  lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection, dropCursor,
  rectangularSelection, crosshairCursor, highlightActiveLine, Decoration, EditorView, GutterMarker, gutter,
} = cmView;

window.podlabCodeMirror = { state, view: cmView };

// What editor-more.js adds, once it has loaded (its `extras(doc)` and `darkHighlight`).
let extra = null;
// The extras take this place among the extensions: the fold gutter sits between the line
// numbers and the page's markers. Until then a spacer as wide as the fold gutter holds its place,
// so nothing moves when they arrive.
const extras = new Compartment();
class FoldSpacer extends GutterMarker {
  toDOM() {
    const el = document.createElement("span");
    el.textContent = "›";
    return el;
  }
}
const foldSpace = gutter({ class: "cm-foldGutter", initialSpacer: () => new FoldSpacer() });

class Marker extends GutterMarker {
  constructor(kind, title) {
    super();
    this.kind = kind;
    this.title = title;
  }
  eq(other) {
    return other.kind === this.kind && other.title === this.title;
  }
  toDOM() {
    const el = document.createElement("span");
    el.className = "cm-podlab-marker cm-podlab-" + this.kind;
    el.title = this.title;
    el.textContent = { error: "●", warning: "▲", info: "ℹ", note: "✎", container: "▸" }[this.kind] || "•";
    return el;
  }
}

const setMarkers = StateEffect.define();
const markerField = StateField.define({
  create: () => RangeSet.empty,
  update(value, tr) {
    value = value.map(tr.changes);
    for (const e of tr.effects) if (e.is(setMarkers)) value = e.value;
    return value;
  },
});

const setHighlight = StateEffect.define();
const highlightLine = Decoration.line({ class: "cm-podlab-highlight" });
const highlightField = StateField.define({
  create: () => Decoration.none,
  update(value, tr) {
    value = value.map(tr.changes);
    for (const e of tr.effects) if (e.is(setHighlight)) value = e.value;
    return value;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const severityRank = { error: 0, warning: 1, info: 2, note: 3, container: 4 };

// The editor follows the system's light or dark preference, live.
const theme = new Compartment();
const darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
// A dark theme whose every colour keeps at least 4.5:1 against its background (WCAG AA).
const darkBase = EditorView.theme(
  {
    "&": { color: "#e3e7ee", backgroundColor: "#1b1f27" },
    ".cm-content": { caretColor: "#8fb4ff" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#8fb4ff" },
    "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": { backgroundColor: "#33415c" },
    // A separator as wide as the light theme's, so that the text starts at the same place.
    ".cm-gutters": { backgroundColor: "#1b1f27", color: "#a9b1c0", borderRight: "1px solid #2c3340" },
    ".cm-activeLine": { backgroundColor: "#232936" },
    ".cm-activeLineGutter": { backgroundColor: "#232936", color: "#e3e7ee" },
    ".cm-panels": { backgroundColor: "#14171d", color: "#e3e7ee" },
    ".cm-searchMatch": { backgroundColor: "#4a3f1a" },
    ".cm-matchingBracket": { backgroundColor: "#2f3b52", outline: "1px solid #6b9cff" },
  },
  { dark: true },
);
// The extras add their own dark highlight style (`darkHighlight` in editor-more.js).
const themeFor = (dark) => (dark ? [darkBase, extra ? extra.darkHighlight : []] : []);

let view = null;
let changeHandler = null;
let debounce = null;
let completed;
const complete = new Promise((resolve) => (completed = resolve));

function create(parent, doc, onChange) {
  changeHandler = onChange;
  view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        extras.of(foldSpace),
        highlightSpecialChars(),
        drawSelection(),
        dropCursor(),
        EditorState.allowMultipleSelections.of(true),
        rectangularSelection(),
        crosshairCursor(),
        highlightActiveLine(),
        theme.of(themeFor(darkQuery && darkQuery.matches)),
        markerField,
        highlightField,
        gutter({ class: "cm-podlab-gutter", markers: (v) => v.state.field(markerField) }),
        EditorView.contentAttributes.of({ "aria-label": "Kubernetes manifest", "aria-describedby": "editor-hint", "data-testid": "editor", tabindex: "0" }),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged || !changeHandler) return;
          // Coalesce bursts of keystrokes (and paste) into one analysis per frame.
          if (debounce) cancelAnimationFrame(debounce);
          debounce = requestAnimationFrame(() => {
            debounce = null;
            changeHandler(view.state.doc.toString());
          });
        }),
      ],
    }),
  });
  if (darkQuery) {
    darkQuery.addEventListener("change", (e) => view.dispatch({ effects: theme.reconfigure(themeFor(e.matches)) }));
  }
  // The moment the editor is in place, for the budget of what a first visit sends before it.
  performance.mark("podlab-editor");
  loadExtras();
  return view;
}

// editor-more.js sits beside this file and carries the same build query (`?v=`).
const moreSrc = document.currentScript ? document.currentScript.src.replace(/editor\.js(?=$|[?#])/, "editor-more.js") : "editor-more.js";

// Loaded once; an editor created again (the page may remount it) gets them at once.
let requested = false;

function loadExtras() {
  if (requested) return applyExtras();
  requested = true;
  const script = document.createElement("script");
  script.src = moreSrc;
  script.onload = () => {
    extra = window.podlabEditorMore || null;
    applyExtras();
    completed();
  };
  // Without them the editor still edits; the page's analysis does not depend on them.
  script.onerror = () => completed();
  document.head.appendChild(script);
}

function applyExtras() {
  if (!extra || !view) return;
  view.dispatch({
    effects: [extras.reconfigure(extra.extras(view.state.doc)), theme.reconfigure(themeFor(darkQuery && darkQuery.matches))],
  });
}

function setDoc(text) {
  if (!view) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

// changes: [{from, to, insert}] in UTF-16 offsets of the current text (the engine's
// fix::utf16_changes). One dispatch, so one undo step restores the text exactly.
function applyChangesJson(json) {
  if (!view) return false;
  const changes = JSON.parse(json);
  const length = view.state.doc.length;
  if (!changes.every((c) => c.from >= 0 && c.from <= c.to && c.to <= length)) return false;
  view.dispatch({ changes, userEvent: "input.fix", scrollIntoView: true });
  return true;
}

function getDoc() {
  return view ? view.state.doc.toString() : "";
}

// markers: [{line, kind, title}] with 1-based lines
function setMarkersJson(json) {
  if (!view) return;
  const list = JSON.parse(json)
    .filter((m) => m.line >= 1 && m.line <= view.state.doc.lines)
    .sort((a, b) => a.line - b.line || severityRank[a.kind] - severityRank[b.kind]);
  const seen = new Set();
  const ranges = [];
  for (const m of list) {
    if (seen.has(m.line)) continue;
    seen.add(m.line);
    ranges.push(new Marker(m.kind, m.title).range(view.state.doc.line(m.line).from));
  }
  view.dispatch({ effects: setMarkers.of(RangeSet.of(ranges)) });
}

function gotoLine(line) {
  if (!view || line < 1 || line > view.state.doc.lines) return;
  const l = view.state.doc.line(line);
  view.dispatch({
    selection: { anchor: l.from },
    effects: [EditorView.scrollIntoView(l.from, { y: "center" }), setHighlight.of(Decoration.set([highlightLine.range(l.from)]))],
  });
  view.focus();
}

function cursorLine() {
  return view ? view.state.doc.lineAt(view.state.selection.main.head).number : 1;
}

window.podlabEditor = { create, setDoc, getDoc, setMarkersJson, gotoLine, cursorLine, applyChangesJson, complete };
window.dispatchEvent(new Event("podlab-editor-ready"));
