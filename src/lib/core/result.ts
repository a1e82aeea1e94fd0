/**
 * Result: errors are values, never exceptions.
 *
 * Why: the SCOMO domain reports every failure as a result code (SCOMO result codes 1400–1599) that must travel
 * to the server and the UI. Throwing would lose that code at the first careless `catch`; a typed union forces
 * every caller to handle the failure branch.
 */

export type Ok<T> = { ok: true; value: T };
export type Err<E> = { ok: false; error: E };
export type Result<T, E> = Ok<T> | Err<E>;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const err = <E>(error: E): Err<E> => ({ ok: false, error });
