import { describe, expect, it } from 'vitest';
import { durabilityGap, warnIfNotDurable } from '../../../src/providers/redis/durability.js';

describe('redis durability settings', () => {
  it('calls a server durable only with appendonly yes, appendfsync always and no eviction', () => {
    expect(durabilityGap({ appendonly: 'yes', appendfsync: 'always', maxmemoryPolicy: 'noeviction' })).toBe(null);
    expect(durabilityGap({ appendonly: 'no', appendfsync: 'always' })).toBe('appendonly is no');
    expect(durabilityGap({ appendonly: 'yes', appendfsync: 'everysec' })).toBe('appendfsync is everysec');
    expect(durabilityGap({ appendonly: 'yes', appendfsync: 'always', maxmemoryPolicy: 'allkeys-lru' })).toMatch(
      /^maxmemory-policy is allkeys-lru/,
    );
    // Settings that could not be read are not guessed at.
    expect(durabilityGap({ appendonly: null, appendfsync: null })).toBe(null);
  });

  it('warns once per server', () => {
    const lines: string[] = [];
    const write = (line: string): boolean => lines.push(line) > 0;
    const lax = { appendonly: 'no', appendfsync: 'everysec' };
    expect(warnIfNotDurable('redis://unit-test-a:6379/0', lax, write)).toBe(true);
    expect(warnIfNotDurable('redis://unit-test-a:6379/0', lax, write)).toBe(false);
    expect(warnIfNotDurable('redis://unit-test-b:6379/0', lax, write)).toBe(true);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^statekeep: warning: the redis server at redis:\/\/unit-test-a:6379\/0 does not make commits durable \(appendonly is no\)/,
    );
  });
});
