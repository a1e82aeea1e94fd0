/**
 * Staged rollouts on PostgreSQL: mirrors ../schema-rollouts.ts (the schema-drift test checks both): the rollout
 * device it reaches. Every bit of scheduler state is here, so a restart resumes where the last tick left off.
 */
import { pgTable, text, bigint, integer, primaryKey, index } from 'drizzle-orm/pg-core';
import { managementAuthorities } from './schema';

export const rollouts = pgTable(
	'rollouts',
	{
		id: text('id').primaryKey(),
		maId: text('ma_id')
			.notNull()
			.references(() => managementAuthorities.id),
		name: text('name').notNull(),
		/** draft | awaiting-approval | scheduled | running | paused | completed | aborted | ended */
		status: text('status').notNull(),
		/** Why it is in this status (e.g. "errors: 3 of 10 devices failed"), for the console. */
		statusReason: text('status_reason'),
		/** The RolloutDefinition as JSON (contract/rollouts.ts); fixed once the rollout has started. */
		definition: text('definition').notNull(),
		currentPhase: integer('current_phase').notNull().default(0),
		createdBy: text('created_by').notNull(),
		createdAt: bigint('created_at', { mode: 'number' }).notNull(),
		updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
		startedAt: bigint('started_at', { mode: 'number' }),
		finishedAt: bigint('finished_at', { mode: 'number' }),
		/** The passkey approval over the definition (JSON), once a high-risk rollout is approved. */
		approval: text('approval'),
		approvedBy: text('approved_by'),
		approvedAt: bigint('approved_at', { mode: 'number' })
	},
	(t) => [index('rollouts_ma_created_idx').on(t.maId, t.createdAt), index('rollouts_status_idx').on(t.status)]
);

export const rolloutPhases = pgTable(
	'rollout_phases',
	{
		rolloutId: text('rollout_id')
			.notNull()
			.references(() => rollouts.id),
		idx: integer('idx').notNull(),
		/** waiting | running | awaiting-confirmation | paused | done */
		status: text('status').notNull(),
		/** Failures and refusals accepted when a person resumed the phase after a threshold (core Acknowledged). */
		acknowledgedFailed: integer('acknowledged_failed').notNull().default(0),
		acknowledgedRefused: integer('acknowledged_refused').notNull().default(0),
		startedAt: bigint('started_at', { mode: 'number' }),
		finishedAt: bigint('finished_at', { mode: 'number' })
	},
	(t) => [primaryKey({ columns: [t.rolloutId, t.idx] })]
);

export const rolloutDevices = pgTable(
	'rollout_devices',
	{
		rolloutId: text('rollout_id')
			.notNull()
			.references(() => rollouts.id),
		deviceId: text('device_id').notNull(),
		phaseIdx: integer('phase_idx').notNull(),
		/** waiting | delivered | succeeded | failed | refused | withdrawn */
		state: text('state').notNull(),
		attempts: integer('attempts').notNull().default(0),
		batchId: text('batch_id'),
		/** The correlator of the current try's last step: its result is the device's result. */
		correlator: text('correlator'),
		/** A failed device's next try (retry policy), or null. */
		nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }),
		startedAt: bigint('started_at', { mode: 'number' }),
		finishedAt: bigint('finished_at', { mode: 'number' }),
		lastResultCode: integer('last_result_code'),
		updatedAt: bigint('updated_at', { mode: 'number' }).notNull()
	},
	(t) => [
		primaryKey({ columns: [t.rolloutId, t.deviceId] }),
		index('rollout_devices_state_idx').on(t.rolloutId, t.state),
		index('rollout_devices_correlator_idx').on(t.correlator)
	]
);
