import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportLifecycleRule } from './lifecycle';

it('infra/aws/s3-lifecycle.json is the rule the retention worker applies for the default 30-day TTL', () => {
  const file = JSON.parse(readFileSync(join(__dirname, '../../../infra/aws/s3-lifecycle.json'), 'utf8'));
  expect(file).toEqual({ Rules: [exportLifecycleRule(30)] });
});
