/**
 * Device groups in the REST API (issue #17): the bodies the routes validate and the shapes they answer. The
 * finer rules (a name's characters, a filter that parses and names no group in a cycle) are checked by the
 * service against the core's, so the console's forms and these bodies accept the same things.
 */
import * as v from 'valibot';
import { Id } from './common';

const Epoch = v.pipe(v.number(), v.integer(), v.description('milliseconds since 1970-01-01T00:00:00Z'));
const GroupName = v.pipe(v.string(), v.maxLength(200), v.description('unique in the MA ignoring case; 1–80 characters'));
const GroupFilter = v.pipe(v.string(), v.maxLength(2000), v.description('a device filter (docs/device-filter.md), e.g. `tag == lobby and online == true`'));
const Description = v.pipe(v.string(), v.maxLength(4000), v.description('free text, at most 2000 characters'));
const DeviceIds = v.pipe(v.array(Id), v.minLength(1, 'name at least one device'), v.maxLength(10_000), v.description('device IDs enrolled with this MA'));

export const GROUP_KINDS = ['static', 'dynamic'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export const CreateGroup = v.strictObject({
	name: GroupName,
	kind: v.picklist(GROUP_KINDS, 'kind must be static or dynamic'),
	filter: v.optional(v.pipe(GroupFilter, v.description('a dynamic group’s filter (required for dynamic, refused for static)'))),
	description: v.optional(Description),
	deviceIds: v.optional(v.pipe(v.array(Id), v.maxLength(10_000), v.description('a static group’s first members')))
});
export type CreateGroupBody = v.InferOutput<typeof CreateGroup>;

export const UpdateGroup = v.strictObject({
	name: v.optional(GroupName),
	filter: v.optional(v.pipe(GroupFilter, v.description('a dynamic group’s new filter'))),
	description: v.optional(Description)
});
export type UpdateGroupBody = v.InferOutput<typeof UpdateGroup>;

export const GroupMembers = v.strictObject({ deviceIds: DeviceIds });
export type GroupMembersBody = v.InferOutput<typeof GroupMembers>;

/** Query of the group lists: a page size and where the previous page ended. */
export const GroupPageQuery = v.object({
	limit: v.optional(
		v.pipe(
			v.string(),
			v.description('at most this many per page: a whole number from 1 to 1000 (default 100)'),
			v.regex(/^[1-9][0-9]{0,3}$/, 'limit must be a whole number from 1 to 1000'),
			v.transform(Number),
			v.maxValue(1000, 'limit must be a whole number from 1 to 1000')
		)
	),
	cursor: v.optional(v.pipe(v.string(), v.maxLength(400), v.description('the `nextCursor` of the previous page')))
});

export const GroupViewSchema = v.strictObject({
	id: v.pipe(v.string(), v.uuid()),
	name: v.string(),
	kind: v.picklist(GROUP_KINDS),
	filter: v.pipe(v.nullable(v.string()), v.description('a dynamic group’s filter; null for a static group')),
	description: v.string(),
	memberCount: v.pipe(
		v.number(),
		v.integer(),
		v.description('static: members enrolled with the MA now; dynamic: devices its filter matches now')
	),
	filterError: v.pipe(
		v.nullable(v.string()),
		v.description('why a dynamic group’s filter matches nothing now (a group it names was renamed or deleted), else null')
	),
	createdBy: v.string(),
	createdAt: Epoch,
	updatedAt: Epoch
});

export const GroupPageSchema = v.strictObject({
	items: v.array(GroupViewSchema),
	nextCursor: v.nullable(v.string()),
	total: v.pipe(v.number(), v.integer())
});

export const GroupMembersChangedSchema = v.strictObject({
	group: GroupViewSchema,
	/** How many devices joined (POST) or left (DELETE); those already in, or not in, count nothing. */
	changed: v.pipe(v.number(), v.integer())
});
