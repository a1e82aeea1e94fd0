/** What every resource module gets: the REST client and the printer, made from the global options. */
import { InvalidArgumentError, type Command } from 'commander';
import { ApiFailure } from './client';
import type { RestClient } from './client';
import type { Printer } from './output';

export type CliContext = { api: RestClient; out: Printer };

/**
 * A resource of the CLI (devices, groups, operations, packages, rollouts): one module that adds its
 * command and subcommands. `ctx()` builds the context when a subcommand runs, after the options are parsed.
 */
export type Resource = (program: Command, ctx: (cmd: Command) => CliContext) => void;

/** A whole number option in a range (commander passes text). */
export const intIn = (min: number, max: number) => (v: string) => {
	const n = Number(v);
	if (!/^\d+$/.test(v) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
	return n;
};

/** A usage error found while a command runs (exit 2, message on stderr). */
export const usage = (message: string) => new ApiFailure(0, 'usage', message);
