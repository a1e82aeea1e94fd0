/**
 * Service failures are values with the contract's stable codes (ERROR_CODES); routes and socket handlers
 * map them to HTTP statuses and acks without guessing.
 */
import { err, type Result } from '../../core';
import type { ApiError, ErrorCode, ValidationIssue } from '../../contract';

export type ServiceError = ApiError;
export type Outcome<T> = Result<T, ServiceError>;

export const fail = (code: ErrorCode, message: string, issues?: ValidationIssue[]) =>
	err<ServiceError>(issues ? { code, message, issues } : { code, message });
