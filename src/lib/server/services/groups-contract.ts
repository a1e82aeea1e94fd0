/**
 * Compile-time proof that the groups service answers what the published contract says (contract/groups.ts),
 * as views-contract.ts does for the other views: `npm run check` fails when the two drift.
 */
import type * as v from 'valibot';
import type * as C from '../../contract/groups';
import type { GroupPage, GroupView } from './groups';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S extends v.GenericSchema> = v.InferOutput<S>;

export const GROUP_VIEWS_MATCH_CONTRACT: {
	group: Same<GroupView, Out<typeof C.GroupViewSchema>>;
	page: Same<GroupPage, Out<typeof C.GroupPageSchema>>;
	changed: Same<{ group: GroupView; changed: number }, Out<typeof C.GroupMembersChangedSchema>>;
} = { group: true, page: true, changed: true };
