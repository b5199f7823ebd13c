// Writes docs/rules.md and the README's rule table from the rule registry (run after `tsc -b`).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { readmeRuleTable, rulesDocument, README_RULES_START, README_RULES_END } = require('../out/server/src/engine/docs/ruleTable.js');

mkdirSync('docs', { recursive: true });
writeFileSync('docs/rules.md', rulesDocument());
const readme = readFileSync('README.md', 'utf8');
const start = readme.indexOf(README_RULES_START);
const end = readme.indexOf(README_RULES_END);
if (start < 0 || end < 0) throw new Error('README.md has no rules markers');
writeFileSync('README.md', readme.slice(0, start + README_RULES_START.length) + '\n' + readmeRuleTable() + '\n' + readme.slice(end));
