/**
 * The CLI's resources, one module each: adding one (groups, rollouts) is its file plus its line here.
 */
import type { Resource } from '../context';
import { devices } from './devices';
import { operations } from './operations';
import { packages } from './packages';

export const RESOURCES: Resource[] = [devices, operations, packages];
