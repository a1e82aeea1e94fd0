/**
 * Compile-time proof that what the services return is what the published REST contract says
 * (contract/rest-responses.ts, from which the OpenAPI document is generated): `npm run check` fails when a
 * view gains, loses or changes a field without the contract following, or the other way round.
 */
import type * as v from 'valibot';
import type * as R from '../../contract/rest-responses';
import type { CreatedOperations } from './operations';
import type { DeviceRequestView, DeviceView, EnrollmentCodeView, InventoryItemView, OperationView, PackageView } from './views';
import type { CreatedEnrollmentCode } from './enrollment';
import type { UploadedPackage } from './packages';
import type { SigningService } from '../signing';
import type { Revoked } from '../signing/revocation';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Out<S extends v.GenericSchema> = v.InferOutput<S>;

/** Each line must be `true`; a drift turns one into `false` and the assignment fails. */
export const VIEWS_MATCH_CONTRACT: {
	operation: Same<OperationView, Out<typeof R.OperationViewSchema>>;
	created: Same<CreatedOperations, Out<typeof R.CreatedOperationsSchema>>;
	device: Same<DeviceView, Out<typeof R.DeviceViewSchema>>;
	inventory: Same<InventoryItemView, Out<typeof R.InventoryItemViewSchema>>;
	code: Same<EnrollmentCodeView, Out<typeof R.EnrollmentCodeViewSchema>>;
	createdCode: Same<CreatedEnrollmentCode, Out<typeof R.CreatedEnrollmentCodeSchema>>;
	pkg: Same<PackageView, Out<typeof R.PackageViewSchema>>;
	request: Same<DeviceRequestView, Out<typeof R.DeviceRequestViewSchema>>;
	revoked: Same<Revoked, Out<typeof R.RevokedSchema>>;
	uploaded: Same<UploadedPackage, Out<typeof R.UploadedPackageSchema>>;
	keys: Same<ReturnType<SigningService['listKeys']>[number], Out<typeof R.SigningKeyViewSchema>>;
	rotated: Same<ReturnType<SigningService['rotate']>, Out<typeof R.RotatedKeySchema>>;
	decided: Same<{ request: DeviceRequestView; operation: OperationView | null }, Out<typeof R.DecidedDeviceRequestSchema>>;
	deviceDetail: Same<{ device: DeviceView; inventory: InventoryItemView[] }, Out<typeof R.DeviceDetailSchema>>;
} = {
	operation: true,
	created: true,
	device: true,
	inventory: true,
	code: true,
	createdCode: true,
	pkg: true,
	request: true,
	revoked: true,
	uploaded: true,
	keys: true,
	rotated: true,
	decided: true,
	deviceDetail: true
};
