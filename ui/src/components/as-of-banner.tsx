import { Link } from 'react-aria-components';
import { formatInstant } from '../format';
import { artifactHref } from '../router';

/**
 * Says the page shows a past state, not the current one. A region with a heading (not a live
 * alert): it is there on arrival, and screen-reader users find it right after the page heading.
 */
export function AsOfBanner({ artifactId, asOf }: { artifactId: string; asOf: string }) {
  return (
    <section aria-labelledby="as-of-h" className="message notice as-of-banner">
      <h2 id="as-of-h" className="visually-hidden">
        A past version
      </h2>
      <p>
        You are viewing this artifact as it was on <time dateTime={asOf}>{formatInstant(asOf)}</time>; actions are hidden. <Link href={artifactHref(artifactId)}>View the current version</Link>
      </p>
    </section>
  );
}
