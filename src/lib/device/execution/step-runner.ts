/**
 * Runs one operation on the device: decides it from the committed inventory (the core's transition()), then
 * walks its steps over the ports (download with backoff, package check, stop, install, start, remove). The
 * outcome is a value; the journal loop commits it with the result in one durable write.
 */
import { DOWNLOAD_STATUS, OPERATION_INFO, RC, transition, type ComponentState, type DeployedComponent, type DownloadStatus, type Step } from '../../core';
import type { CommandOperationMsg } from '../../contract';
import { componentKey } from '../component-key';
import { errorMessage, wireText, type EventSink } from '../events';
import type { LedgerKeeper } from '../ledger';
import { DownloadError, type DeviceLink } from '../link';
import { checkPackage, type PackageKeys } from '../package-check';
import type { Clock, ComponentRunner, InventoryItem, PackageStore } from '../ports';
import { throttleProgress } from '../progress-throttle';
import { Interrupted, componentOf, unchanged, visibleEntry, type Outcome } from './outcome';

export type StepRunnerDeps = {
	keeper: LedgerKeeper;
	packages: PackageStore;
	runner: ComponentRunner;
	clock: Clock;
	/** The device's factory build (SCOMO-HLFR-9), fixed at enrollment. */
	baseline: () => string;
	link: () => DeviceLink;
	emit: EventSink;
	progress: (p: Parameters<DeviceLink['sendProgress']>[0]) => void;
	/** SCOMO-SEC-03: decryption and the MAs' pinned keys for the package check (package-check.ts). */
	packageKeys: PackageKeys;
	/** Backoff between download attempts after a transient failure (defaults: 1 s doubling to 30 s). */
	downloadRetry?: { firstDelayMs: number; maxDelayMs: number };
};

/** Everything runSteps() works from: the command, the component as it is and as transition() decided it will be. */
type Plan = {
	maId: string;
	op: CommandOperationMsg;
	componentId: string;
	owned: InventoryItem | null;
	current: ComponentState | null;
	next: ComponentState | null;
	steps: Step[];
	deadline: number;
};

const decoder = new TextDecoder();

export class StepRunner {
	private halted = false;
	/** Wakes a download waiting out its backoff (halt()). */
	private wake: (() => void) | null = null;

	constructor(private readonly d: StepRunnerDeps) {}

	/** The runtime is stopping: a download waiting to retry gives up without a result (it reruns next start). */
	halt(): void {
		this.halted = true;
		this.wake?.();
	}

	resume(): void {
		this.halted = false;
	}

	/** The user said no (SCOMO-USA-1): 1401, nothing changes. */
	refused(maId: string, op: CommandOperationMsg): Outcome {
		const componentId = componentOf(op);
		return unchanged(RC.UserCancelled, 'The user refused the operation.', componentId, visibleEntry(this.d.keeper, maId, componentId));
	}

	/** Runs the operation; an unexpected failure ends it with 1400, a stop of the runtime (Interrupted) propagates. */
	async run(maId: string, op: CommandOperationMsg, deadline: number): Promise<Outcome> {
		try {
			return await this.execute(maId, op, deadline);
		} catch (e) {
			if (e instanceof Interrupted) throw e;
			const componentId = componentOf(op);
			const entry = visibleEntry(this.d.keeper, maId, componentId);
			return unchanged(RC.UndefinedError, `The operation failed unexpectedly: ${errorMessage(e)}`, componentId, entry);
		}
	}

