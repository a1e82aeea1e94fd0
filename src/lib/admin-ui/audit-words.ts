/**
 * The audit log for people: each event as a sentence ("Dana Ops removed com.example.clock from a device"),
 * dotted action names as words for the filter, outcomes in words, and the CSV export's rows. Pure.
 */
import { resultCodeName, isSuccessCode } from '../core';

export type AuditEventView = {
	at: number;
	actorType: string;
	actorId: string;
	actorName: string | null;
	action: string;
	targetType: string;
	targetId: string;
	outcome: string;
	detail: Record<string, unknown>;
};

/** What each action did, as a verb phrase after the actor's name. */
const ACTIONS: Record<string, string> = {
	'admin.signin': 'signed in',
	'admin.signout': 'signed out',
	'admin.signout-everywhere': 'signed out everywhere',
	'batch.approve': 'approved a high-risk operation with a passkey',
	'batch.reject': 'rejected a high-risk operation',
	'device-request.create': 'asked for a component',
	'device-request.decide': 'answered a device’s request',
	'device.decommission': 'decommissioned a device from this MA',
	'device.decommission.ack': 'confirmed it erased this MA’s data (decommission)',
	'device.enroll': 'enrolled',
	'device.revoke': 'revoked a device',
	'device.update': 'changed a device’s name, notes or tags',
	'enrollment-code.create': 'created an enrollment code',
	'enrollment-code.revoke': 'revoked an enrollment code',
	'group.create': 'created a device group',
	'group.delete': 'deleted a device group',
	'group.members': 'changed a group’s members',
	'group.update': 'changed a device group',
	'invitation.accept': 'accepted an invitation',
	'invitation.create': 'created an invitation',
	'invitation.revoke': 'revoked an invitation',
	'ma.create': 'created the Management Authority',
	'ma.settings': 'changed the settings',
	'member.remove': 'removed a member',
	'member.join': 'joined',
	'settings.update': 'changed the settings',
	'member.role': 'changed a member’s role',
	'operation.cancel': 'cancelled an operation',
	'operation.result': 'reported a result',
	'operations.create': 'sent operations',
	'operations.expire': 'ended operations nobody answered in time',
	'package.upload': 'uploaded a component',
	'passkey.add': 'added a passkey',
	'passkey.remove': 'removed a passkey',
	'passkey.rename': 'renamed a passkey',
	'signing-key.rotate': 'rotated the command-signing key',
	'token.create': 'created an API token',
	'token.revoke': 'revoked an API token'
};

/** "package.upload" → "Uploaded a component" (for the action filter). */
export function actionInWords(action: string): string {
	const phrase = ACTIONS[action];
	if (!phrase) return action.replace(/[.-]/g, ' ');
	return phrase[0]!.toUpperCase() + phrase.slice(1);
}

export function actorInWords(e: Pick<AuditEventView, 'actorType' | 'actorId' | 'actorName'>): string {
	if (e.actorType === 'admin') return e.actorName ?? 'A former member';
	if (e.actorType === 'device') return `Device ${e.actorId.slice(0, 8)}`;
	if (e.actorType === 'token') return 'An API token';
	return 'The system';
}

/** ok / denied / refused / failed, or a SCOMO result code for device results. */
export function outcomeInWords(outcome: string): { text: string; tone: 'ok' | 'bad' | 'warn' } {
	if (outcome === 'ok') return { text: 'Done', tone: 'ok' };
	if (outcome === 'denied') return { text: 'Denied', tone: 'bad' };
	if (outcome === 'refused') return { text: 'Refused', tone: 'bad' };
	if (outcome === 'failed') return { text: 'Failed', tone: 'bad' };
	const code = Number(outcome);
	if (Number.isInteger(code) && code >= 1000) return { text: resultCodeName(code), tone: isSuccessCode(code) ? 'ok' : 'bad' };
	return { text: outcome, tone: 'warn' };
}

const str = (x: unknown) => (typeof x === 'string' && x ? x : '');

/** One event as a sentence, with the details that matter (component, reason, kind) in words, no JSON. */
export function auditSentence(e: AuditEventView): string {
	const who = actorInWords(e);
	const d = e.detail;
	const what = ACTIONS[e.action] ?? `did “${e.action}”`;
	const about = [str(d.componentId) || (e.targetType === 'package' ? '' : ''), str(d.kind), str(d.name), str(d.label), str(d.role)].filter(Boolean);
	let s = `${who} ${what}${about.length ? `: ${about.join(' ')}` : ''}`;
	if (e.action === 'operation.result') s = `${who} reported ${str(d.kind) || 'an operation'}${str(d.componentId) ? ` of ${str(d.componentId)}` : ''}: ${outcomeInWords(e.outcome).text}`;
	// A change recorded as { from, to }: "name “Acme” → “Acme Devices”".
	const changes = Object.entries(d)
		.filter(([, v]) => v && typeof v === 'object' && 'to' in (v as object))
		.map(([k, v]) => `${k} “${String((v as { from?: unknown }).from ?? '')}” → “${String((v as { to?: unknown }).to ?? '')}”`);
	if (changes.length) s += ` (${changes.join(', ')})`;
	if (e.action === 'device.update' && Array.isArray(d.tags)) s += ` (tags now: ${d.tags.length ? d.tags.map(String).join(', ') : 'none'})`;
	if (e.action === 'group.members') s += typeof d.added === 'number' ? ` (${d.added} added)` : typeof d.removed === 'number' ? ` (${d.removed} removed)` : '';
	const reason = str(d.reason) || str(d.message);
	if (reason && e.outcome !== 'ok' && e.outcome !== '1200') s += ` (why: ${reason})`;
	else if (reason && e.action === 'batch.reject') s += ` (why: ${reason})`;
	return `${s}.`;
}

/** RFC 4180 CSV: one header row, then one row per event; every field quoted. */
export function auditCsv(events: readonly AuditEventView[]): string {
	const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
	const rows = [['time (UTC)', 'who', 'action', 'outcome', 'target', 'sentence', 'detail'].map(q).join(',')];
	for (const e of events) {
		rows.push(
			[new Date(e.at).toISOString(), actorInWords(e), e.action, e.outcome, e.targetType ? `${e.targetType} ${e.targetId}` : '', auditSentence(e), JSON.stringify(e.detail)]
				.map(q)
				.join(',')
		);
	}
	return `${rows.join('\r\n')}\r\n`;
}
