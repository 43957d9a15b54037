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
  /** The lists that keyword belongs to (listsOf's entry, kept here to save a lookup per hit). */
  lists: number[] | null;
}

/** The root's children by first UTF-16 code unit (there are a few hundred); deeper nodes have few and are scanned. */
const roots = new Map<number, TrieNode>();
/** The same for ASCII, in an array: most characters of most texts, looked up once each. */
const asciiRoots: Array<TrieNode | undefined> = new Array(128).fill(undefined);
const listIds = new WeakMap<readonly string[], number>();
/** For each keyword, the lists it belongs to. */
const listsOf = new Map<string, number[]>();
let listCount = 0;

function add(keyword: string, list: number): void {
  const first = keyword.charCodeAt(0);
  let node = roots.get(first);
  if (node === undefined) {
    node = { codes: [], children: [], keyword: null, lists: null };
    roots.set(first, node);
    if (first < 128) asciiRoots[first] = node;
  }
  for (let index = 1; index < keyword.length; index++) {
    const code = keyword.charCodeAt(index);
    const at: number = node.codes.indexOf(code);
    if (at === -1) {
      const child: TrieNode = { codes: [], children: [], keyword: null, lists: null };
      node.codes.push(code);
      node.children.push(child);
      node = child;
    } else {
      node = node.children[at]!;
    }
  }
  node.keyword = keyword;
  let lists = listsOf.get(keyword);
  if (lists === undefined) {
    lists = [list];
    listsOf.set(keyword, lists);
  } else {
    lists.push(list);
  }
  node.lists = lists;
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
  /** Where each keyword known at the scan occurs (ascending); a keyword that does not occur has no entry. */
  positions: Map<string, number[]>;
  /** Where any keyword of a list occurs, by list, once asked for. */
  merged: Map<readonly string[], readonly number[]>;
}

const scans = new WeakMap<TextView, Scan>();
// The signals ask about one message after another: the last one's scan, without a WeakMap lookup.
let lastView: TextView | undefined;
let lastScan: Scan | undefined;

function scanOf(view: TextView): Scan {
  if (view === lastView) return lastScan!;
  let entry = scans.get(view);
  if (entry === undefined) {
    const text = view.lowered;
    const satisfied = new Uint8Array(listCount);
    const positions = new Map<string, number[]>();
    for (let start = 0; start < text.length; start++) {
      const first = text.charCodeAt(start);
      let node = first < 128 ? asciiRoots[first] : roots.get(first);
      for (let index = start + 1; node !== undefined; index++) {
        if (node.keyword !== null) {
          for (const list of node.lists!) satisfied[list] = 1;
          const found = positions.get(node.keyword);
          if (found === undefined) positions.set(node.keyword, [start]);
          else found.push(start);
        }
        if (index >= text.length) break;
        const at: number = node.codes.indexOf(text.charCodeAt(index));
        node = at === -1 ? undefined : node.children[at];
      }
    }
    entry = { satisfied, later: new Map(), positions, merged: new Map() };
    scans.set(view, entry);
  }
  lastView = view;
  lastScan = entry;
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

/**
 * Where in the message's lower-cased text any of the keywords begins, ascending: the positions at
 * which a pattern whose every match begins with one of them can match (match-starts.ts).
 */
export function keywordPositions(view: TextView, keywords: readonly string[]): readonly number[] {
  const id = idOf(keywords);
  const entry = scanOf(view);
  let merged = entry.merged.get(keywords);
  if (merged === undefined) {
    const all: number[] = [];
    for (const keyword of keywords) {
      // A list that joined after the scan may have keywords the walk did not know: found apart, once.
      let found = entry.positions.get(keyword);
      if (found === undefined && id >= entry.satisfied.length && keyword.length > 0) {
        found = [];
        for (let at = view.lowered.indexOf(keyword); at !== -1; at = view.lowered.indexOf(keyword, at + 1)) found.push(at);
        entry.positions.set(keyword, found);
      }
      if (found !== undefined) for (const position of found) all.push(position);
    }
    // One keyword's positions are ascending already; several need sorting, and a start shared by two ("ignor", "ignore") counts once.
    if (keywords.length > 1) all.sort((left, right) => left - right);
    merged = all.filter((position, index) => index === 0 || position !== all[index - 1]);
    entry.merged.set(keywords, merged);
  }
  return merged;
}
