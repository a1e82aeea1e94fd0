/**
 * The allowed imports between the parts of SCOMO Relay (`npm run lint:arch`, run by CI). Every rule below is
 * an arrow that must not exist; a violation fails the lint with the rule's name and comment.
 *
 *   core            pure SCOMO domain: imports nothing outside itself, not even Node built-ins (it runs in
 *                   the browser, the agent and the server alike)
 *   contract        the wire contract: core only (plus libraries such as valibot)
 *   device          the device runtime shared by the PWA and the agent: core and contract, never server code
 *   device-browser  the PWA's adapters: device, contract, core
 *   agent           talks to the server only through the protocol: device, contract, core, never server code
 *   cli             the operators' CLI talks to the server only through the REST API: contract and core
 *   server          core and contract; never the device side, the UI, routes, agent, bench or tests
 *   *-ui, auth-client  browser code: never server code (SvelteKit's *.server.ts modules excepted: they never
 *                   reach the browser)
 *   routes          may use any part of src/lib
 *   db              all SQL lives in src/lib/server/db (repositories in db/repos): nothing else under src/
 *                   (tests aside) imports drizzle-orm, better-sqlite3 or the schema modules
 *   tests, bench    share fixtures from tests/support; the test tiers and bench never import one another
 */
const SRC_LIB = '^src/lib/';
const CORE = `${SRC_LIB}core/`;
const CONTRACT = `${SRC_LIB}contract/`;
const SERVER = `${SRC_LIB}server/`;
const DEVICE = `${SRC_LIB}device/`;
const DEVICE_BROWSER = `${SRC_LIB}device-browser/`;
const BROWSER_UI = `${SRC_LIB}(admin-ui|device-ui|security-ui|auth-client)/`;
const ROUTES = '^src/routes/';
const AGENT = '^agent/';
const CLI = '^cli/';
const BENCH = '^bench/';
const TESTS = '^tests/';
const SCRIPTS = '^scripts/';
const TEST_FILE = '\\.test\\.ts$';
const DB = `${SERVER}db/`;
/** What writes SQL: the query builder, the driver and the table definitions (SQLite and the PostgreSQL mirror). */
const SQL_MODULES = `(^|/)node_modules/(drizzle-orm|better-sqlite3)/|${DB}(schema|schema-auth|schema-security)\\.ts$|${DB}postgres/`;
/** Code that is not a test: tests may reach into the part they test and into tests/support. */
const notTest = (path) => ({ path, pathNot: TEST_FILE });
const outerLayers = [CONTRACT, SERVER, DEVICE, DEVICE_BROWSER, BROWSER_UI, ROUTES, AGENT, CLI, BENCH, TESTS, SCRIPTS];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'core-imports-no-outer-layer',
			comment: 'src/lib/core is the pure domain: it may import only itself.',
			severity: 'error',
			from: notTest(CORE),
			to: { path: outerLayers.join('|') }
		},
		{
			name: 'core-imports-no-node-builtins',
			comment: 'src/lib/core runs in the browser too: no Node built-ins (node:crypto and friends belong to server or agent adapters).',
			severity: 'error',
			from: notTest(CORE),
			to: { dependencyTypes: ['core'] }
		},
		{
			name: 'contract-imports-only-core',
			comment: 'src/lib/contract describes the wire: it may import src/lib/core and libraries, nothing else of ours.',
			severity: 'error',
			from: notTest(CONTRACT),
			to: { path: outerLayers.filter((l) => l !== CONTRACT).join('|') }
		},
		{
			name: 'device-never-imports-server',
			comment: 'Device code (runtime, PWA adapters, device UI, agent) reaches the server only through the protocol.',
			severity: 'error',
			// Tests aside: a device test may seal a package with the server's real code to prove the device opens it.
			from: { path: `${DEVICE}|${DEVICE_BROWSER}|${SRC_LIB}device-ui/|${AGENT}`, pathNot: TEST_FILE },
			to: { path: `${SERVER}|${ROUTES}|^server\\.ts$` }
		},
		{
			name: 'device-runtime-is-platform-neutral',
			comment: 'src/lib/device is shared by the PWA and the headless agent: it never imports either one\'s adapters or UI.',
			severity: 'error',
			from: notTest(DEVICE),
			to: { path: `${DEVICE_BROWSER}|${BROWSER_UI}|${AGENT}|${ROUTES}|${BENCH}|${TESTS}|${SCRIPTS}` }
		},
		{
			name: 'agent-imports-device-contract-core-only',
			comment: 'The agent is a device: it may import src/lib/device, contract and core (and its own files), nothing else of ours.',
			severity: 'error',
			from: notTest(AGENT),
			to: { path: `${SERVER}|${DEVICE_BROWSER}|${BROWSER_UI}|${ROUTES}|${BENCH}|${TESTS}|${SCRIPTS}` }
		},
		{
			name: 'cli-imports-contract-core-only',
			comment: 'The operators\' CLI is a REST client: it may import src/lib/contract and src/lib/core (and its own files), nothing else of ours.',
			severity: 'error',
			from: notTest(CLI),
			to: { path: outerLayers.filter((l) => l !== CONTRACT && l !== CLI).join('|') + '|^server\\.ts$' }
		},
		{
			name: 'server-imports-no-device-ui-or-tooling',
			comment: 'src/lib/server builds on core and contract; it never imports device code, UI, routes, agent, bench, tests or scripts.',
			severity: 'error',
			from: notTest(SERVER),
			to: { path: `${DEVICE}|${DEVICE_BROWSER}|${BROWSER_UI}|${ROUTES}|${AGENT}|${CLI}|${BENCH}|${TESTS}|${SCRIPTS}` }
		},
		{
			name: 'browser-code-never-imports-server',
			comment: 'UI code ships to the browser. Only SvelteKit server modules (*.server.ts, never bundled for the browser) may use src/lib/server.',
			severity: 'error',
			from: { path: `${BROWSER_UI}|${DEVICE_BROWSER}`, pathNot: `\\.server\\.ts$|${TEST_FILE}` },
			to: { path: `${SERVER}|^server\\.ts$` }
		},
		{
			name: 'product-code-never-imports-tooling',
			comment: 'Nothing under src/ (tests aside) imports the agent, the CLI, bench, tests or scripts.',
			severity: 'error',
			from: notTest('^src/'),
			to: { path: `${AGENT}|${CLI}|${BENCH}|${TESTS}|${SCRIPTS}` }
		},
		{
			name: 'sql-only-in-repositories',
			comment:
				'All SQL lives in src/lib/server/db: services, routes and the realtime layer call repository functions (db/repos), never drizzle-orm, better-sqlite3 or the schema modules. Tests may inspect the store directly.',
			severity: 'error',
			from: { path: '^src/|^server\\.ts$', pathNot: `${DB}|${TEST_FILE}` },
			to: { path: SQL_MODULES }
		},
		{
			name: 'test-tiers-share-only-tests-support',
			comment: 'Integration and e2e tests share fixtures through tests/support, never by importing one another or bench.',
			severity: 'error',
			from: { path: '^tests/integration/' },
			to: { path: '^tests/e2e/|^bench/' }
		},
		{
			name: 'e2e-shares-only-tests-support',
			comment: 'e2e tests share fixtures through tests/support (or tests/e2e/support), never by importing integration tests or bench.',
			severity: 'error',
			from: { path: '^tests/e2e/' },
			to: { path: '^tests/integration/|^bench/' }
		},
		{
			name: 'tests-support-stands-alone',
			comment: 'tests/support is the shared fixture folder: it never imports a test tier or bench.',
			severity: 'error',
			from: { path: '^tests/support/' },
			to: { path: '^tests/(integration|e2e)/|^bench/' }
		},
		{
			name: 'bench-shares-only-tests-support',
			comment: 'bench reuses test fixtures only through tests/support, never test files.',
			severity: 'error',
			from: { path: BENCH },
			to: { path: '^tests/(integration|e2e)/' }
		},
		{
			name: 'unit-tests-share-only-tests-support',
			comment: 'Unit tests beside the code may use tests/support, never another tier\'s tests or bench.',
			severity: 'error',
			from: { path: `^(src|agent)/.*${TEST_FILE}` },
			to: { path: '^tests/(integration|e2e)/|^bench/' }
		},
		{
			name: 'no-unresolvable-relative-imports',
			comment: 'A relative import that resolves to nothing is a broken file reference.',
			severity: 'error',
			from: {},
			// SvelteKit's ./$types modules are generated type declarations, not files.
			to: { couldNotResolve: true, path: '^\\.', pathNot: '/\\$types$' }
		}
	],
	options: {
		// Libraries are not followed but stay in the graph as leaves, so rules can forbid importing one
		// (sql-only-in-repositories: drizzle-orm, better-sqlite3).
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '^(build|\\.svelte-kit|test-results)/' },
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		// SvelteKit's $lib alias, so imports through $lib are checked like relative ones (the paths in
		// .svelte-kit/tsconfig.json have no baseUrl, which the resolver needs).
		webpackConfig: { fileName: '.dependency-cruiser-aliases.cjs' },
		enhancedResolveOptions: {
			extensions: ['.ts', '.js', '.svelte', '.json'],
			conditionNames: ['import', 'require', 'node', 'svelte', 'default', 'types']
		},
		reporterOptions: { text: { highlightFocused: true } }
	}
};
