import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { README_RULES_END, README_RULES_START, readmeRuleTable, rulesDocument } from '../../server/src/engine/docs/ruleTable';
import { RULES } from '../../server/src/engine/rules/registry';

const ROOT = path.resolve(__dirname, '../../..');

describe('documentation generated from the rule registry', () => {
  it('every rule has all documentation sections, and codes and names are unique', () => {
    assert.strictEqual(new Set(RULES.map((r) => r.code)).size, RULES.length);
    assert.strictEqual(new Set(RULES.map((r) => r.name)).size, RULES.length);
    for (const rule of RULES) {
      for (const [section, text] of Object.entries(rule.docs)) assert.ok(text.trim().length > 20, `${rule.code} ${section}`);
      assert.match(rule.code, /^AG\d{3}$/);
    }
  });

  it('the README table is the registry (run `npm run docs` after changing a rule)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf(README_RULES_START) + README_RULES_START.length, readme.indexOf(README_RULES_END)).trim();
    assert.strictEqual(table, readmeRuleTable());
  });

  it('docs/rules.md is the registry', () => {
    assert.strictEqual(fs.readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8'), rulesDocument());
  });
});
