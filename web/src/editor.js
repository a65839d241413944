// The manifest editor: CodeMirror 6 with YAML highlighting, line numbers, search, bracket
// matching, undo/redo, and gutter markers that the page sets from the engine's analysis.
// The page (Rust/WebAssembly) talks to it through window.podlabEditor.

import {
  lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection, dropCursor,
  rectangularSelection, crosshairCursor, highlightActiveLine,
} from "@codemirror/view";
import { foldGutter, indentOnInput, defaultHighlightStyle, bracketMatching, foldKeymap } from "@codemirror/language";
import { history, defaultKeymap, historyKeymap } from "@codemirror/commands";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";

// CodeMirror's basicSetup, as its documentation suggests copying it, without autocompletion
// (YAML has no completion source here) and the lint keymap (the page draws its own markers):
// about 13 KB less to download.
const setup = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  foldGutter(),
  drawSelection(),
  dropCursor(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  closeBrackets(),
  rectangularSelection(),
  crosshairCursor(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap]),
];
import { yaml } from "@codemirror/lang-yaml";
import { Compartment, EditorState, Prec, StateEffect, StateField, RangeSet } from "@codemirror/state";
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { tags as t } from "@lezer/highlight";
import { Decoration, EditorView, GutterMarker, gutter, keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";

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
    ".cm-gutters": { backgroundColor: "#1b1f27", color: "#a9b1c0", border: "none" },
    ".cm-activeLine": { backgroundColor: "#232936" },
    ".cm-activeLineGutter": { backgroundColor: "#232936", color: "#e3e7ee" },
    ".cm-panels": { backgroundColor: "#14171d", color: "#e3e7ee" },
    ".cm-searchMatch": { backgroundColor: "#4a3f1a" },
    ".cm-matchingBracket": { backgroundColor: "#2f3b52", outline: "1px solid #6b9cff" },
  },
  { dark: true },
);
const darkHighlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "#8fb4ff" },
  { tag: [t.string, t.special(t.string), t.content], color: "#b5e08f" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "#f0c05a" },
  { tag: [t.comment, t.lineComment], color: "#a3acbb", fontStyle: "italic" },
  { tag: [t.keyword, t.meta, t.labelName, t.typeName], color: "#e3a6ff" },
  { tag: [t.punctuation, t.separator, t.brace, t.squareBracket], color: "#c9d1dc" },
]);
const themeFor = (dark) => (dark ? [darkBase, Prec.highest(syntaxHighlighting(darkHighlight))] : []);

// Lezer builds the syntax tree recursively, so flow collections nested thousands deep (hostile
// input: the engine itself refuses more than 200 levels) can overflow the stack inside a
// transaction. Past this depth the editor shows the text plain, without the YAML language.
const MAX_LANGUAGE_DEPTH = 1000;
const language = new Compartment();
const yamlLanguage = yaml();
const plain = [];

// Whether brackets open deeper than MAX_LANGUAGE_DEPTH anywhere in these pieces of text (quotes
// are not told apart: an estimate that only errs towards plain text).
function tooDeep(pieces) {
  let depth = 0;
  for (const s of pieces) {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 91 || c === 123) {
        if (++depth > MAX_LANGUAGE_DEPTH) return true;
      } else if ((c === 93 || c === 125) && depth > 0) {
        depth--;
      }
    }
  }
  return false;
}

// Whether a change writes an opening bracket or removes a closing one: only then can the
// nesting grow, so ordinary typing is not followed by a scan of the whole text.
function deepens(tr) {
  let yes = false;
  tr.changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    yes ||= /[[{]/.test(inserted.toString()) || /[\]}]/.test(tr.startState.doc.sliceString(fromA, toA));
  });
  return yes;
}

// The language goes off in the very transaction that deepens the text, before it can parse it,
// and comes back in a transaction of its own once the text is shallow again.
const languageGuard = [
  EditorState.transactionExtender.of((tr) => {
    if (!tr.docChanged || language.get(tr.startState) === plain || !deepens(tr)) return null;
    return tooDeep(tr.newDoc) ? { effects: language.reconfigure(plain) } : null;
  }),
  EditorView.updateListener.of((u) => {
    if (!u.docChanged || language.get(u.state) !== plain) return;
    setTimeout(() => {
      const state = u.view.state;
      if (language.get(state) === plain && !tooDeep(state.doc)) {
        u.view.dispatch({ effects: language.reconfigure(yamlLanguage) });
      }
    });
  }),
];

let view = null;
let changeHandler = null;
let debounce = null;

function create(parent, doc, onChange) {
  changeHandler = onChange;
  view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        setup,
        language.of(tooDeep([doc]) ? plain : yamlLanguage),
        languageGuard,
        theme.of(themeFor(darkQuery && darkQuery.matches)),
        keymap.of([indentWithTab]),
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
  return view;
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

window.podlabEditor = { create, setDoc, getDoc, setMarkersJson, gotoLine, cursorLine, applyChangesJson };
window.dispatchEvent(new Event("podlab-editor-ready"));