	private async execute(maId: string, op: CommandOperationMsg, deadline: number): Promise<Outcome> {
		const { keeper } = this.d;
		// Progress only where it tells the administrator something (issue #15): an operation that moves a package
		// takes time, so it says it has begun; Start, Stop and the other instantaneous steps answer with their
		// result at once (command → result → ack), and the consent prompt sends its own 'awaiting-consent'.
		if (OPERATION_INFO[op.kind].needsPackage) this.d.progress({ correlator: op.correlator, phase: 'in-progress' });
		if (op.kind === 'Inventory') {
			// SCOMO-HLFR-3, SCOMO-ADC-3: only the requesting MA's components.
			return { ...unchanged(RC.Successful, 'Inventory reported.', null, null), inventory: keeper.inventoryOf(maId) };
		}
		const componentId = componentOf(op);
		if (!componentId) return unchanged(RC.ClientError, 'The operation names no component.', null, null);
		// SCOMO-ADC-3 on the device too: the MA's own component only. Another MA's component of the same ID is
		// a different component (its own key, bundle and worker), so this MA neither sees nor touches it.
		const owned = keeper.item(maId, componentId);
		const current = owned?.component ?? null;
		const fail = (resultCode: number, message: string) => unchanged(resultCode, message, componentId, current);
		const pkg = op.package;
		if (OPERATION_INFO[op.kind].needsPackage) {
			if (!pkg) return fail(RC.ClientError, `${op.kind} needs a package, and the command carries none.`);
			if (pkg.componentId !== componentId || pkg.manifest.id !== componentId || pkg.manifest.version !== pkg.version) {
				return fail(RC.PackageValidationFailed, 'The package does not match the component and version of the command.');
			}
		}
		const decided = transition({
			kind: op.kind,
			current,
			componentId,
			targetVersion: pkg?.version ?? op.version ?? undefined,
			compatibleBaselines: pkg?.manifest.compatibleBaselines,
			deviceBaseline: this.d.baseline()
		});
		if (!decided.ok) return fail(decided.error.resultCode, decided.error.message);
		return this.runSteps({ maId, op, componentId, owned, current, deadline, ...decided.value });
	}

	private async runSteps(x: Plan): Promise<Outcome> {
		const { packages, runner } = this.d;
		const { op, componentId, owned, current, next, maId } = x;
		// Bundles and workers are filed under owner + ID: two MAs' same-named components never share them.
		const key = componentKey(maId, componentId);
		const pkg = op.package;
		// Install* and the component operations use what the device already holds; Download* and Update the new package.
		const manifest = pkg?.manifest ?? owned?.manifest;
		const sha256 = pkg?.sha256 ?? owned?.sha256;
		const version = next?.version ?? current?.version ?? '';
		const progress = (downloadStatus: DownloadStatus) => this.d.progress({ correlator: op.correlator, phase: 'in-progress', downloadStatus });
		let bytes: Uint8Array | null = null;
		let stopped = false;

		const item = (component: ComponentState | null): InventoryItem | null =>
			component && manifest && sha256 ? { maId, component, manifest, sha256 } : null;
		const failure = (resultCode: number, message: string): Outcome => {
			// After a 'stop' the component is no longer running, whatever failed next.
			if (stopped && current?.stage === 'deployed') {
				const after: DeployedComponent = { ...current, operational: 'Stopped' };
				return { resultCode, message, componentId, item: { ...owned!, component: after }, entry: after };
			}
			return unchanged(resultCode, message, componentId, current);
		};

		for (const step of x.steps) {
			switch (step) {
				case 'download': {
					progress(DOWNLOAD_STATUS.DownloadProgressing);
					const got = await this.download(op.correlator, x.deadline);
					if (!got.ok) return failure(RC.DownloadFailed, `The package could not be downloaded: ${got.message}`);
					bytes = got.bytes;
					break;
				}
				case 'verify': {
					// SCOMO-SEC-03: opened if sealed, then size, digest and the MA's signature, before anything is stored.
					if (!pkg || !bytes) return failure(RC.PackageValidationFailed, 'No package to verify.');
					const k = this.d.packageKeys;
					const checked = await checkPackage({ maId, pkg, bytes, decrypter: k.decrypter, requireSealed: k.requireSealed(), maKeys: k.maKeys(maId) });
					if (!checked.ok) return failure(RC.PackageValidationFailed, checked.message);
					try {
						await packages.put(key, pkg.version, checked.bytes);
					} catch (e) {
						return failure(RC.DownloadOutOfMemory, `The package could not be stored: ${errorMessage(e)}`);
					}
					progress(DOWNLOAD_STATUS.DownloadComplete);
					break;
				}
				case 'stop': {
					const r = await runner.stop(key);
					if (!r.ok) return failure(RC.StopFailed, `The component did not stop: ${r.message}`);
					stopped = true;
					break;
				}
				case 'install': {
					progress(DOWNLOAD_STATUS.InstallProgressing);
					const stored = await packages.get(key, version);
					if (!stored) return failure(RC.InstallFailed, `The package of ${componentId} ${version} is not on the device.`);
					break;
				}
				case 'activate':
				case 'deactivate':
					// SCOMO-HLFR-4: the Active/Inactive state is the inventory entry itself, committed with the result.
					break;
				case 'start': {
					const stored = await packages.get(key, version);
					const r = stored
						? await runner.start(key, decoder.decode(stored), manifest!)
						: ({ ok: false, message: 'its package is not on the device' } as const);
					if (!r.ok || !runner.isRunning(key)) {
						// LwM2M Object 9: a component that failed to start is Failed, at its (new) version.
						const failed = next?.stage === 'deployed' ? ({ ...next, operational: 'Failed' } as const) : null;
						return {
							resultCode: RC.StartFailed,
							message: `The component did not start: ${r.ok ? 'it exited at once' : r.message}`,
							componentId,
							item: item(failed) ?? 'unchanged',
							entry: failed ?? current,
							cleanup: this.dropOldVersion(key, current, next)
						};
					}
					break;
				}
				case 'remove': {
					try {
						await packages.delete(key);
					} catch (e) {
						return failure(RC.RemoveFailed, `The component could not be removed: ${errorMessage(e)}`);
					}
					break;
				}
				case 'report-inventory':
					break;
			}
		}
		const label = OPERATION_INFO[op.kind].label;
		return {
			resultCode: RC.Successful,
			message: `${label} of ${componentId}${version ? ` ${version}` : ''} succeeded.`,
			componentId,
			item: item(next),
			entry: next,
			cleanup: this.dropOldVersion(key, current, next)
		};
	}

