import type { ReactNode } from 'react';
import { ProgressBar } from 'react-aria-components';
import { describeErrors, type ApiError } from '../api';

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
