import type { TextView } from './signal.ts';

/**
 * Which of the patterns' keywords a text contains, found in one pass over it. Most patterns name
 * keywords one of which any match contains (signal.ts); testing each list with its own regex was
 * the larger part of the detector's cost once there were ~150 lists, since every list scanned the
 * whole text. Here every keyword of every list sits in one trie, the lower-cased text is walked
 * once per message, and the lists its keywords belong to are marked. Lists join the trie when a
 * pattern first uses them.
 */

interface TrieNode {
  codes: number[];
  children: TrieNode[];
  /** The keyword that ends here, if any. */
  keyword: string | null;
}

/** The root's children by first UTF-16 code unit (there are a few hundred); deeper nodes have few and are scanned. */
const roots = new Map<number, TrieNode>();
const listIds = new WeakMap<readonly string[], number>();
/** For each keyword, the lists it belongs to. */
const listsOf = new Map<string, number[]>();
let listCount = 0;

function add(keyword: string, list: number): void {
  const first = keyword.charCodeAt(0);
  let node = roots.get(first);
  if (node === undefined) {
    node = { codes: [], children: [], keyword: null };
    roots.set(first, node);
  }
  for (let index = 1; index < keyword.length; index++) {
    const code = keyword.charCodeAt(index);
    const at: number = node.codes.indexOf(code);
    if (at === -1) {
      const child: TrieNode = { codes: [], children: [], keyword: null };
      node.codes.push(code);
      node.children.push(child);
      node = child;
    } else {
      node = node.children[at]!;
    }
  }
  node.keyword = keyword;
  const lists = listsOf.get(keyword);
  if (lists === undefined) listsOf.set(keyword, [list]);
  else lists.push(list);
}

function idOf(keywords: readonly string[]): number {
  let id = listIds.get(keywords);
  if (id === undefined) {
    id = listCount++;
    listIds.set(keywords, id);
    for (const keyword of keywords) if (keyword.length > 0) add(keyword, id);
  }
  return id;
}

interface Scan {
  /** By list id: 1 when the text has one of the list's keywords (lists known when the text was scanned). */
  satisfied: Uint8Array;
  /** Lists that joined after the scan, and gates: answered once each. */
  later: Map<object, boolean>;
}

const scans = new WeakMap<TextView, Scan>();

function scanOf(view: TextView): Scan {
  let entry = scans.get(view);
  if (entry === undefined) {
    const text = view.lowered;
    const satisfied = new Uint8Array(listCount);
    for (let start = 0; start < text.length; start++) {
      let node = roots.get(text.charCodeAt(start));
      for (let index = start + 1; node !== undefined; index++) {
        if (node.keyword !== null) for (const list of listsOf.get(node.keyword)!) satisfied[list] = 1;
        if (index >= text.length) break;
        const at: number = node.codes.indexOf(text.charCodeAt(index));
        node = at === -1 ? undefined : node.children[at];
      }
    }
    entry = { satisfied, later: new Map() };
    scans.set(view, entry);
  }
  return entry;
}

/** Whether the message's lower-cased text contains one of the keywords. */
export function containsKeyword(view: TextView, keywords: readonly string[]): boolean {
  const id = idOf(keywords);
  const entry = scanOf(view);
  if (id < entry.satisfied.length) return entry.satisfied[id] === 1;
  // A list that joined after this message was scanned (only while the patterns are first used).
  let answer = entry.later.get(keywords);
  if (answer === undefined) {
    answer = keywords.some((keyword) => view.lowered.includes(keyword));
    entry.later.set(keywords, answer);
  }
  return answer;
}

/** Whether a gate regex matches the message (`text` is one of the view's texts), remembered for the message: several patterns share a gate. */
export function passesGate(view: TextView, gate: RegExp, text: string): boolean {
  const entry = scanOf(view);
  let answer = entry.later.get(gate);
  if (answer === undefined) {
    answer = gate.test(text) || (text === view.normalized && view.unleeted !== null && gate.test(view.unleeted));
    entry.later.set(gate, answer);
  }
  return answer;
}