	/**
	 * Fetches the bundle, trying again with backoff (and a new token each time) while the failure may pass:
	 * a server restart or a lost connection must not end the operation. 1402 only when the server says the
	 * package cannot be had, or when the operation's deadline has passed.
	 */
	private async download(correlator: string, deadline: number): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; message: string }> {
		const { firstDelayMs, maxDelayMs } = this.d.downloadRetry ?? { firstDelayMs: 1000, maxDelayMs: 30_000 };
		for (let attempt = 1; ; attempt++) {
			if (this.halted) throw new Interrupted('the runtime stopped');
			try {
				// Each attempt starts from 0 bytes: a fresh throttle, so its first tick says so at once.
				const tick = throttleProgress(
					(bytesDone, bytesTotal) =>
						this.d.progress({ correlator, phase: 'in-progress', downloadStatus: DOWNLOAD_STATUS.DownloadProgressing, bytesDone, bytesTotal }),
					() => this.d.clock.now()
				);
				return { ok: true, bytes: await this.d.link().fetchBundle(correlator, tick) };
			} catch (e) {
				if (this.halted) throw new Interrupted('the runtime stopped');
				const permanent = !(e instanceof DownloadError) || e.permanent;
				const base = Math.min(maxDelayMs, firstDelayMs * 2 ** Math.min(attempt - 1, 20));
				const delayMs = Math.round(base / 2 + Math.random() * (base / 2));
				if (permanent || this.d.clock.now() + delayMs > deadline) return { ok: false, message: errorMessage(e) };
				this.d.emit({ event: 'download-retry', correlator, attempt, delayMs, message: wireText(errorMessage(e)) });
				await this.sleep(delayMs);
			}
		}
	}

	/** Waits out a backoff; halt() ends the wait early. */
	private sleep(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				this.wake = null;
				resolve();
			}, ms);
			this.wake = () => {
				clearTimeout(timer);
				this.wake = null;
				resolve();
			};
		});
	}

	/** After an Update or a newer Download, the bundle of the replaced version is no longer needed. */
	private dropOldVersion(
		/** componentKey() of the component. */
		key: string,
		current: ComponentState | null,
		next: ComponentState | null
	): (() => Promise<void>) | undefined {
		if (!current || !next || current.version === next.version) return undefined;
		return () => this.d.packages.delete(key, current.version);
	}
}
