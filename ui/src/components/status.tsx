import type { ReactNode } from 'react';
import { ProgressBar } from 'react-aria-components';
import { describeErrors, type ApiError } from '../api';
import { loadSession } from '../session';
import { permissionLabel, type Permission } from '../viewer';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <ProgressBar isIndeterminate aria-label={label} className="loading">
      <span className="spinner" aria-hidden="true" /> {label}…
    </ProgressBar>
  );
}

export function ErrorMessage({ errors, title = 'Something went wrong' }: { errors: readonly ApiError[]; title?: string }) {
  return (
    <div role="alert" className="message error">
      <strong>{title}.</strong> {describeErrors(errors)}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="message empty">{children}</p>;
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="message notice">
      {children}
    </div>
  );
}

/** In place of what the user may not do: the permission it takes, in the admin page's words. */
export function NeedsPermission({ permission, action }: { permission: Permission; action: string }) {
  return (
    <Empty>
      {action} needs the {permissionLabel(permission)} permission, which {loadSession()?.username ?? 'this user'} does not have. An administrator can grant it.
    </Empty>
  );
}
