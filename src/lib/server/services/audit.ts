/**
 * The one way to write an audit row (administrator actions, device results, sign-ins, settings): who (actor),
 * in which MA, on what (target), when, with which outcome. Part of the same transaction as the change it
 * records when the caller passes the open transaction. Behind it, the prepared insert of the audit
 * repository (one row accompanies every result, so it is on the hot path).
 */
import { newId } from '../ids';
import * as repo from '../db/repos/audit';
import type { Q } from '../db/repos/types';
import type { AuditActor } from './deps';

export type AuditEntry = {
	maId: string | null;
	actor: AuditActor;
	action: string;
	targetType?: string;
	targetId?: string;
	outcome: string;
	detail?: Record<string, unknown>;
};

export function audit(q: Q, at: number, e: AuditEntry): void {
	repo.insertAudit(q, {
		id: newId(),
		maId: e.maId,
		actorType: e.actor.type,
		actorId: e.actor.id,
		action: e.action,
		targetType: e.targetType ?? '',
		targetId: e.targetId ?? '',
		outcome: e.outcome,
		detail: JSON.stringify(e.detail ?? {}),
		at
	});
}
