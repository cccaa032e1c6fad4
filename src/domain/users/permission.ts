export const PERMISSIONS = ['UPLOAD', 'SEARCH', 'DOWNLOAD', 'ADMIN'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (value: string): value is Permission => (PERMISSIONS as readonly string[]).includes(value);

/** Sorted and without repeats, so equal permission sets compare and store equal. */
export function normalizePermissions(permissions: readonly Permission[]): Permission[] {
  return PERMISSIONS.filter((permission) => permissions.includes(permission));
}
