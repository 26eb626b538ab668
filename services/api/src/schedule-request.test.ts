import { ApiError } from './errors';
import { normalizeRecipients, parseDomainList } from './schedule-request';

describe('normalizeRecipients', () => {
  it('removes duplicates case-insensitively, keeping the first spelling and the order', () => {
    expect(normalizeRecipients(['B@x.com', 'a@x.com', 'b@X.COM', 'A@x.com'], [])).toEqual(['B@x.com', 'a@x.com']);
  });
  it('enforces the domain allow-list, naming each refused entry', () => {
    expect(normalizeRecipients(['a@corp.example', 'b@Corp.Example'], ['corp.example'])).toEqual([
      'a@corp.example',
      'b@Corp.Example',
    ]);
    try {
      normalizeRecipients(['a@corp.example', 'x@gmail.com', 'y@corp.example.evil.test'], ['corp.example']);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).details.map((d) => d.field)).toEqual(['recipients.1', 'recipients.2']);
    }
  });
  it('parses the allow-list setting', () => {
    expect(parseDomainList(' Corp.Example, ,other.test ')).toEqual(['corp.example', 'other.test']);
    expect(parseDomainList('')).toEqual([]);
  });
});
