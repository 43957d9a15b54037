import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { piiConfigSchema } from '../../../src/plugins/pii/pii-config.ts';
import { runCli } from '../../helpers/run-cli.ts';

/** Every problem of a pii config as `path: message`. */
function problems(config: unknown): string[] {
  const result = piiConfigSchema.safeParse(config);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('pii config: values that could never work are refused at load', () => {
  it('phone.countries: a code of the right shape that the phone detector does not know', () => {
    assert.deepEqual(problems({ entities: { phone: { countries: ['XX'] } } }), [
      "entities.phone.countries.0: 'XX' is not a country code the phone detector knows (ISO 3166 alpha-2, such as US or GB)",
    ]);
    // UK is the common slip for GB; a wrong shape is told once, as a shape.
    assert.deepEqual(problems({ entities: { phone: { countries: ['US', 'UK', 'usa'] } } }), [
      "entities.phone.countries.1: 'UK' is not a country code the phone detector knows (ISO 3166 alpha-2, such as US or GB)",
      'entities.phone.countries.2: expected an ISO 3166 alpha-2 country code such as US',
    ]);
    assert.deepEqual(problems({ entities: { phone: { countries: ['US', 'GB', 'DE', 'IN', 'BR', 'JP'] } } }), []);
  });

  it('custom: a pattern that matches the empty string, or that the given flags make invalid', () => {
    for (const pattern of ['x*', '\\d*', '(?:secret)?', 'a|']) {
      assert.deepEqual(problems({ custom: [{ name: 'X', pattern }] }), ['custom.0.pattern: matches the empty string: write a pattern that needs at least one character (x+, not x*)'], pattern);
    }
    assert.deepEqual(problems({ custom: [{ name: 'X', pattern: '\\-', flags: 'u' }] }), ["custom.0.pattern: not a valid JavaScript regular expression with flags 'u'"]);
    assert.deepEqual(problems({ custom: [{ name: 'X', pattern: '(' }] }), ['custom.0.pattern: not a valid JavaScript regular expression']);
    assert.deepEqual(problems({ custom: [{ name: 'EMPLOYEE_ID', pattern: 'E-\\d{6}', flags: 'iu' }, { name: 'X', pattern: 'x+' }, { name: 'Y', pattern: '\\-' }] }), []);
  });

  describe('tollgate config validate', () => {
    let folder: string;
    before(async () => {
      folder = await mkdtemp(join(tmpdir(), 'tollgate-pii-validate-'));
    });
    after(() => rm(folder, { recursive: true, force: true }));

    it('names the path of an unknown phone country and of an empty-matching custom pattern, and exits 1', async () => {
      const path = join(folder, 'pii.yaml');
      await writeFile(path, 'plugins: { pii: { entities: { phone: { countries: [XX] } }, custom: [{ name: X, pattern: "x*", action: mask }] } }\n');
      const result = await runCli(['config', 'validate', path]);
      assert.equal(result.code, 1, result.stdout);
      assert.match(result.stderr, /plugins\.pii\.entities\.phone\.countries\[0\]: 'XX' is not a country code the phone detector knows/);
      assert.match(result.stderr, /plugins\.pii\.custom\[0\]\.pattern: matches the empty string/);
    });
  });
});
