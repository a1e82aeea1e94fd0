/**
 * The device groups' entries of the REST route registry (api-routes.ts spreads them in), kept in their own
 * file so the groups' routes read together. Same rules as every entry: the route is built from it and the
 * OpenAPI document is generated from it.
 */
import type { ErrorCode } from './errors';
import type { RouteSpec } from './api-routes';
import { DevicePageSchema } from './rest-responses';
import { CreateGroup, GroupMembers, GroupMembersChangedSchema, GroupPageQuery, GroupPageSchema, GroupViewSchema, UpdateGroup } from './groups';

const AUTH_ERRORS: readonly ErrorCode[] = ['unauthenticated', 'forbidden'];
const PARAMS = { id: 'the group’s ID' };
const FILTER_400 =
	'A filter that does not parse, names a group the MA does not have, or leads back to the group itself answers 400 invalid_request ' +
	'with `position`, the 0-based character where it went wrong.';

export const GROUP_ROUTES = {
	'GET /api/v1/groups': {
		tag: 'Groups',
		summary: 'List this MA’s device groups',
		description:
			'One page at a time in name order (then ID), each with `memberCount` (static: members enrolled now; dynamic: devices its filter ' +
			'matches now). Pass `nextCursor` back as `cursor` for the next page; `total` counts every group.',
		access: { type: 'bearer', action: 'read', kind: 'group' },
		query: GroupPageQuery,
		success: { status: 200, description: 'one page of groups', schema: GroupPageSchema },
		errors: ['invalid_request', ...AUTH_ERRORS]
	},
	'POST /api/v1/groups': {
		tag: 'Groups',
		summary: 'Create a device group',
		description:
			'A static group lists its members (`deviceIds`, devices enrolled with this MA; another MA’s device answers 404); a dynamic group ' +
			'is a saved device filter (docs/device-filter.md), its members whatever it matches when asked. Names are unique in the MA ' +
			`ignoring case (409 conflict). ${FILTER_400} Audited as group.create.`,
		access: { type: 'bearer', action: 'operate', kind: 'group' },
		body: CreateGroup,
		success: { status: 201, description: 'the new group', schema: GroupViewSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'GET /api/v1/groups/{id}': {
		tag: 'Groups',
		summary: 'One device group',
		description: 'With its member count; for a dynamic group whose filter names a group since renamed or deleted, `filterError` says why it matches nothing.',
		access: { type: 'bearer', action: 'read', kind: 'group', param: 'id' },
		params: PARAMS,
		success: { status: 200, description: 'the group', schema: GroupViewSchema },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'PATCH /api/v1/groups/{id}': {
		tag: 'Groups',
		summary: 'Rename a group, or change its filter or description',
		description: `Only the fields given change; \`filter\` only for dynamic groups. ${FILTER_400} Audited as group.update.`,
		access: { type: 'bearer', action: 'operate', kind: 'group', param: 'id' },
		params: PARAMS,
		body: UpdateGroup,
		success: { status: 200, description: 'the group as it is now', schema: GroupViewSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict']
	},
	'DELETE /api/v1/groups/{id}': {
		tag: 'Groups',
		summary: 'Delete a group',
		description: 'The devices stay; a static group’s member list goes with it. Dynamic groups naming it then match nothing. Audited as group.delete.',
		access: { type: 'bearer', action: 'operate', kind: 'group', param: 'id' },
		params: PARAMS,
		success: { status: 204, description: 'deleted' },
		errors: [...AUTH_ERRORS, 'not_found']
	},
	'GET /api/v1/groups/{id}/devices': {
		tag: 'Groups',
		summary: 'The devices of a group',
		description:
			'The same items and pages as GET /api/v1/devices (name order, `cursor`, `nextCursor`, `total`): a static group’s members enrolled ' +
			'with the MA now, or the devices a dynamic group’s filter matches now.',
		access: { type: 'bearer', action: 'read', kind: 'group', param: 'id' },
		params: PARAMS,
		query: GroupPageQuery,
		success: { status: 200, description: 'one page of the group’s devices', schema: DevicePageSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found']
	},
	'POST /api/v1/groups/{id}/members': {
		tag: 'Groups',
		summary: 'Add devices to a static group',
		description:
			'Each device must be enrolled with this MA (else 404 not_found, like a missing one); devices already in stay. A dynamic group ' +
			'takes no members (409 conflict). Audited as group.members.',
		access: { type: 'bearer', action: 'operate', kind: 'group', param: 'id' },
		params: PARAMS,
		body: GroupMembers,
		bodyLimit: 'operations',
		success: { status: 200, description: 'the group and how many devices joined', schema: GroupMembersChangedSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict', 'payload_too_large']
	},
	'DELETE /api/v1/groups/{id}/members': {
		tag: 'Groups',
		summary: 'Take devices out of a static group',
		description: 'Devices not in the group are ignored. Audited as group.members.',
		access: { type: 'bearer', action: 'operate', kind: 'group', param: 'id' },
		params: PARAMS,
		body: GroupMembers,
		bodyLimit: 'operations',
		success: { status: 200, description: 'the group and how many devices left it', schema: GroupMembersChangedSchema },
		errors: ['invalid_request', ...AUTH_ERRORS, 'not_found', 'conflict', 'payload_too_large']
	}
} satisfies Record<string, RouteSpec>;
