/**
 * A text as the detectors read it (digits in ASCII, escapes decoded, invisible characters left
 * out…) and the way back to the original's offsets, so a detection replaces the whole original
 * span. number-view.ts and encoded-view.ts build one; the scanner reads their chain.
 */
export interface TextView {
  text: string;
  /** Index in the original of the character at `index` of the view. */
  startOf(index: number): number;
  /** Index in the original just after the character at `index - 1` of the view (an exclusive end). */
  endOf(index: number): number;
}

/**
 * Builds a view by replacing spans of the original, left to right; what is not replaced is copied.
 * Every replacement is no longer than what it replaces, so an offset map of shifts suffices.
 */
export class ViewBuilder {
  readonly #original: string;
  #text = '';
  #copiedTo = 0;
  // From view index shiftFrom[n] on, the original's index is the view's plus shiftBy[n].
  readonly #shiftFrom: number[] = [];
  readonly #shiftBy: number[] = [];
  #shift = 0;

  constructor(original: string) {
    this.#original = original;
  }

  /** Replaces the `width` characters of the original at `index` (at or after the last replacement) with `replacement`. */
  replace(index: number, width: number, replacement: string): void {
    this.#text += this.#original.slice(this.#copiedTo, index) + replacement;
    this.#copiedTo = index + width;
    if (replacement.length !== width) {
      this.#shift += width - replacement.length;
      this.#shiftFrom.push(this.#text.length);
      this.#shiftBy.push(this.#shift);
    }
  }

  /** The view, or null when nothing was replaced. */
  finish(): TextView | null {
    if (this.#copiedTo === 0) return null;
    const original = this.#original;
    const text = this.#text + original.slice(this.#copiedTo);
    const shiftFrom = this.#shiftFrom;
    const shiftBy = this.#shiftBy;
    const startOf = (index: number): number => {
      // The last shift at or before the index (a binary search: a long text may hold many).
      let low = 0;
      let high = shiftFrom.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (shiftFrom[middle] <= index) low = middle + 1;
        else high = middle;
      }
      return index + (low === 0 ? 0 : shiftBy[low - 1]);
    };
    return {
      text,
      startOf,
      // What was replaced is contiguous, so a character's end is where the next one starts; what
      // a view leaves out after its last character (an invisible one) is inside the end.
      endOf: (index) => (index === 0 ? 0 : index >= text.length ? original.length : startOf(index)),
    };
  }
}

/** The view `inner` (over `outer.text`) read back through `outer` to the original. */
export function chainViews(outer: TextView | null, inner: TextView | null): TextView | null {
  if (outer === null || inner === null) return inner ?? outer;
  return {
    text: inner.text,
    startOf: (index) => outer.startOf(inner.startOf(index)),
    endOf: (index) => outer.endOf(inner.endOf(index)),
  };
}
