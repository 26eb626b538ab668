// The frame of every signed-in page: the path "Analytics → Export → Scheduled Reports", tabs, who is signed in.
import type { ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { api, type Schemas } from '../api/client';

const TABS = [
  { href: '/analytics/export', label: 'Export' },
  { href: '/analytics/export/scheduled-reports', label: 'Scheduled Reports' },
  { href: '/analytics/export/retention', label: 'Retention' },
] as const;

export function Layout({ me, children }: { me: Schemas['Me']; children: ReactNode }) {
  const [location, navigate] = useLocation();
  const queryClient = useQueryClient();
  const signOut = async () => {
    await api.DELETE('/v1/sessions/current');
    queryClient.clear();
    navigate('/sign-in', { replace: true });
  };
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <nav aria-label="Breadcrumb" className="crumbs">
          <span>Analytics</span> → <Link href="/analytics/export">Export</Link> →{' '}
          <Link href="/analytics/export/scheduled-reports">Scheduled Reports</Link>
        </nav>
        <div className="who">
          <span data-testid="who">
            {me.role === 'admin' ? 'Admin' : `Publisher ${me.publisher_id}`}
            {me.key_name ? ` · ${me.key_name}` : ''}
          </span>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav aria-label="Sections" className="tabs">
        {TABS.map((t) => (
          <Link key={t.href} href={t.href} aria-current={location === t.href ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
