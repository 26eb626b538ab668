// The deploy files parse and agree with the code: k8s manifests (YAML), their env against the services' own
// config schemas, the KEDA trigger against the queue key layout, and the Dockerfile against the workspace. Containers
// run the compiled bundles: every command is a `pnpm start:*` script, and names a bundle scripts/build.ts produces.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '@ax/config';
import { apiConfigShape } from '@ax/api';
import { exportWorkerEnv } from '@ax/export-worker';
import { entryPoints } from '../scripts/build';
import { packageScript as script, packageScripts as scripts } from './support/package-scripts';

const ROOT = join(__dirname, '..');
const K8S = join(ROOT, 'infra/k8s');

// Parsed YAML is only as typed as the assertions below make it: `spec` stays loose on purpose.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Loose;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};
type Container = {
  name: string;
  command: string[];
  ports: { name: string; containerPort: number }[];
  env?: { name: string; value: string }[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
};

const files = readdirSync(K8S)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const docs: Obj[] = files.flatMap((f) =>
  parseAllDocuments(readFileSync(join(K8S, f), 'utf8')).map((d) => {
    if (d.errors.length) throw new Error(`${f}: ${d.errors.map((e) => e.message).join('; ')}`);
    return d.toJS() as Obj;
  }),
);
const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
const one = (kind: string, name: string) => {
  const found = docs.find((d) => d.kind === kind && d.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const config = one('ConfigMap', 'analytics-export-config').data!;
const secret = one('Secret', 'analytics-export-secrets').stringData!;
/** The bundle a container command runs (dist/<name>.js), checked against what `pnpm build` produces. */
const bundleSource = (command: string[]) => {
  const file = command.find((a) => a.startsWith('dist/'));
  const name = file?.replace(/^dist\//, '').replace(/\.js$/, '');
  return name && name in entryPoints ? entryPoints[name as keyof typeof entryPoints] : `no bundle for ${file}`;
};

describe('infra/k8s', () => {
  it('parses, every document has a kind and a name, and kustomization lists every file', () => {
    expect(docs.length).toBeGreaterThanOrEqual(15);
    for (const d of docs.filter((x) => x.kind !== 'Kustomization')) {
      expect(typeof d.apiVersion).toBe('string');
      expect(d.metadata.name).toMatch(/^[a-z0-9-]+$/);
    }
    const kustomization = docs.find((d) => d.kind === 'Kustomization') as unknown as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml'));
  });

  it('runs api, export-worker and retention-worker with probes, resources, config and a grace period above the shutdown deadline', () => {
    const deadlineMs = Number(config.SHUTDOWN_TIMEOUT_MS);
    expect(deadlineMs).toBeGreaterThan(0);
    const expected = {
      api: 'services/api/src/main.ts',
      'export-worker': 'services/export-worker/src/main.ts',
      'retention-worker': 'services/retention-worker/src/main.ts',
    };
    expect(
      ofKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(Object.keys(expected).sort());
    for (const [name, entry] of Object.entries(expected)) {
      const spec = one('Deployment', name).spec;
      expect(spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(deadlineMs);
      expect(spec.selector.matchLabels).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': name }));
      expect(spec.template.metadata.labels).toEqual(expect.objectContaining(spec.selector.matchLabels));
      const [c] = spec.template.spec.containers as Container[];
      expect(bundleSource(c!.command)).toBe(entry);
      // The same node flags and environment as `pnpm start:<name>`.
      const start = script(`start:${name}`);
      expect(c!.command).toEqual(start.command);
      for (const [variable, value] of Object.entries(start.env))
        expect({ variable, value: c!.env?.find((e) => e.name === variable)?.value }).toEqual({ variable, value });
      // The bundle keeps the flags and environment of the from-source script (`pnpm <name>`), minus tsx's.
      const fromSource = script(name);
      expect(c!.command.filter((a) => a.startsWith('--'))).toEqual(
        fromSource.command.filter((a) => a.startsWith('--') && a !== '--conditions=source' && a !== '--require'),
      );
      expect(fromSource.env).toEqual(start.env);
      expect(c!.livenessProbe.httpGet.path).toBe('/healthz');
      expect(c!.readinessProbe.httpGet.path).toBe('/readyz');
      const portNames = c!.ports.map((p) => p.name);
      expect(portNames).toContain(c!.livenessProbe.httpGet.port);
      expect(portNames).toContain(c!.readinessProbe.httpGet.port);
      expect(c!.resources.requests.cpu).toBeTruthy();
      expect(c!.resources.requests.memory).toBeTruthy();
      expect(c!.resources.limits.memory).toBeTruthy();
      expect(c!.envFrom).toEqual([
        { configMapRef: { name: 'analytics-export-config' } },
        { secretRef: { name: 'analytics-export-secrets' } },
      ]);
      // The port the process listens on (PORT / METRICS_PORT) is the one the probes use.
      const listenVar = name === 'api' ? 'PORT' : 'METRICS_PORT';
      expect(c!.env?.find((e) => e.name === listenVar)?.value).toBe(String(c!.ports[0]!.containerPort));
    }
  });

  it('gives the services an environment their config schemas accept', () => {
    const env = { ...config, ...secret };
    expect(() => loadConfig(apiConfigShape, { ...env, PORT: '3000' })).not.toThrow();
    expect(() => loadConfig(exportWorkerEnv, { ...env, METRICS_PORT: '9464' })).not.toThrow();
  });

  it('routes Services and PodDisruptionBudgets to existing pods', () => {
    const podLabels = ofKind('Deployment').map((d) => d.spec.template.metadata.labels as Record<string, string>);
    const matches = (selector: Record<string, string>) =>
      podLabels.some((labels) => Object.entries(selector).every(([k, v]) => labels[k] === v));
    for (const s of ofKind('Service'))
      expect({ service: s.metadata.name, matches: matches(s.spec.selector) }).toEqual({
        service: s.metadata.name,
        matches: true,
      });
    const pdbs = ofKind('PodDisruptionBudget');
    expect(pdbs.map((p) => p.metadata.name).sort()).toEqual(
      expect.arrayContaining(['export-worker', 'retention-worker']),
    );
    for (const p of pdbs)
      expect({ pdb: p.metadata.name, matches: matches(p.spec.selector.matchLabels) }).toEqual({
        pdb: p.metadata.name,
        matches: true,
      });
  });

  it('scales export workers with KEDA on the BullMQ wait list of the exports queue', () => {
    const scaled = one('ScaledObject', 'export-worker').spec;
    expect(scaled.scaleTargetRef.name).toBe('export-worker');
    const [trigger] = scaled.triggers;
    expect(trigger.type).toBe('redis');
    expect(trigger.metadata.listName).toBe(`${config.QUEUE_PREFIX}:exports:wait`);
    expect(Number(trigger.metadata.listLength)).toBeGreaterThan(0);
    expect(new URL(config.REDIS_URL!).host).toBe(trigger.metadata.address);
    expect(one('TriggerAuthentication', trigger.authenticationRef.name).spec.secretTargetRef[0].name).toBe(
      'analytics-export-secrets',
    );
    expect(scaled.minReplicaCount).toBeGreaterThanOrEqual(1);
    expect(scaled.maxReplicaCount).toBeGreaterThan(scaled.minReplicaCount);
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'infra/docker/Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^(?=FROM )/m).filter((s) => s.startsWith('FROM '));

  it('builds on node:24-slim: every workspace manifest copied before installing, then the sources, then pnpm build', () => {
    const build = stages[0]!;
    expect(build).toMatch(/^FROM node:24-slim AS build$/m);
    const workspaces = ['packages', 'services']
      .flatMap((dir) =>
        readdirSync(join(ROOT, dir), { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => `${dir}/${d.name}/package.json`),
      )
      .concat('test/package.json');
    for (const manifest of workspaces)
      expect({ manifest, copied: build.includes(`COPY ${manifest} `) }).toEqual({ manifest, copied: true });
    const install = build.indexOf('pnpm install --frozen-lockfile');
    expect(install).toBeGreaterThan(0);
    // What the build reads: scripts/build.ts and each entry's top folder.
    const folders = new Set(['scripts', ...Object.values(entryPoints).map((src) => src.split('/')[0]!)]);
    for (const folder of folders) {
      const copied = build.indexOf(`COPY ${folder} ${folder}`);
      expect({ folder, copiedAfterInstall: copied > install }).toEqual({ folder, copiedAfterInstall: true });
      expect({ folder, beforeBuild: copied < build.indexOf('RUN pnpm build') }).toEqual({ folder, beforeBuild: true });
    }
  });

  it('ships only the compiled output on node:24-slim, as a non-root user, and runs the API by default', () => {
    expect(stages).toHaveLength(2);
    const runtime = stages[1]!;
    expect(runtime).toMatch(/^FROM node:24-slim$/m);
    expect(runtime.match(/^COPY .*$/gm)).toEqual(['COPY --from=build /app/dist dist']);
    expect(runtime).toMatch(/^USER node$/m);
    const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(scripts['start:api']!.split(' '));
  });

  it('keeps dist/ and local installs out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.runtime']));
  });
});

describe('docker-compose.yml', () => {
  it('starts each service with the same command as its `pnpm start:*` script, and migrates like the k8s job', () => {
    const compose = parseAllDocuments(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'))[0]!.toJS() as {
      services: Record<string, { command: string[]; environment?: Record<string, string> }>;
    };
    for (const name of ['api', 'export-worker', 'retention-worker']) {
      const start = script(`start:${name}`);
      const service = compose.services[name]!;
      expect({ name, command: service.command }).toEqual({ name, command: start.command });
      for (const [variable, value] of Object.entries(start.env))
        expect({ name, variable, value: service.environment?.[variable] }).toEqual({ name, variable, value });
    }
    // The worker's malloc settings are there to be checked: the loop above is not vacuous.
    expect(script('start:export-worker').env).toEqual({ MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '131072' });
    const job = one('Job', 'analytics-export-migrate').spec.template.spec.containers[0] as Container;
    expect(compose.services.migrate!.command).toEqual(job.command);
    expect(job.command.join(' ')).toBe(scripts['start:migrate']);
    expect(bundleSource(job.command)).toBe('packages/cli/src/main.ts');
  });
});
