/** Version ordering lives in the pure core (the console and the device app need it too). */
export { compareVersions, latestVersion } from '../../core/semver';
