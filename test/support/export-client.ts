// Small helpers for dataset tests: request an export through the API, wait for it, and fetch its bytes
// through the download redirect, as a client would.
import request from 'supertest';
import { fetchBytes, waitForExport, type Harness } from './harness';

export type ExportBody = Record<string, unknown>;

export const postExport = (h: Harness, token: string, body: ExportBody) =>
  request(h.app).post('/v1/exports').set('Authorization', `Bearer ${token}`).send(body);

export async function download(h: Harness, token: string, id: string): Promise<Buffer> {
  const res = await request(h.app).get(`/v1/exports/${id}/download`).set('Authorization', `Bearer ${token}`);
  if (res.status !== 302) throw new Error(`download ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return fetchBytes(res.headers.location!);
}

/** Requests an export and returns its final object and stored bytes; fails unless it succeeds. */
export async function exportBytes(
  h: Harness,
  token: string,
  body: ExportBody,
): Promise<{ id: string; bytes: Buffer; result: Record<string, unknown> }> {
  const res = await postExport(h, token, body);
  if (res.status !== 202)
    throw new Error(`POST /v1/exports ${JSON.stringify(body)}: ${res.status} ${JSON.stringify(res.body)}`);
  const done = await waitForExport(h.app, token, res.body.id);
  if (done.status !== 'succeeded')
    throw new Error(`export ${res.body.id} ${done.status}: ${JSON.stringify(done.error)}`);
  return { id: res.body.id, bytes: await download(h, token, res.body.id), result: done.result };
}

export async function exportJson(h: Harness, token: string, body: ExportBody) {
  const { bytes } = await exportBytes(h, token, { format: 'json', ...body });
  return JSON.parse(bytes.toString('utf8'));
}
