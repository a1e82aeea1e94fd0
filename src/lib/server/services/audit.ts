/** Writes audit events; part of the same transaction as the change it records. */
import { newId } from '../ids';
import * as repo from '../db/repos/audit';
import type { Q } from '../db/repos/types';
import type { AuditActor } from './deps';

export function audit(
	q: Q,
	at: number,
	e: {
		maId: string | null;
		actor: AuditActor;
		action: string;
		targetType?: string;
		targetId?: string;
		outcome: string;
		detail?: Record<string, unknown>;
	}
): void {
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
