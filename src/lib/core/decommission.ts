/**
 * What the MA key signs to decommission a device from that MA (issue #17): the device erases the MA's
 * components, journal, results and trust only on this signature, so a relay (or the server's transport, or
 * another MA) can never wipe a device. Domain-separated ("scomo-decommission:v1:") so no other signed text of
 * the protocol can pass for it.
 *
 * Bound to:
 * - deviceId and maId: addressed to one device, on behalf of one MA;
 * - enrolledAt: the server's time of the enrollment it ends. A re-enrollment starts a new one (a new time the
 *   device pins from the enrollment answer), so a decommission captured earlier and replayed afterwards no
 *   longer matches and erases nothing;
 * - nonce and issuedAt: one message per decommission, for the server's record and the device's log.
 */
import { canonicalJson } from './envelope-canonical';

export type Decommission = { maId: string; deviceId: string; enrolledAt: number; nonce: string; issuedAt: number };

export const decommissionMessage = (d: Decommission) =>
	`scomo-decommission:v1:${canonicalJson({ deviceId: d.deviceId, enrolledAt: d.enrolledAt, issuedAt: d.issuedAt, maId: d.maId, nonce: d.nonce })}`;
