/**
 * A component on the device is its owning MA plus its component ID: IDs are unique per MA only, so two MAs may
 * both install "com.example.x" and the device keeps them apart (SCOMO-ADC-3). componentKey() is the one
 * string the package store and the runner file them under. A component ID is lower-case reverse-DNS without
 * '_' and an MA ID is a UUID, so the key is unambiguous and safe as a file or IndexedDB name.
 */
export const componentKey = (maId: string, componentId: string): string => `${maId}_${componentId}`;
