// Sign in with an API key: the key goes once to POST /v1/sessions; the page keeps only the HttpOnly cookie.
import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { api, ApiFailure, describeFailure, unwrap } from '../api/client';

/** Only a path of this site, never another origin. */
const safeNext = (next: string | null) =>
  next && next.startsWith('/') && !next.startsWith('//') ? next : '/analytics/export';

export function SignInPage() {
  const [, navigate] = useLocation();
  const search = useSearch();
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(new URLSearchParams(search).get('next'));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      unwrap(await api.POST('/v1/sessions', { body: { token: token.trim() } }));
      queryClient.clear();
      setToken('');
      // /admin/queues is served by the API, not this page.
      if (next.startsWith('/admin/')) window.location.assign(next);
      else navigate(next, { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiFailure && err.status === 401 ? 'That key is unknown or revoked.' : describeFailure(err),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <h1>Analytics → Export</h1>
      <p>Sign in with an API key. The key is sent once; the page keeps a session for 12 hours.</p>
      <p className="hint">
        No key? An admin mints one with <code>pnpm cli api-keys create</code>.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="token">API key</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          required
          value={token}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'token-error' : undefined}
          onChange={(e) => setToken(e.target.value)}
        />
        {error && (
          <p id="token-error" className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !token.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
