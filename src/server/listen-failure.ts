import { startupFailure, systemErrorCode, type StartupFailure } from './startup-failure.js';

const HOST_CHOICES = 'set HOST to an address of this machine (127.0.0.1: this machine only; 0.0.0.0: every interface)';

/** Why the HTTP server could not bind PORT on HOST, when it is the operator's setting; otherwise undefined. */
export function listenFailure(error: unknown, host: string, port: number): StartupFailure | undefined {
  switch (systemErrorCode(error)) {
    case 'EADDRINUSE':
      return startupFailure(`port ${port} on ${host} is already in use (another registry?)`, 'stop that process or set PORT to a free port (PORT=0 picks one)');
    case 'EACCES':
      return startupFailure(`port ${port} needs privileges this user does not have`, 'set PORT to 1024 or above');
    case 'EADDRNOTAVAIL':
      return startupFailure(`HOST=${host} is not an address of this machine`, HOST_CHOICES);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return startupFailure(`HOST=${host} does not resolve to an address`, `${HOST_CHOICES}, or a name that resolves`);
    default:
      return undefined;
  }
}
