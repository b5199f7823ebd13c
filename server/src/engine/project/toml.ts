// smol-toml ships CommonJS beside its ES module but types only the latter; load the CommonJS
// build and borrow the ES module's types.
type SmolToml = typeof import('smol-toml', { with: { 'resolution-mode': 'import' } });
const smolToml: SmolToml = require('smol-toml');

export const parseToml = smolToml.parse;
export const TomlError = smolToml.TomlError;
