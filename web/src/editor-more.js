// The editor's extras (see editor.js, which loads this file once the editor is in place):
// CodeMirror's basicSetup, as its documentation suggests copying it, less what editor.js already
// holds, and without autocompletion (YAML has no completion source here) and the lint keymap
// (the page draws its own markers); the YAML language, guarded against hostile nesting; and
// the dark theme's highlight style.

import { EditorState } from "@codemirror/state";
import { foldGutter, indentOnInput, defaultHighlightStyle, bracketMatching, foldKeymap, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { history, defaultKeymap, historyKeymap, indentWithTab } from "@codemirror/commands";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { yaml } from "@codemirror/lang-yaml";
import { Compartment, Prec } from "@codemirror/state";
import { tags as t } from "@lezer/highlight";
import { EditorView, keymap } from "@codemirror/view";

const darkHighlight = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "#8fb4ff" },
  { tag: [t.string, t.special(t.string), t.content], color: "#b5e08f" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "#f0c05a" },
  { tag: [t.comment, t.lineComment], color: "#a3acbb", fontStyle: "italic" },
  { tag: [t.keyword, t.meta, t.labelName, t.typeName], color: "#e3a6ff" },
  { tag: [t.punctuation, t.separator, t.brace, t.squareBracket], color: "#c9d1dc" },
]);

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


function extras(doc) {
  return [
    foldGutter(),
    history(),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    highlightSelectionMatches(),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap]),
    keymap.of([indentWithTab]),
    language.of(tooDeep(doc) ? plain : yamlLanguage),
    languageGuard,
  ];
}

window.podlabEditorMore = { extras, darkHighlight: Prec.highest(syntaxHighlighting(darkHighlight)) };
