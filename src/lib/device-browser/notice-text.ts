/**
 * What the user reads for each notice (SCOMO-USA-2): a title and a body, the same in the PWA and in the
 * system notification. Pure, so it is unit-tested in Node.
 */
import { isSuccessCode, plainOutcome } from '../core';
import type { Notice } from '../device';

export type NoticeText = { title: string; body: string; tone: 'info' | 'ok' | 'bad' };

/** Sentences joined as sentences: each ends with one full stop ("… deleted. Remove Clock."), never ".;". */
const sentences = (items: string[]) =>
	items
		.map((s) => s.trim())
		.filter(Boolean)
		.map((s) => (/[.!?…”"]$/.test(s) ? s : `${s}.`))
		.join(' ');

export function noticeText(n: Notice): NoticeText {
	switch (n.kind) {
		case 'before':
			return {
				title: `${n.maName} is changing this device`,
				body: sentences([
					n.operations.map((o) => `${o.label}${o.component ? ` ${o.component.name}${o.component.version ? ` ${o.component.version}` : ''}` : ''}`).join(', then '),
					n.intent ? `Why: ${n.intent}` : ''
				]),
				tone: 'info'
			};
		case 'after': {
			const failed = n.results.filter((r) => !isSuccessCode(r.resultCode));
			return {
				title: failed.length === 0 ? `${n.maName}: completed` : `${n.maName}: ${failed.length} of ${n.results.length} did not complete`,
				// Plain outcomes for the user; the result codes stay in the console.
				body: sentences(n.results.map((r) => (isSuccessCode(r.resultCode) ? r.message : `${r.message.replace(/\.$/, '')}: ${plainOutcome(r.resultCode).toLowerCase()}`))),
				tone: failed.length === 0 ? 'ok' : 'bad'
			};
		}
		case 'blocked':
			return {
				title: `Refused: ${n.maName} is blocked`,
				body: `${n.correlators.length} operation(s) from ${n.maName} were refused because you blocked this organisation on this device.`,
				tone: 'bad'
			};
		case 'withdrawn':
			return {
				title: `Withdrawn by ${n.maName}`,
				body: `${n.maName} withdrew ${n.correlators.length} operation(s) before they started; nothing was changed.`,
				tone: 'info'
			};
		case 'decommissioned':
			return {
				title: `${n.maName} removed this device from its management`,
				body:
					n.components.length === 0
						? `${n.maName} removed this device from its management; it had no components here. Nothing else on this device changed.`
						: `${n.maName} removed this device from its management; its components were removed: ${n.components.join(', ')}.`,
				tone: 'info'
			};
		case 'request-decided':
			return {
				title: n.status === 'approved' ? 'Your request was approved' : 'Your request was refused',
				body: n.message || (n.status === 'approved' ? 'The administrator will install it shortly.' : 'The administrator refused it.'),
				tone: n.status === 'approved' ? 'ok' : 'bad'
			};
	}
}
