// /openapi.json and /docs (Swagger UI served from the swagger-ui-dist package: no CDN, works offline).
import { dirname } from 'node:path';
import express, { Router } from 'express';
import { openApiDocument } from '../openapi';

const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Analytics export API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

// A file rather than an inline script, so a strict Content-Security-Policy can stay in place.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

export function docsRoutes(): Router {
  const router = Router();
  const doc = JSON.stringify(openApiDocument());
  router.get('/openapi.json', (_req, res) => void res.type('application/json').send(doc));
  const page = (_req: express.Request, res: express.Response) => void res.type('html').send(PAGE);
  router.get('/docs', page);
  router.get('/docs/', page);
  router.get('/docs/init.js', (_req, res) => void res.type('application/javascript').send(INIT));
  router.use('/docs', express.static(SWAGGER_DIR, { index: false, fallthrough: true, maxAge: '1h' }));
  return router;
}
