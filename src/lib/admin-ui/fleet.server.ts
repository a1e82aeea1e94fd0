/**
 * What the console's pages read about the current MA, through the services only (every caller has
 * already passed requireAccess for this MA): the devices a filter names (IDs, in SQL; never the whole fleet
 * as rows), its component catalog as choices for operations, and the consent modes it allows.
 * The app comes from the request (event.locals.app).
 */
import type { AppContext } from '../server/app-context';
import { compareVersions } from '../core/semver';
import type { ConsentMode } from '../core';
import type { ComponentChoice } from './types';

/**
 * The devices of this MA a devices-list filter (the filter language, core/device-filter.ts) names, as "all
 * matching" targets: resolved again on the server, in SQL, IDs only. A filter that no longer parses names none.
 */
export function matchingDeviceIds(app: AppContext, maId: string, filter: string): string[] {
	const r = app.services.devices.matchingIds(maId, filter);
	return r.ok ? r.value : [];
}

/** The MA's components with their versions, newest first. */
export function componentChoices({ services }: AppContext, maId: string): ComponentChoice[] {
	return services.packages
		.list(maId)
		.map((p) => ({
			componentId: p.componentId,
			name: p.name,
			versions: [...p.versions]
				.sort((a, b) => compareVersions(b.version, a.version))
				.map((v) => ({ version: v.version, compatibleBaselines: v.compatibleBaselines, permissions: v.permissions }))
		}));
}

export function consentModesOf({ services }: AppContext, maId: string): ConsentMode[] {
	return services.mas.get(maId)?.settings.allowedConsentModes ?? ['confirm'];
}

/** The MA's high-risk policy (SCOMO-SEC-02), so the operation dialog can say before sending that approval is needed. */
export function highRiskOf({ services }: AppContext, maId: string): { kinds: string[]; fanout: number } {
	const s = services.mas.get(maId)?.settings;
	return { kinds: s?.highRiskKinds ?? ['Remove'], fanout: s?.highRiskFanout ?? 100 };
}

export function autoApproves({ services }: AppContext, maId: string): boolean {
	return services.mas.get(maId)?.settings.autoApproveDeviceRequests ?? false;
}
