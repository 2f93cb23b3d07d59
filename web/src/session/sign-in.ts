import { h } from '../ui/dom.js';

/**
 * A modal asking for an access token (`avlog token create`, or an OIDC JWT): resolves with a token `check`
 * accepted; a refused one shows the server's reason and the dialog stays open.
 */
export function signInDialog(check: (token: string) => Promise<string | null>): Promise<string> {
  return new Promise((resolve) => {
    const input = h('input', {
      name: 'token',
      type: 'password',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'avlog_…',
      required: true,
    });
    const error = h('p', { class: 'error', 'data-testid': 'sign-in-error', role: 'alert' });
    const submit = h('button', { type: 'submit' }, 'Sign in · 登录');
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, 'Sign in · 登录'),
      h(
        'p',
        { class: 'muted' },
        'This server needs an access token (from your administrator: avlog token create). It is kept in this tab only.',
      ),
      h('label', {}, 'Token', input),
      error,
      submit,
    );
    const dialog = h('dialog', { id: 'sign-in', 'data-testid': 'sign-in' }, form);
    // the dialog is the only way on: Escape must not close it with nothing signed in
    dialog.addEventListener('cancel', (e) => e.preventDefault());
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      submit.disabled = true;
      error.textContent = '';
      check(token)
        .then((problem) => {
          if (problem === null) {
            dialog.close();
            dialog.remove();
            resolve(token);
          } else {
            error.textContent = `Not signed in: ${problem}`;
            input.select();
          }
        })
        .catch((e: unknown) => (error.textContent = `Not signed in: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => (submit.disabled = false));
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}
