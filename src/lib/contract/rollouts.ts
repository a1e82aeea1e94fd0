/**
 * Staged rollouts (issue #17) in the REST API: the definition an MA creates (target, steps, phases, schedule,
 * rate, maintenance windows, retries) and what the API answers about a rollout, its phases and its devices.
 * The phase and window shapes are the core's (src/lib/core/rollout); the steps are an operation batch's.
 */
import * as v from 'valibot';
import { Id, HumanText, ConsentModeSchema } from './common';
import { OperationStep } from './rest';
import { OPERATION_STATUSES } from '../core/states';

const Epoch = v.pipe(v.number(), v.integer(), v.minValue(0), v.description('milliseconds since 1970-01-01T00:00:00Z'));
const NullableEpoch = v.nullable(Epoch);
const Percent = v.pipe(v.number(), v.minValue(0), v.maxValue(100));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0));
const Threshold = { count: v.optional(Count), percent: v.optional(Percent) };

export const RolloutTargetSchema = v.variant('kind', [
	v.strictObject({
		kind: v.literal('filter'),
		filter: v.pipe(v.string(), v.maxLength(2000), v.description('device filter language (docs/device-filter.md); empty: every device of the MA'))
	}),
	v.strictObject({ kind: v.literal('group'), groupId: Id })
]);

export const PhaseSpecSchema = v.strictObject({
	name: HumanText(80),
	size: v.variant('kind', [
		v.strictObject({ kind: v.literal('count'), count: v.pipe(v.number(), v.integer(), v.minValue(1)) }),
		v.strictObject({ kind: v.literal('percent'), percent: v.pipe(v.number(), v.minValue(0), v.maxValue(100)) }),
		v.strictObject({ kind: v.literal('group'), groupId: Id }),
		v.strictObject({ kind: v.literal('rest') })
	]),
	success: v.strictObject({ percent: Percent, then: v.picklist(['advance', 'pause']) }),
	error: v.strictObject({ ...Threshold, then: v.picklist(['pause', 'abort']) }),
	refusal: v.strictObject({ ...Threshold, then: v.picklist(['pause', 'abort', 'continue']) })
});

export const MaintenanceWindowSchema = v.strictObject({
	cron: v.pipe(v.string(), v.maxLength(200)),
	durationMinutes: v.pipe(v.number(), v.integer()),
	timeZone: v.pipe(v.string(), v.maxLength(64))
});

export const RolloutDefinitionSchema = v.strictObject({
	name: HumanText(120),
	target: RolloutTargetSchema,
	/** snapshot: the devices matching at start; continuous: devices that match later join the last phase. */
	mode: v.optional(v.picklist(['snapshot', 'continuous']), 'snapshot'),
	/** The operation batch each device gets (as POST /api/v1/operations without deviceIds). */
	steps: v.strictObject({
		operations: v.pipe(v.array(OperationStep), v.minLength(1, 'name at least one operation'), v.maxLength(20)),
		consentMode: ConsentModeSchema,
		intent: v.optional(HumanText(500), '')
	}),
	phases: v.pipe(v.array(PhaseSpecSchema), v.minLength(1, 'name at least one phase'), v.maxLength(50)),
	schedule: v.optional(
		v.strictObject({
			startAt: v.optional(NullableEpoch, null),
			endAt: v.optional(NullableEpoch, null),
			endBehavior: v.optional(v.picklist(['withdraw', 'let-finish']), 'let-finish')
		}),
		{ startAt: null, endAt: null, endBehavior: 'let-finish' }
	),
	ratePerMinute: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))), null),
	windows: v.optional(v.pipe(v.array(MaintenanceWindowSchema), v.maxLength(20)), []),
	retry: v.optional(
		v.strictObject({
			count: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(20)),
			firstDelayMs: v.pipe(v.number(), v.integer(), v.minValue(0)),
			maxDelayMs: v.pipe(v.number(), v.integer(), v.minValue(0))
		}),
		{ count: 0, firstDelayMs: 60_000, maxDelayMs: 3_600_000 }
	),
	inProgressTimeoutMs: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1000))), null)
});
export type RolloutDefinition = v.InferOutput<typeof RolloutDefinitionSchema>;
export type RolloutTarget = v.InferOutput<typeof RolloutTargetSchema>;

export const ROLLOUT_STATUSES = ['draft', 'awaiting-approval', 'scheduled', 'running', 'paused', 'completed', 'aborted', 'ended'] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
export const ROLLOUT_PHASE_STATUSES = ['waiting', 'running', 'awaiting-confirmation', 'paused', 'done'] as const;
export type RolloutPhaseStatus = (typeof ROLLOUT_PHASE_STATUSES)[number];
export const ROLLOUT_DEVICE_STATES = ['waiting', 'delivered', 'succeeded', 'failed', 'refused', 'withdrawn'] as const;
export type RolloutDeviceState = (typeof ROLLOUT_DEVICE_STATES)[number];

