/** What a device's user reads when an enrollment code is refused (the server says which case it is). Pure. */
/** Which problem the code has, and what the user can do about it (ask for a new code, or retype it). */
export function enrollCodeProblem(reason: string | undefined): string {
	switch (reason) {
		case 'used':
			return 'This code was already used: each code enrolls one device once. Ask the administrator for a new code.';
		case 'revoked':
			return 'This code was withdrawn by the administrator. Ask them for a new code.';
		case 'expired':
			return 'This code has expired. Ask the administrator for a new code.';
		case 'unknown':
			return 'This code is not recognised. Check that you typed it exactly as given, or ask the administrator for a new code.';
		default:
			return 'This code is not valid. Ask the administrator for a new code.';
	}
}

