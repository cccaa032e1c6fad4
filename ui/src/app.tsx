import { lazy, Suspense, useEffect } from 'react';
import { Router, navigate, useLocation, hrefOf } from './router';
import { loadSession } from './session';
import { whenSignedOut } from './api';
import { SignInPage } from './pages/sign-in';
import { BrowsePage } from './pages/browse';
import { Layout } from './components/layout';
import { Loading } from './components/status';

// Pages a reviewer does not need on first load are separate chunks (first-load JS stays small).
const ArtifactPage = lazy(() => import('./pages/artifact').then((m) => ({ default: m.ArtifactPage })));
const RegisterPage = lazy(() => import('./pages/register').then((m) => ({ default: m.RegisterPage })));
const AdminPage = lazy(() => import('./pages/admin').then((m) => ({ default: m.AdminPage })));
const StatusPage = lazy(() => import('./pages/status').then((m) => ({ default: m.StatusPage })));

function Page() {
  const { pathname, search } = useLocation();
  const signedIn = loadSession() !== undefined;
  const needsSignIn = !signedIn && pathname !== '/sign-in';
  useEffect(() => {
    if (needsSignIn) {
      const next = `${pathname}${search.size ? `?${search}` : ''}`;
      navigate(hrefOf('/sign-in', { next: next === '/' ? undefined : next }), { replace: true });
    } else if (pathname === '/') navigate('/browse', { replace: true });
  }, [needsSignIn, pathname, search]);
  if (needsSignIn || pathname === '/') return <Loading />;
  if (pathname === '/sign-in') return <SignInPage />;
  if (pathname === '/browse') return <BrowsePage />;
  const artifact = /^\/browse\/([^/]+)$/.exec(pathname);
  const page = artifact ? (
    <ArtifactPage id={decodeURIComponent(artifact[1]!)} />
  ) : pathname === '/register' ? (
    <RegisterPage />
  ) : pathname === '/admin' ? (
    <AdminPage />
  ) : pathname === '/status' ? (
    <StatusPage />
  ) : (
    <Layout title="Page not found">
      <p>There is no page at {pathname}.</p>
    </Layout>
  );
  return <Suspense fallback={<Loading label="Loading page" />}>{page}</Suspense>;
}

export function App() {
  useEffect(() => {
    whenSignedOut((reason) => {
      // Several requests may be refused at once: the first one decides where to come back to.
      if (window.location.pathname === '/sign-in') return;
      const here = `${window.location.pathname}${window.location.search}`;
      navigate(hrefOf('/sign-in', { reason, next: here }), { replace: true });
    });
  }, []);
  return (
    <Router>
      <Page />
    </Router>
  );
}
