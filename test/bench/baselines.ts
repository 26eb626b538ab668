// What a user would type instead of calling us, timed: psql's \copy with literal values (B0 in storage order, B1 in
// time order), B1 piped into Debian's `aws s3 cp -` to the same S3 emulator (B2), gzip -1 in between for gzip, and a
// psql GROUP BY for JSON. Each psql run reports its backend's CPU (read from /proc by the backend itself).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';

export type Timed = { seconds: number; bytes: number; backendCpu: number };

/** CPU (user + system, seconds) of a /proc/<pid>/stat line. */
export function statCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from the 3rd (state) on
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
}

/** `psql` and `aws` command lines for one database and bucket. */
export function baselineCommands(dbUrl: string, s3: { endpoint: string; bucket: string }) {
  const psql = `psql -X -q -v ON_ERROR_STOP=1 '${dbUrl}'`;
  const aws = `AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url ${s3.endpoint} s3`;
  const cpuFile = `/tmp/ax-bench-cpu-${process.pid}`;
  const key = `bench/baseline-${process.pid}`;
  const csvFile = `/tmp/ax-bench-${process.pid}.csv`;
  const scriptFile = `/tmp/ax-bench-${process.pid}.sql`;
  // The backend reads its own CPU just before psql quits; the COPY's output went to the file or pipe before it.
  const session = (body: string) => {
    writeFileSync(
      scriptFile,
      `begin read only;\n${body}\ncommit;\n\\o ${cpuFile}\n\\t on\nselect pg_read_file('/proc/' || pg_backend_pid() || '/stat');\n`,
    );
    return `${psql} -f ${scriptFile}`;
  };

  const run = (script: string, outFile?: string): Timed => {
    const started = process.hrtime.bigint();
    const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`baseline failed (${r.status}): ${script.slice(0, 300)}`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const bytes = outFile ? statSync(outFile).size : 0;
    if (outFile) unlinkSync(outFile);
    const backendCpu = statCpuSeconds(readFileSync(cpuFile, 'utf8').trim());
    unlinkSync(cpuFile);
    return { seconds, bytes, backendCpu };
  };
  const removeObject = () =>
    spawnSync('bash', ['-c', `${aws} rm s3://${s3.bucket}/${key} >/dev/null`], { stdio: 'ignore' });

  return {
    /** \copy of `select` to a local file. */
    toFile: (select: string) =>
      run(session(`\\copy (${oneLine(select)}) to '${csvFile}' with (format csv, header)`), csvFile),
    /** \copy of `select` piped (through gzip -1 when asked) into `aws s3 cp -`. */
    toS3: (select: string, gzip: boolean) => {
      const t = run(
        `${session(`\\copy (${oneLine(select)}) to stdout with (format csv, header)`)} ${gzip ? '| gzip -1 ' : ''}| ${aws} cp - s3://${s3.bucket}/${key}`,
      );
      removeObject();
      return t;
    },
    /** A query whose result is thrown away (a GROUP BY). */
    query: (select: string) => run(session(`\\o /dev/null\n${oneLine(select)};\n\\o`)),
  };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** `'…'` with quotes doubled: for the literal values of a baseline's query text (our own, fixed values). */
export const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;
