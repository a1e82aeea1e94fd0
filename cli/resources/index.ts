/**
 * The CLI's resources, one module each: adding one is its file plus its line here.
 */
import type { Resource } from '../context';
import { devices } from './devices';
import { groups } from './groups';
import { operations } from './operations';
import { packages } from './packages';
import { rollouts } from './rollouts';

export const RESOURCES: Resource[] = [devices, groups, operations, packages, rollouts];
