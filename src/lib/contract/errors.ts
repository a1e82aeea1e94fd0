/**
 * Stable error codes of the wire contract (REST `{ error: { code, message } }` and the socket `error`
 * event). Clients key on the code, people read the message. Never rename a code.
 */
export const ERROR_CODES = {
	invalid_request: { status: 400, text: 'The request does not match the contract.' },
	unauthenticated: { status: 401, text: 'Authentication is required.' },
	forbidden: { status: 403, text: 'This credential may not do that.' },
	cross_site_request: { status: 403, text: 'A request made with the session cookie must come from this site.' },
	not_found: { status: 404, text: 'Not found.' },
	method_not_allowed: { status: 405, text: 'This path does not take that method (see the allow header).' },
	conflict: { status: 409, text: 'The request conflicts with the current state.' },
	payload_too_large: { status: 413, text: 'The request body is too large.' },
	rate_limited: { status: 429, text: 'Too many requests; try again later.' },
	headers_too_large: { status: 431, text: 'The request headers are too large.' },
	enrollment_code_invalid: { status: 400, text: 'The enrollment code is unknown, used, revoked or expired.' },
	package_invalid: { status: 422, text: 'The package is not valid.' },
	device_unknown: { status: 401, text: 'This device is not known or was revoked.' },
	device_auth_failed: { status: 401, text: 'The device did not prove possession of its key.' },
	not_authenticated: { status: 401, text: 'Authenticate before sending this event.' },
	download_token_invalid: { status: 403, text: 'The download link is invalid or has expired.' },
	step_up_required: { status: 403, text: 'Confirm this with a fresh passkey assertion (user verification) first.' },
	four_eyes_required: { status: 403, text: 'Another administrator must approve a batch you created.' },
	internal: { status: 500, text: 'Something went wrong on the server.' }
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ApiError = { code: ErrorCode; message: string; issues?: { path: string; message: string }[]; position?: number };

export type ApiErrorBody = { error: ApiError };
