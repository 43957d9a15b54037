// Building the page from data without ever parsing data as HTML: elements are made with
// createElement/createElementNS, values go in as text nodes or plain attributes. No inline style
// anywhere (the Content-Security-Policy refuses it): looks come from dashboard.css classes.

export const $ = (id) => document.getElementById(id);

function build(node, properties, children) {
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'class') node.setAttribute('class', value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null && child !== false) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** An HTML element with attributes, listeners (`onclick`...) and children (strings become text nodes). */
export function h(tag, properties = {}, ...children) {
  return build(document.createElement(tag), properties, children);
}

const svgNamespace = 'http://www.w3.org/2000/svg';

/** The same for SVG elements (the usage chart). */
export function svg(tag, properties = {}, ...children) {
  return build(document.createElementNS(svgNamespace, tag), properties, children);
}

/**
 * A table of rows; columns are {label, value(row) -> string | Node, number?, class?}; `rowProperties(row)` adds attributes to a row.
 * It sits in a box that scrolls sideways, so a table wider than a narrow window does not widen the page.
 */
export function table(label, columns, rows, { empty = 'Nothing yet.', rowProperties } = {}) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { 'aria-label': label },
      h('thead', {}, h('tr', {}, columns.map((column) => h('th', { scope: 'col', class: column.number ? 'number' : column.class }, column.label)))),
      h('tbody', {}, rows.map((row) => h('tr', rowProperties?.(row) ?? {}, columns.map((column) => h('td', { class: column.number ? 'number' : column.class }, column.value(row)))))),
    ),
  );
}

/**
 * Focuses the first candidate (an element, an id, or a CSS selector starting with a row's
 * `[data-...]`) that is in the page and shown: where focus goes when a redraw has removed the
 * control that had it, so a keyboard user goes on from the same place instead of the top.
 */
export function focusFirst(...candidates) {
  for (const candidate of candidates) {
    const node = typeof candidate === 'string' ? (candidate.startsWith('[') || candidate.startsWith('#') ? document.querySelector(candidate) : $(candidate)) : candidate;
    if (node?.isConnected && node.getClientRects().length > 0) {
      node.focus();
      return;
    }
  }
}

/** `[data-name="value"]`, with the value escaped for CSS. */
export const byData = (name, value) => `[data-${name}="${CSS.escape(value)}"]`;

/** A <select> of [value, label] pairs with `selected` chosen. */
export function select(properties, options, selected) {
  const node = h('select', properties, options.map(([value, label]) => h('option', { value }, label)));
  node.value = selected;
  return node;
}
