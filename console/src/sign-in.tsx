// Sign-in with a staff API key: checked against /v1/me, kept for this tab only. A claimant key is refused
// here (the console is for staff); the API keeps its own rules for every key.
import { useState } from 'preact/hooks';
import { ApiError, session, signIn, type Me } from './api.ts';
import { Problem } from './parts.tsx';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const me = await signIn(key.trim());
      if (me.role === 'claimant') {
        session.signOut();
        setProblem('That is a claimant key. The console is for adjusters, underwriters and admins.');
        return;
      }
      onSignedIn(me);
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.status === 401 ? 'The API key is not valid.' : `Could not sign in: ${(error as Error).message}`,
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1>insureflow console</h1>
      <p>For adjusters, underwriters and admins. Sign in with your staff API key.</p>
      <form method="post" action="#" onSubmit={(e) => void submit(e)}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          required
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          aria-describedby={problem ? 'sign-in-problem' : undefined}
        />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {problem && <Problem id="sign-in-problem">{problem}</Problem>}
      </form>
    </main>
  );
}
