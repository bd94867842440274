// The operations console: people deciding what automation referred. Hash routes (the API serves one
// page): #/queue, #/claims/<id>, #/underwriting, #/underwriting/<id>.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, session, signOut, type Me } from './api.ts';
import { ClaimPage } from './claim-page.tsx';
import { Queue } from './queue.tsx';
import { SignIn } from './sign-in.tsx';
import { ApplicationPage, UnderwritingQueue } from './underwriting.tsx';
import { VoiceSessions } from './voice.tsx';
import './styles.css';

const readRoute = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);

const claimsStaff = new Set(['adjuster', 'senior_adjuster', 'admin']);
const underwritingStaff = new Set(['underwriter', 'senior_underwriter', 'admin']);

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(session.key() !== null);
  const [route, setRoute] = useState(readRoute());

  useEffect(() => {
    const onHash = () => setRoute(readRoute());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!session.key()) return;
    call<Me>('GET', '/v1/me')
      .then(setMe)
      .catch(() => session.signOut())
      .finally(() => setChecking(false));
  }, []);
  useEffect(() => {
    const [page, id] = route;
    const name = page === 'claims' && id ? id : page === 'underwriting' ? 'Underwriting' : page === 'voice' ? 'Calls' : 'Work queue';
    document.title = `${name} · insureflow console`;
  }, [route]);

  if (checking) return <main id="main">Checking your session…</main>;
  if (!me)
    return (
      <SignIn
        onSignedIn={(who) => {
          setMe(who);
          if (!window.location.hash) window.location.hash = claimsStaff.has(who.role) ? '#/queue' : '#/underwriting';
        }}
      />
    );

  const [page = claimsStaff.has(me.role) ? 'queue' : 'underwriting', id] = route;
  let content;
  if (page === 'claims' && id) content = <ClaimPage id={id} me={me} />;
  else if (page === 'underwriting' && id) content = <ApplicationPage id={id} me={me} />;
  else if (page === 'underwriting') content = <UnderwritingQueue />;
  else if (page === 'voice') content = <VoiceSessions id={id} />;
  else content = <Queue me={me} />;
  const allowed = page === 'underwriting' ? underwritingStaff.has(me.role) : claimsStaff.has(me.role);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">insureflow console</span>
        <nav aria-label="Main">
          {claimsStaff.has(me.role) && (
            <a href="#/queue" aria-current={page === 'queue' || page === 'claims' ? 'page' : undefined}>
              Claims queue
            </a>
          )}
          {claimsStaff.has(me.role) && (
            <a href="#/voice" aria-current={page === 'voice' ? 'page' : undefined}>
              Calls
            </a>
          )}
          {underwritingStaff.has(me.role) && (
            <a href="#/underwriting" aria-current={page === 'underwriting' ? 'page' : undefined}>
              Underwriting
            </a>
          )}
        </nav>
        <span class="who">
          {me.subject} ({me.role.replace('_', ' ')})
          <button
            type="button"
            onClick={() => {
              void signOut();
              setMe(null);
              window.location.hash = '';
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {allowed ? content : <p role="alert">Your role ({me.role}) cannot use this part of the console.</p>}
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