const limitQuery = v.optional(
	v.pipe(
		v.string(),
		v.description('at most this many per page: a whole number from 1 to 1000 (default 100)'),
		v.regex(/^[1-9][0-9]{0,3}$/, 'limit must be a whole number from 1 to 1000'),
		v.transform(Number),
		v.maxValue(1000, 'limit must be a whole number from 1 to 1000')
	)
);
const cursorQuery = v.optional(v.pipe(v.string(), v.maxLength(400), v.description('the `nextCursor` of the previous page')));

export const RolloutsQuery = v.object({
	status: v.optional(v.picklist(ROLLOUT_STATUSES, 'unknown rollout status')),
	limit: limitQuery,
	cursor: cursorQuery
});
export const RolloutDevicesQuery = v.object({
	phase: v.optional(v.pipe(v.string(), v.regex(/^[0-9]{1,2}$/, 'phase must be a phase index'), v.transform(Number))),
	state: v.optional(v.picklist(ROLLOUT_DEVICE_STATES, 'unknown device state')),
	limit: limitQuery,
	cursor: cursorQuery
});

/** The body of an action that may carry a note (pause, resume, abort): audited with the action. */
export const RolloutActionBody = v.strictObject({ note: v.optional(HumanText(500), '') });

// ---------- answers ----------

const Tally = v.strictObject({ total: Count, succeeded: Count, failed: Count, refused: Count, pending: Count });

export const RolloutViewSchema = v.strictObject({
	id: Id,
	name: v.string(),
	status: v.picklist(ROLLOUT_STATUSES),
	statusReason: v.nullable(v.string()),
	currentPhase: Count,
	createdBy: v.string(),
	createdAt: Epoch,
	updatedAt: Epoch,
	startedAt: NullableEpoch,
	finishedAt: NullableEpoch,
	approvedBy: v.nullable(v.string()),
	approvedAt: NullableEpoch,
	/** Every device of the rollout by where it stands. */
	tally: Tally
});

export const RolloutPhaseViewSchema = v.strictObject({
	idx: Count,
	name: v.string(),
	status: v.picklist(ROLLOUT_PHASE_STATUSES),
	startedAt: NullableEpoch,
	finishedAt: NullableEpoch,
	tally: Tally
});

export const RolloutTimelineEntrySchema = v.strictObject({
	at: Epoch,
	action: v.string(),
	actor: v.string(),
	outcome: v.string(),
	detail: v.nullable(v.unknown())
});

export const RolloutDetailSchema = v.strictObject({
	rollout: RolloutViewSchema,
	definition: RolloutDefinitionSchema,
	phases: v.array(RolloutPhaseViewSchema),
	timeline: v.array(RolloutTimelineEntrySchema),
	/** Devices of a snapshot target no phase takes (the phases do not cover the target). */
	unplaced: Count
});

export const RolloutDeviceViewSchema = v.strictObject({
	deviceId: Id,
	name: v.string(),
	phaseIdx: Count,
	state: v.picklist(ROLLOUT_DEVICE_STATES),
	attempts: Count,
	batchId: v.nullable(Id),
	correlator: v.nullable(v.string()),
	nextAttemptAt: NullableEpoch,
	startedAt: NullableEpoch,
	finishedAt: NullableEpoch,
	lastResultCode: v.nullable(v.number()),
	/** The live operation of the current try (its last step): delivered, awaiting-consent, in-progress… */
	operation: v.nullable(
		v.strictObject({
			status: v.picklist(OPERATION_STATUSES),
			downloadStatus: v.nullable(v.number()),
			bytesDone: v.nullable(v.number()),
			bytesTotal: v.nullable(v.number())
		})
	)
});

export const RolloutPageSchema = v.strictObject({ items: v.array(RolloutViewSchema), nextCursor: v.nullable(v.string()), total: Count });
export const RolloutDevicePageSchema = v.strictObject({ items: v.array(RolloutDeviceViewSchema), nextCursor: v.nullable(v.string()), total: Count });

export type RolloutView = v.InferOutput<typeof RolloutViewSchema>;
export type RolloutPhaseView = v.InferOutput<typeof RolloutPhaseViewSchema>;
export type RolloutDetail = v.InferOutput<typeof RolloutDetailSchema>;
export type RolloutDeviceView = v.InferOutput<typeof RolloutDeviceViewSchema>;
export type RolloutPage = v.InferOutput<typeof RolloutPageSchema>;
export type RolloutDevicePage = v.InferOutput<typeof RolloutDevicePageSchema>;
export type RolloutTally = v.InferOutput<typeof Tally>;
