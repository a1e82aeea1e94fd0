/** Management Authorities: creation (admin CLI, the passkey helper's bootstrap) and settings. */
import { ok } from '../../core';
import { newId } from '../ids';
import * as masRepo from '../db/repos/mas';
import { audit } from './audit';
import { fail, type Outcome } from './errors';
import { parseMaSettings, type MaSettings } from './ma-settings';
import type { AuditActor, ServiceDeps } from './deps';

export function createMaService(deps: ServiceDeps) {
	const { db } = deps;

	function create(name: string, actor: AuditActor, settings: Partial<MaSettings> = {}): Outcome<{ maId: string; name: string }> {
		const trimmed = name.trim();
		if (trimmed.length === 0 || trimmed.length > 120) return fail('invalid_request', 'an MA name has 1 to 120 characters');
		const id = newId();
		const now = deps.clock();
		db.transaction((tx) => {
			masRepo.insertMa(tx, { id, name: trimmed, settings: JSON.stringify({ ...parseMaSettings('{}'), ...settings }), createdAt: now });
			audit(tx, now, { maId: id, actor, action: 'ma.create', targetType: 'ma', targetId: id, outcome: 'ok' });
		});
		return ok({ maId: id, name: trimmed });
	}

	function get(id: string) {
		const m = masRepo.getMa(db, id);
		return m ? { id: m.id, name: m.name, settings: parseMaSettings(m.settings), createdAt: m.createdAt } : null;
	}

	function list() {
		return masRepo.listMas(db).map((m) => ({ id: m.id, name: m.name, settings: parseMaSettings(m.settings), createdAt: m.createdAt }));
	}

	function updateSettings(id: string, actor: AuditActor, patch: Partial<MaSettings>): Outcome<MaSettings> {
		const m = masRepo.getMa(db, id);
		if (!m) return fail('not_found', 'MA not found');
		const next = parseMaSettings(JSON.stringify({ ...parseMaSettings(m.settings), ...patch }));
		const now = deps.clock();
		db.transaction((tx) => {
			masRepo.setMaSettings(tx, id, JSON.stringify(next));
			audit(tx, now, { maId: id, actor, action: 'ma.settings', targetType: 'settings', targetId: id, outcome: 'ok', detail: { ...next } });
		});
		return ok(next);
	}

	return { create, get, list, updateSettings };
}

export type MaService = ReturnType<typeof createMaService>;
