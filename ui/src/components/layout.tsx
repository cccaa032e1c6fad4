import { useEffect, useRef, type ReactNode } from 'react';
import { Button, Link } from 'react-aria-components';
import { clearSession, loadSession } from '../session';
import { navigate, useLocation } from '../router';
import { usePermissions, type Permission } from '../viewer';

// A page whose every action needs a permission is offered only to users who hold it.
const NAV: readonly { href: string; label: string; needs?: Permission }[] = [
  { href: '/browse', label: 'Artifacts' },
  { href: '/register', label: 'Register', needs: 'UPLOAD' },
  { href: '/admin', label: 'Admin', needs: 'ADMIN' },
  { href: '/status', label: 'Health' },
];

let shownPath: string | undefined;

/** Header, navigation and the page's main landmark; the heading takes focus on navigation. */
export function Layout({ title, children }: { title: string; children: ReactNode }) {
  const { pathname } = useLocation();
  const session = loadSession();
  const permissions = usePermissions();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Trustworthy Model Registry`;
  }, [title]);
  useEffect(() => {
    // After a navigation, screen readers and keyboard users start at the new page's heading, not
    // at the link they left; a field the page focuses itself (sign-in's username) keeps focus.
    const navigated = shownPath !== undefined && shownPath !== pathname;
    shownPath = pathname;
    if (navigated && !document.getElementById('main')?.contains(document.activeElement)) heading.current?.focus();
  }, [pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <Link href="/browse" className="brand">
          Trustworthy Model Registry
        </Link>
        {session && (
          <nav aria-label="Main">
            <ul>
              {NAV.filter((item) => !item.needs || permissions?.includes(item.needs)).map((item) => (
                <li key={item.href}>
                  <Link href={item.href} aria-current={pathname.startsWith(item.href) ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div className="who">
            <span>
              Signed in as <strong>{session.username}</strong>
            </span>
            <Button
              className="button secondary"
              onPress={() => {
                clearSession();
                navigate('/sign-in');
              }}
            >
              Sign out
            </Button>
          </div>
        )}
      </header>
      <main id="main">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </main>
    </>
  );
}
