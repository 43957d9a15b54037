// Telling the operator what failed: the API's own status, code and message, in the alert box at
// the top (or a form's own box), and what a 401 or a viewer's 403 means for the page.

import { ApiError } from './api.js';
import { $ } from './dom.js';

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
}

/** "PATCH /keys/{id}: 400 invalid_request: ..." */
export function describe(error) {
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

/** Shows an API failure in the alert box at the top. */
export function report(error) {
  if (!handleAuthProblem(error)) showError(describe(error));
}

/** Shows a failure in a form's own box (a 401 or 403 also in the top one), so the message sits next to the fields. */
export function reportIn(box) {
  return (error) => {
    handleAuthProblem(error);
    box.textContent = describe(error);
    box.hidden = false;
  };
}

/** Runs an action with its button disabled, showing any failure with `onError` (default: the top box). */
export async function busy(button, action, onError = report) {
  if (button) button.disabled = true;
  try {
    clearError();
    await action();
  } catch (error) {
    onError(error);
  } finally {
    if (button?.isConnected) button.disabled = false;
  }
}
