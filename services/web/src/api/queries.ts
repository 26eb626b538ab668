// Server state lives in the TanStack Query cache only: these hooks fetch, components render.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';

export const keys = {
  me: ['me'] as const,
  datasets: ['datasets'] as const,
  packages: (publisherId: string | null) => ['packages', publisherId] as const,
  publishers: ['publishers'] as const,
  exports: ['exports'] as const,
  schedules: ['schedules'] as const,
  runs: (id: string) => ['runs', id] as const,
  retention: ['retention'] as const,
};

export const useMe = () =>
  useQuery({
    queryKey: keys.me,
    queryFn: async () => unwrap(await api.GET('/v1/me')),
    retry: false,
    staleTime: 60_000,
  });

export const useDatasets = () =>
  useQuery({
    queryKey: keys.datasets,
    queryFn: async () => unwrap(await api.GET('/v1/datasets')).data,
    staleTime: 300_000,
  });

export const usePackages = (publisherId: string | null) =>
  useQuery({
    queryKey: keys.packages(publisherId),
    queryFn: async () =>
      unwrap(await api.GET('/v1/packages', { params: { query: publisherId ? { publisher_id: publisherId } : {} } }))
        .data,
    staleTime: 300_000,
  });

export const usePublishers = (enabled: boolean) =>
  useQuery({
    queryKey: keys.publishers,
    queryFn: async () => unwrap(await api.GET('/v1/publishers')).data,
    enabled,
    staleTime: 300_000,
  });

/** The caller's exports; polled every second while one is queued or running (live progress). */
export const useExports = () =>
  useQuery({
    queryKey: keys.exports,
    queryFn: async () => unwrap(await api.GET('/v1/exports', { params: { query: { limit: 50 } } })).data,
    refetchInterval: (q) =>
      q.state.data?.some((e) => e.status === 'queued' || e.status === 'running') ? 1000 : 15_000,
  });

export const useSchedules = () =>
  useQuery({
    queryKey: keys.schedules,
    queryFn: async () => unwrap(await api.GET('/v1/schedules', { params: { query: { limit: 100 } } })).data,
  });

/** A schedule's runs; polled while one is not finished or a delivery is pending. */
export const useRuns = (id: string) =>
  useQuery({
    queryKey: keys.runs(id),
    queryFn: async () => unwrap(await api.GET('/v1/schedules/{id}/runs', { params: { path: { id } } })).data,
    refetchInterval: (q) =>
      q.state.data?.some(
        (r) => r.status === 'queued' || r.status === 'running' || r.deliveries.some((d) => d.status === 'pending'),
      )
        ? 1000
        : 30_000,
  });

export const useRetention = () =>
  useQuery({ queryKey: keys.retention, queryFn: async () => unwrap(await api.GET('/v1/retention')) });
