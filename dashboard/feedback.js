// Telling the operator what failed: the API's own status, code and message, in the alert box at
// the top (or a form's own box), and what a 401 or a viewer's 403 means for the page.

import { ApiError, signedOutCode } from './api.js';
import { $ } from './dom.js';
import { InputError } from './format.js';

const handlers = { unauthorized: () => {}, readOnly: () => {} };

/** What the page does on a 401 (ask for the token again) and on 403 read_only_token (hide the write controls). */
export function onAuthProblems({ unauthorized, readOnly }) {
  handlers.unauthorized = unauthorized;
  handlers.readOnly = readOnly;
}

export function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = false;
}

export function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
  for (const node of document.querySelectorAll('[aria-describedby~="error"]')) unmarkControl(node, 'error');
}

/** Marks a field as wrong, described (also) by the box that says why. */
export function markControl(node, boxId) {
  node.setAttribute('aria-invalid', 'true');
  const described = (node.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '' && id !== boxId);
  node.setAttribute('aria-describedby', [...described, boxId].join(' '));
}

/** Takes the mark off again, keeping any other description (a hint). */
export function unmarkControl(node, boxId) {
  node.removeAttribute('aria-invalid');
  const described = (node.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '' && id !== boxId);
  if (described.length === 0) node.removeAttribute('aria-describedby');
  else node.setAttribute('aria-describedby', described.join(' '));
}

/** "PATCH /keys/{id}: 400 invalid_request: ..."; a typing mistake is its own message. */
export function describe(error) {
  if (error instanceof InputError) return error.message;
  if (!(error instanceof ApiError)) return `Unexpected error: ${error?.message ?? String(error)}`;
  return `${error.request}: ${error.status === 0 ? '' : `${error.status} `}${error.code}: ${error.message}`;
}

/** A 401 signs out; a viewer's 403 switches the page to read-only. True when the error was one of them. */
function handleAuthProblem(error) {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 401) {
    handlers.unauthorized();
    showError(`The token was refused (${describe(error)}). Enter a valid admin or viewer token.`);
    return true;
  }
  if (error.status === 403) {
    if (error.code === 'read_only_token') handlers.readOnly();
    showError(`Not allowed with this token (${describe(error)}). A viewer token can read but not change anything.`);
    return true;
  }
  return false;
}

/** A call cut short by signing out: the page it would have drawn is gone, nothing to say. */
const isSignedOut = (error) => error instanceof ApiError && error.code === signedOutCode;

/** Marks the field an InputError names, pointing at the box that says why. */
function markInputError(error, box) {
  const control = error instanceof InputError && error.control ? $(error.control) : null;
  if (control) markControl(control, box.id);
}

/** Shows an API failure (or a typing mistake) in the alert box at the top. */
export function report(error) {
  if (isSignedOut(error) || handleAuthProblem(error)) return;
  showError(describe(error));
  markInputError(error, $('error'));
}

/** Shows a failure in a form's own box (a 401 or 403 also in the top one), so the message sits next to the fields. */
export function reportIn(box) {
  return (error) => {
    if (isSignedOut(error)) return;
    handleAuthProblem(error);
    box.textContent = describe(error);
    box.hidden = false;
    markInputError(error, box);
  };
}

/** Runs an action with its button disabled, showing any failure with `onError` (default: the top box). */
export async function busy(button, action, onError = report) {
  if (button) button.disabled = true;
  button?.setAttribute('aria-busy', 'true');
  try {
    clearError();
    await action();
  } catch (error) {
    onError(error);
  } finally {
    button?.removeAttribute('aria-busy');
    if (button?.isConnected) button.disabled = false;
  }
}
