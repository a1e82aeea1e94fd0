// Module aliases for dependency-cruiser (read as a webpack-style resolve config): SvelteKit's $lib.
const path = require('node:path');

module.exports = { resolve: { alias: { $lib: path.join(__dirname, 'src/lib') } } };
