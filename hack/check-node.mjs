// Fails early, with the fix, when the Node.js running the scripts is older than the runtime
// the backend needs (@kubernetes/client-node 2.x requires 22.19+). npm puts
// node_modules/.bin first on PATH, so after `npm ci` the pinned `node` package answers here.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(
    `Node.js ${process.versions.node} is too old: this project needs 22.19 or newer.\n` +
      'Run the commands through hack/run (it installs the pinned runtime from the npm registry),\n' +
      'or run `npm ci` so that node_modules/.bin/node (package "node" 22.x) is used, or install Node.js 22 LTS.',
  );
  process.exit(1);
}
