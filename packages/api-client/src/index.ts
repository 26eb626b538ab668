// The API's typed client: types generated from /openapi.json (schema.gen.ts, `pnpm gen:api`) and openapi-fetch.
// The web page and the CLI call the API only through it, so no request or response type is written by hand.
import createClient, { type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema.gen';

export type { components, operations, paths } from './schema.gen';
export type Schemas = components['schemas'];
export type ApiError = Schemas['Error'];

export const createApiClient = (options: ClientOptions) => createClient<paths>(options);
export type ApiClient = ReturnType<typeof createApiClient>;
