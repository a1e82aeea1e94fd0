/** POST: the rollout approval's options step (WebAuthn ceremony, as /auth/operation-assertion/options) — a STUB for now (../stub.ts). */
import { rolloutApprovalStub } from '../stub';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ locals, params }) => rolloutApprovalStub(locals, params.id);
