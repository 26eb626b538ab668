// Paths for signing in, who one is, the lookups the forms use, the datasets, API keys and retention.
import { listPackagesQuery } from '../routes/lookups';
import { queryParameters, json, ok, errors, idParam, body, op, open, type Paths } from './parts';

export const accountPaths: Paths = {
  '/v1/sessions': {
    post: open('createSession', {
      tags: ['sessions'],
      summary: 'Sign in: trade an API key for the `ax_session` cookie (12 hours)',
      requestBody: body('CreateSession'),
      responses: {
        201: {
          description: 'Signed in; `Set-Cookie: ax_session=…; HttpOnly; SameSite=Strict; Path=/`',
          headers: { 'Set-Cookie': { schema: { type: 'string' } } },
          ...json('Session'),
        },
        ...errors(400, 401),
      },
    }),
  },
  '/v1/sessions/current': {
    delete: open('deleteSession', {
      tags: ['sessions'],
      summary: 'Sign out: end this session and clear its cookie (needs `X-Requested-With: ax-web` with the cookie)',
      responses: { 204: { description: 'Signed out' }, ...errors(403) },
    }),
  },
  '/v1/me': {
    get: op('getMe', {
      tags: ['sessions'],
      summary: 'Who the caller is',
      responses: { 200: ok('The caller', 'Me'), ...errors(401) },
    }),
  },
  '/v1/packages': {
    get: op('listPackages', {
      tags: ['lookups'],
      summary: "A publisher's own packages; admins all, or one publisher's",
      parameters: queryParameters(listPackagesQuery),
      responses: { 200: ok('Packages', 'PackageList'), ...errors(400, 401, 403) },
    }),
  },
  '/v1/publishers': {
    get: op('listPublishers', {
      tags: ['lookups'],
      summary: 'Every publisher (admins only)',
      responses: { 200: ok('Publishers', 'PublisherList'), ...errors(401, 403) },
    }),
  },
  '/v1/datasets': {
    get: op('listDatasets', {
      tags: ['datasets'],
      summary: 'Datasets this caller may export',
      responses: { 200: ok('Datasets', 'DatasetList'), ...errors(401) },
    }),
  },
};

export const adminPaths: Paths = {
  '/v1/api-keys': {
    get: op('listApiKeys', {
      tags: ['api-keys'],
      summary: 'List API keys with their last use (admins)',
      responses: { 200: ok('Keys', 'ApiKeyList'), ...errors(401, 403) },
    }),
  },
  '/v1/api-keys/{id}': {
    delete: op('revokeApiKey', {
      tags: ['api-keys'],
      summary:
        'Revoke a key at once (admins); its sessions end and the schedules it created are paused (creator_key_revoked)',
      parameters: [idParam('API key')],
      responses: { 204: { description: 'Revoked (also when it already was)' }, ...errors(401, 403, 404) },
    }),
  },
  '/v1/retention': {
    get: op('getRetention', {
      tags: ['retention'],
      summary: "Retention cutoff, next deletion, the kept months and the caller's months at risk",
      responses: { 200: ok('Retention status', 'Retention'), ...errors(401) },
    }),
  },
};
