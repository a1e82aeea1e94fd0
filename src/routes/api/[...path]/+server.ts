/** Any other /api path: a JSON 404, so API clients never get an HTML page. */
import { errorResponse } from '$lib/server/http';

export const fallback = () => errorResponse({ code: 'not_found', message: 'no such API endpoint' });
