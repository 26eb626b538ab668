// The routes of CONTRACT §6.2; every page but sign-in needs a session.
import type { ReactNode } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { useMe } from './api/queries';
import { ExportPage } from './exports/export-page';
import { RetentionPage } from './retention/retention-page';
import { SchedulesPage } from './schedules/schedules-page';
import { SignInPage } from './session/sign-in-page';
import { Layout } from './ui/layout';

function Authed({ children }: { children: ReactNode }) {
  const me = useMe();
  const [location] = useLocation();
  if (me.isPending)
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  if (me.isError)
    return <Redirect to={`/sign-in?next=${encodeURIComponent(location + window.location.search)}`} replace />;
  return <Layout me={me.data}>{children}</Layout>;
}

export function App() {
  return (
    <Switch>
      <Route path="/sign-in" component={SignInPage} />
      <Route path="/analytics/export/scheduled-reports">
        <Authed>
          <SchedulesPage />
        </Authed>
      </Route>
      <Route path="/analytics/export/retention">
        <Authed>
          <RetentionPage />
        </Authed>
      </Route>
      <Route path="/analytics/export">
        <Authed>
          <ExportPage />
        </Authed>
      </Route>
      <Route>
        <Redirect to="/analytics/export" replace />
      </Route>
    </Switch>
  );
}
