/**
 * One rollout (issue #17): its definition, status, per-phase tallies, timeline (its audit rows, with who did
 * what by name) and one keyset page of its devices (filtered by phase and state), and the operator's actions:
 * start, pause, resume (which confirms the next phase when the current one waits for a person), abort and
 * retry failures. What the page offers comes from the one policy; every action asks it again (403/404).
 * Another MA's rollout, or a missing one, is 404.
 */
import { error, fail } from '@sveltejs/kit';
import { requireAccess } from '$lib/server/auth/guard';
import { authorizeResource } from '$lib/server/authz';
import { getAdmin } from '$lib/server/auth/accounts';
import { ERROR_CODES } from '$lib/contract/errors';
import { ROLLOUT_DEVICE_STATES } from '$lib/contract/rollouts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = ({ locals, url, params, depends }) => {
	const { actor, maId } = requireAccess(locals, url, 'read', 'rollout', params.id);
	depends('admin:rollout');
	const ctx = locals.app;
	const got = ctx.services.rollouts.get(maId, params.id);
	if (!got.ok) error(404, { message: 'Rollout not found', code: 'not_found' });
	const detail = got.value;

	const phaseParam = url.searchParams.get('phase') ?? '';
	const phase = /^[0-9]{1,2}$/.test(phaseParam) && Number(phaseParam) < detail.phases.length ? Number(phaseParam) : undefined;
	const stateParam = url.searchParams.get('state') ?? '';
	const state = (ROLLOUT_DEVICE_STATES as readonly string[]).includes(stateParam) ? stateParam : undefined;
	const cursor = url.searchParams.get('cursor') ?? '';
	const q = { phase, state, limit: PAGE_SIZE };
	// A cursor that is not one of ours (an edited link) shows the first page rather than an error page.
	const paged = cursor ? ctx.services.rollouts.devices(maId, params.id, { ...q, cursor }) : null;
	const devices = paged?.ok ? paged : ctx.services.rollouts.devices(maId, params.id, q);
	const page = devices.ok ? devices.value : { items: [], total: 0, nextCursor: null };

	// People by name ("Dana Ops"), never by ID; the scheduler and scripts as what they are.
	const names = new Map<string, string>();
	const nameOf = (who: string) => {
		let n = names.get(who);
		if (n === undefined) {
			const [type, id = ''] = who.split(':');
			n = type === 'admin' ? (getAdmin(ctx.store.db, id)?.displayName ?? 'a former member') : type === 'token' ? 'an API token' : 'the scheduler';
			names.set(who, n);
		}
		return n;
	};
	// Groups (target, group phases) by name; a group since deleted shows as such.
	const def = detail.definition;
	const groupIds = [...(def.target.kind === 'group' ? [def.target.groupId] : []), ...def.phases.flatMap((p) => (p.size.kind === 'group' ? [p.size.groupId] : []))];
	const groupNames: Record<string, string> = {};
	for (const id of new Set(groupIds)) {
		const g = ctx.services.groups.get(maId, id);
		groupNames[id] = g.ok ? g.value.name : 'a deleted group';
	}
	const principal = { actor, maId };
	return {
		groupNames,
		detail: { ...detail, timeline: detail.timeline.map((e) => ({ ...e, who: nameOf(e.actor) })) },
		createdByName: nameOf(detail.rollout.createdBy),
		devices: page.items,
		deviceTotal: page.total,
		nextCursor: page.nextCursor,
		paged: paged?.ok === true,
		filter: { phase: phase === undefined ? '' : String(phase), state: state ?? '' },
		can: {
			operate: authorizeResource(ctx.store.db, principal, 'operate', 'rollout', params.id).ok,
			approve: authorizeResource(ctx.store.db, principal, 'approve', 'rollout', params.id).ok
		},
		now: ctx.clock()
	};
};

type Act = 'start' | 'pause' | 'resume' | 'abort' | 'retryFailures';
const DONE: Record<Act, string> = {
	start: 'Started.',
	pause: 'Paused: no new device starts until you resume.',
	resume: 'Resumed.',
	abort: 'Aborted: no new device starts; what devices have not run yet is withdrawn.',
	retryFailures: 'The failed devices get another try.'
};

/** Every action: the one policy ('operate' on this rollout), then the service; its refusal in its words. */
async function act(event: RequestEvent, what: Act) {
	const { locals, url, params, request } = event;
	const { actor, maId } = requireAccess(locals, url, 'operate', 'rollout', params.id);
	const note = String((await request.formData()).get('note') ?? '').trim().slice(0, 500);
	const who = { type: 'admin' as const, id: actor.id };
	const s = locals.app.services.rollouts;
	const r =
		what === 'start' ? s.start(maId, who, params.id)
		: what === 'pause' ? s.pause(maId, who, params.id, note)
		: what === 'resume' ? s.resume(maId, who, params.id, note)
		: what === 'abort' ? s.abort(maId, who, params.id, note)
		: s.retryFailures(maId, who, params.id);
	if (!r.ok) return fail(ERROR_CODES[r.error.code].status, { action: what, error: r.error.message });
	return { action: what, message: r.value.status === 'awaiting-approval' ? 'Started: it waits for a passkey approval before any device gets it.' : DONE[what] };
}

export const actions: Actions = {
	start: (e) => act(e, 'start'),
	pause: (e) => act(e, 'pause'),
	resume: (e) => act(e, 'resume'),
	abort: (e) => act(e, 'abort'),
	retryFailures: (e) => act(e, 'retryFailures')
};
