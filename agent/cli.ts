/**
 * The headless device agent (kiosks, gateways, tests): the shared device runtime with Node adapters.
 *
 *   npm run agent -- --server http://localhost:3000 --enroll CODE --data ./device-1 [--baseline ID]
 *                    [--manufacturer X] [--model Y] [--consent policy.json]
 *
 * The first run with --enroll creates the key and the identity; later runs reuse them (--enroll again adds
 * another MA). Every event is one JSON line on stdout ({"event":"enrolled",...}, {"event":"connected",...}),
 * so scripts and tests can follow it. SIGTERM/SIGINT stop it cleanly.
 */
import { Command } from 'commander';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DeviceRuntime, enrollDevice, type Identity, type RuntimeEvent } from '../src/lib/device';
import { FilePackageStore } from './file-package-store';
import { FileStateStore } from './file-state-store';
import { loadOrCreateSigner } from './key-file';
import { loadOrCreateDecrypter } from './decrypter';
import { PolicyConsent, processTerminal, readPolicy } from './policy-consent';
import { WorkerRunner } from './worker-runner';
import { FAULT_ENV, withFaults } from './fault-injection';

export const AGENT_VERSION = '0.1.0';

type Options = {
	server?: string;
	data: string;
	enroll?: string;
	baseline: string;
	manufacturer: string;
	model: string;
	softwareVersion: string;
	consent?: string;
	ackTimeout: string;
	promptStdin?: boolean;
	request?: string;
	requestMa?: string;
	note: string;
	catalog?: boolean;
};

function print(line: Record<string, unknown> | RuntimeEvent): void {
	process.stdout.write(`${JSON.stringify({ at: Date.now(), ...line })}\n`);
}

async function main(argv: string[]): Promise<number> {
	const program = new Command()
		.name('scomo-agent')
		.description('SCOMO Relay headless device agent')
		.option('--server <url>', 'server URL, e.g. http://localhost:3000 (required with --enroll)')
		.requiredOption('--data <dir>', 'data directory (identity, key, inventory, packages)')
		.option('--enroll <code>', 'enroll with an MA using a one-time enrollment code')
		.option('--baseline <id>', 'factory baseline build ID, fixed at the first enrollment (SCOMO-HLFR-9)', 'scomo-agent-node20')
		.option('--manufacturer <name>', 'manufacturer reported in the device info', 'SCOMO Relay')
		.option('--model <name>', 'model reported in the device info', 'Headless agent')
		.option('--software-version <v>', 'software version reported in the device info', AGENT_VERSION)
		.option('--consent <file>', 'consent policy JSON ({default, perMa, choices}); default: prompt on a TTY, else refuse')
		.option('--prompt-stdin', 'read prompt answers (y/n lines) from stdin even when it is not a terminal')
		.option('--request <component[@version]>', 'once connected, ask an MA to install or update a component (SCOMO-Device-06)')
		.option('--request-ma <maId>', 'the MA to ask (default: the first one enrolled)')
		.option('--note <text>', 'a note for the administrators with --request', '')
		.option('--catalog', 'once connected, print the catalog of every enrolled MA')
		.option('--ack-timeout <ms>', 'how long to wait for each acknowledgement from the server', '10000')
		.showHelpAfterError();
	program.parse(argv);
	const o = program.opts<Options>();
	const dataDir = path.resolve(o.data);
	await mkdir(dataDir, { recursive: true, mode: 0o700 });

	const store = new FileStateStore(dataDir);
	const signer = await loadOrCreateSigner(dataDir);
	// SCOMO-SEC-03: packages are sealed to this key; the server gets its public half at enrollment.
	const decrypter = await loadOrCreateDecrypter(dataDir);
	const policy = await readPolicy(o.consent);

	if (o.enroll) {
		if (!o.server) {
			print({ event: 'fatal', message: '--enroll needs --server' });
			return 2;
		}
		const r = await enrollDevice(store, {
			serverUrl: o.server,
			code: o.enroll,
			signer,
			encryptionKey: decrypter.publicKey,
			kind: 'agent',
			info: { manufacturer: o.manufacturer, model: o.model, baselineBuildId: o.baseline, softwareVersion: o.softwareVersion }
		});
		if (!r.ok) {
			print({ event: 'enroll-failed', ...r.error });
			return 2;
		}
		const ma = r.value.mas.at(-1)!;
		print({ event: 'enrolled', deviceId: r.value.deviceId, maId: ma.maId, maName: ma.name, baselineBuildId: r.value.baselineBuildId });
	}

	let identity = await store.readIdentity();
	if (!identity) {
		print({ event: 'fatal', message: 'this device is not enrolled yet: pass --server URL --enroll CODE' });
		return 2;
	}
	if (o.server && o.server !== identity.serverUrl) {
		identity = { ...identity, serverUrl: o.server };
		await store.writeIdentity(identity);
	}
	if (Object.keys(policy.choices).length > 0) {
		await store.writeChoices({ ...(await store.readChoices()), ...policy.choices });
	}

	const runner = new WorkerRunner((componentId, text) => print({ event: 'component-log', componentId, text }));
	let firstConnection = true;
	const onEvent = (e: RuntimeEvent) => {
		print(e);
		if (e.event === 'connected' && firstConnection) {
			firstConnection = false;
			void afterFirstConnection(o, runtime!, identity!).catch((err: unknown) =>
				print({ event: 'error', where: 'cli', message: err instanceof Error ? err.message : String(err) })
			);
		}
	};
	const runtime: DeviceRuntime | null = await DeviceRuntime.open({
		store,
		packages: withFaults(new FilePackageStore(dataDir), process.env[FAULT_ENV], print),
		runner,
		consent: new PolicyConsent(policy, print, { ...processTerminal(), ...(o.promptStdin ? { isTTY: true } : {}) }),
		signer,
		decrypter,
		emit: onEvent,
		ackTimeoutMs: Number(o.ackTimeout)
	});
	if (!runtime) return 2;

	let stopping = false;
	const stopped = new Promise<number>((resolve) => {
		const stop = (signal: string) => {
			if (stopping) return;
			stopping = true;
			void (async () => {
				await runtime.stop();
				await runner.stopAll();
				print({ event: 'stopped', signal });
				resolve(0);
			})();
		};
		process.on('SIGTERM', () => stop('SIGTERM'));
		process.on('SIGINT', () => stop('SIGINT'));
	});
	await runtime.start();
	print({ event: 'started', deviceId: runtime.deviceId, server: identity.serverUrl, baselineBuildId: identity.baselineBuildId });
	return stopped;
}

/** The one-shot actions of --catalog and --request (SCOMO-Device-06), once the device is online. */
async function afterFirstConnection(o: Options, runtime: DeviceRuntime, identity: Identity): Promise<void> {
	if (o.catalog) {
		for (const ma of identity.mas) print({ event: 'catalog', maId: ma.maId, entries: await runtime.catalog(ma.maId) });
	}
	if (o.request) {
		const [componentId, version] = o.request.split('@') as [string, string | undefined];
		const maId = o.requestMa ?? identity.mas[0]!.maId;
		const installed = runtime.keeper.item(maId, componentId)?.component.stage === 'deployed';
		const r = await runtime.request({
			maId,
			kind: installed ? 'Update' : 'DownloadInstall',
			componentId,
			version: version ?? null,
			note: o.note
		});
		print({ event: 'request-sent', componentId, ...r });
	}
}

main(process.argv).then(
	(code) => process.exit(code),
	(e: unknown) => {
		print({ event: 'fatal', message: e instanceof Error ? e.message : String(e) });
		process.exit(1);
	}
);
