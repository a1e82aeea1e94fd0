/**
 * Runs the real headless agent (`node --import tsx agent/cli.ts`) as a child process, reads its JSON event
 * lines, and reads its state files, so tests can kill it (SIGKILL) and start it again on the same data.
 */
import { PATIENCE_MS } from './patience';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { emptyLedger, type Identity, type Ledger } from '../../src/lib/device';
import { PROJECT_ROOT } from './server-process';
import { tempDir, track } from './cleanup';
import { componentKey } from '../../src/lib/device/component-key';

export type AgentEvent = { event: string; at: number } & Record<string, unknown>;

export type AgentOptions = {
	server?: string;
	dataDir?: string;
	enroll?: string;
	baseline?: string;
	/** Written to a policy file and passed as --consent. */
	consent?: { default?: 'accept' | 'refuse' | 'prompt'; perMa?: Record<string, string>; choices?: Record<string, string> };
	args?: string[];
	env?: Record<string, string>;
	/** Answer prompts through stdin (--prompt-stdin); see AgentProcess.answer. */
	promptStdin?: boolean;
};

export class AgentProcess {
	readonly events: AgentEvent[] = [];
	private out = '';
	private waiters: (() => void)[] = [];
	readonly exited: Promise<number | null>;

	constructor(
		readonly child: ChildProcess,
		readonly dataDir: string
	) {
		let buffer = '';
		child.stdout!.setEncoding('utf8');
		child.stdout!.on('data', (d: string) => {
			this.out += d;
			buffer += d;
			let nl: number;
			while ((nl = buffer.indexOf('\n')) >= 0) {
				const line = buffer.slice(0, nl);
				buffer = buffer.slice(nl + 1);
				try {
					this.events.push(JSON.parse(line) as AgentEvent);
				} catch {
					// not an event line
				}
			}
			for (const w of this.waiters.splice(0)) w();
		});
		child.stderr!.on('data', (d) => (this.out += d));
		this.exited = new Promise((resolve) =>
			child.once('exit', (code) => {
				for (const w of this.waiters.splice(0)) w();
				resolve(code);
			})
		);
	}

	output(): string {
		return this.out;
	}

	/** Resolves with the first event (from the start) that matches; bounded wait, no sleeping. */
	async waitFor(match: (e: AgentEvent) => boolean, what: string, timeoutMs = PATIENCE_MS): Promise<AgentEvent> {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const found = this.events.find(match);
			if (found) return found;
			if (this.child.exitCode !== null || this.child.signalCode !== null) {
				throw new Error(`agent exited while waiting for ${what}:\n${this.out}`);
			}
			const left = until - Date.now();
			if (left <= 0) throw new Error(`agent: no ${what} within ${timeoutMs} ms:\n${this.out.slice(-4000)}`);
			await new Promise<void>((resolve) => {
				const t = setTimeout(resolve, left);
				this.waiters.push(() => {
					clearTimeout(t);
					resolve();
				});
			});
		}
	}

	waitEvent(event: string, what = event, extra: (e: AgentEvent) => boolean = () => true) {
		return this.waitFor((e) => e.event === event && extra(e), what);
	}

	/** Number of events seen so far; pair with waitAfter to wait for a new one. */
	mark(): number {
		return this.events.length;
	}

	waitAfter(mark: number, match: (e: AgentEvent) => boolean, what: string, timeoutMs = PATIENCE_MS) {
		return this.waitFor((e) => this.events.indexOf(e) >= mark && match(e), what, timeoutMs);
	}

	/**
	 * Resolves once the agent has durably dropped the journal entry of the set holding `correlator` (its
	 * `set-finished` event): from then on its ledger file no longer changes for that set. The server marks an
	 * operation completed when the result arrives, which is BEFORE the agent drops the entry.
	 */
	waitSetFinished(correlator: string, timeoutMs = PATIENCE_MS) {
		return this.waitFor((e) => e.event === 'set-finished' && (e.correlators as string[]).includes(correlator), `the set of ${correlator} to finish`, timeoutMs);
	}

	/** Types an answer to the pending prompt (needs promptStdin). */
	answer(text: 'y' | 'n'): void {
		this.child.stdin!.write(`${text}\n`);
	}

	/** The ledger as the agent reads it at start: no file yet (nothing committed) is the empty ledger. */
	ledger(): Ledger {
		const file = path.join(this.dataDir, 'ledger.json');
		if (!existsSync(file)) return emptyLedger();
		return { ...emptyLedger(), ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<Ledger>) };
	}

	identity(): Identity {
		return JSON.parse(readFileSync(path.join(this.dataDir, 'identity.json'), 'utf8')) as Identity;
	}

	async kill(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
		if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
		return this.exited;
	}
}

export function startAgent(opts: AgentOptions): AgentProcess {
	const dataDir = opts.dataDir ?? tempDir('scomo-agent-');
	const args = ['--import', 'tsx', 'agent/cli.ts', '--data', dataDir];
	if (opts.server) args.push('--server', opts.server);
	if (opts.enroll) args.push('--enroll', opts.enroll);
	if (opts.baseline) args.push('--baseline', opts.baseline);
	if (opts.consent) {
		const file = path.join(dataDir, 'consent-policy.json');
		writeFileSync(file, JSON.stringify(opts.consent));
		args.push('--consent', file);
	}
	if (opts.promptStdin) args.push('--prompt-stdin');
	args.push(...(opts.args ?? []));
	const child = track(
		spawn(process.execPath, args, {
			cwd: PROJECT_ROOT,
			env: { PATH: process.env.PATH ?? '', ...opts.env },
			stdio: [opts.promptStdin ? 'pipe' : 'ignore', 'pipe', 'pipe']
		})
	);
	return new AgentProcess(child, dataDir);
}

/** Where the agent stores a component's bundle: its folder, or the file of one version. */
export function agentBundlePath(agent: AgentProcess, maId: string, componentId: string, version?: string): string {
	const dir = path.join(agent.dataDir, 'packages', componentKey(maId, componentId));
	return version === undefined ? dir : path.join(dir, `${version}.js`);
}

/** A real example package from examples/components/<id>/<version>/: its manifest and bundle text. */
export function examplePackage(componentId: string, version: string): { manifest: Record<string, unknown>; bundle: string } {
	const dir = path.join(PROJECT_ROOT, 'examples/components', componentId, version);
	const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
	return { manifest, bundle: readFileSync(path.join(dir, String(manifest.entry)), 'utf8') };
}

/** The agent's inventory as the server shows it: sorted rows of one MA's components. */
export function agentInventory(agent: AgentProcess, maId: string) {
	return agent
		.ledger()
		.inventory.filter((i) => i.maId === maId)
		.map(({ component: c }) => ({
			componentId: c.componentId,
			stage: c.stage,
			version: c.version,
			state: c.stage === 'deployed' ? c.state : null,
			operational: c.stage === 'deployed' ? c.operational : null
		}))
		.sort((a, b) => a.componentId.localeCompare(b.componentId));
}
