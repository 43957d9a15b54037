/**
 * Words run together once their letters are joined: "I.g.n.o.r.e.a.l.l.p.r.e.v.i.o.u.s" and
 * "i g n o r e a l l p r e v i o u s" spell a whole sentence with no gap between its words, and
 * the patterns need the gaps. The run is cut into the words below where they cover it ("ignore
 * all previous instructions"); a run they cover less than half of, or that holds fewer than three
 * of them ("S y s t e m p r o m p t" is a German compound), is left as it was.
 *
 * The words are those attacks are made of and the short words between them (English), not a
 * dictionary: the cut only has to give the patterns their keywords back.
 */
const vocabulary = new Set(
  `a about above access act admin after all also always an and answer any anything are as ask assistant at be been before below bypass
  by can code command commands confidential context credentials dan data delete developer did disable disregard do does don dont
  earlier email enabled every everything exactly filter filters first follow for forget from full game give given granted guidelines
  hacked has have hidden i if ignore in initial instead instruction instructions into is it its jailbreak key keys leak let list
  me message messages mode model must my new no not nothing now of off on only or original other output override password passwords
  policy print prior previous prompt prompts pwned repeat reply respond restriction restrictions reveal role rule rules safety say
  secret secrets send setup should show so system task tell text that the their them then there these this to token told tool
  unrestricted uncensored unfiltered up user users verbatim was we were what when which with without word words write you your`
    .split(/\s+/)
    .filter((word) => word.length > 0),
);
const longestWord = Math.max(...[...vocabulary].map((word) => word.length));

/** Runs shorter than this are words or acronyms ("USA"), not sentences. */
export const runOnFrom = 12;

/** `run` with spaces between the vocabulary's words where they cover at least half of it; else `run`. */
export function splitRunOn(run: string): string {
  const lower = run.toLowerCase();
  const length = lower.length;
  // cost[i]: letters left uncovered in the best cut of lower[0, i), then the number of pieces; from[i]: where its last piece starts.
  const uncovered = new Array<number>(length + 1).fill(Number.POSITIVE_INFINITY);
  const pieces = new Array<number>(length + 1).fill(Number.POSITIVE_INFINITY);
  const from = new Array<number>(length + 1).fill(0);
  const word = new Array<boolean>(length + 1).fill(false);
  uncovered[0] = 0;
  pieces[0] = 0;
  for (let end = 1; end <= length; end++) {
    const consider = (start: number, left: number, isWord: boolean): void => {
      const total = uncovered[start]! + left;
      const count = pieces[start]! + 1;
      if (total < uncovered[end]! || (total === uncovered[end]! && count < pieces[end]!)) {
        uncovered[end] = total;
        pieces[end] = count;
        from[end] = start;
        word[end] = isWord;
      }
    };
    consider(end - 1, 1, false);
    for (let start = Math.max(0, end - longestWord); start < end; start++) if (vocabulary.has(lower.slice(start, end))) consider(start, 0, true);
  }
  if (uncovered[length]! * 2 > length) return run;
  const parts: string[] = [];
  let words = 0;
  for (let end = length; end > 0; ) {
    let start = from[end]!;
    if (word[end]) words++;
    // Letters no word covers stay together as one piece.
    else while (start > 0 && !word[start] && from[start] === start - 1) start--;
    // Collected from the end and turned round once: `unshift` moved every piece so far (64 KB of "a a a …" took 0.3 s, quadratic).
    parts.push(run.slice(start, end));
    end = start;
  }
  // One or two words are a word or a compound ("Systemprompt"), not a sentence run together.
  return words >= 3 ? parts.reverse().join(' ') : run;
}
