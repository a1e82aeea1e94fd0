// Prints the directory holding the C headers of the Node.js that runs this script (its install prefix, with
// include/node/node.h), or nothing when they are not there. npm_config_nodedir set to it lets node-gyp build
// better-sqlite3 against exactly this Node, offline, wherever Node came from: Debian's package (/usr), an
// official tarball (its own folder), nvm. With nothing printed node-gyp falls back to downloading headers.
import { existsSync } from 'node:fs';
import path from 'node:path';

const prefix = path.resolve(path.dirname(process.execPath), '..');
if (existsSync(path.join(prefix, 'include', 'node', 'node.h'))) process.stdout.write(prefix);
