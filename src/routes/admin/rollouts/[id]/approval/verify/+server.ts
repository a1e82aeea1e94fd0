/** POST: the rollout approval's verify step (WebAuthn ceremony, as /auth/operation-assertion/verify) — a STUB for now (../stub.ts). */
import { rolloutApprovalStub } from '../stub';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = ({ locals, params }) => rolloutApprovalStub(locals, params.id);
