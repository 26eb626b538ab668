// Entry: the query cache (an expired session sends the person to sign-in, keeping the page asked for) and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { navigate } from 'wouter/use-browser-location';
import { ApiFailure } from './api/client';
import { App } from './app';
import './ui/styles.css';

const onError = (err: unknown) => {
  if (err instanceof ApiFailure && err.status === 401 && window.location.pathname !== '/sign-in') {
    queryClient.clear();
    navigate(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, {
      replace: true,
    });
  }
};

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      retry: (n, err) => !(err instanceof ApiFailure && err.status < 500) && n < 2,
      refetchOnWindowFocus: true,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
