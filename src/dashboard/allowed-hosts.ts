/**
 * Which `Host` names the dashboard answers to. A page on another site can make a browser send
 * requests to 127.0.0.1 under the site's own name (DNS rebinding) and read the answers as its
 * own; refusing every name but the ones the dashboard is reached by closes that door. Allowed:
 * `localhost`, `127.0.0.1`, `[::1]`, the address it is bound to (with a wildcard address such as
 * 0.0.0.0: this machine's addresses and host name), and names added with `--allowed-host`.
 */
import { hostname, networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** A host name as compared: lower case, no brackets around an IPv6 address, no final dot. */
export function normalHostName(name: string): string {
  const trimmed = name.trim().toLowerCase();
  const bare = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  return bare.endsWith('.') ? bare.slice(0, -1) : bare;
}

/**
 * The host name of a `Host` header (`127.0.0.1:8080`, `[::1]:8080`, `example.com`), normalised;
 * undefined when there is none.
 */
export function hostOfHeader(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const text = header.trim();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end < 0 ? undefined : normalHostName(text.slice(0, end + 1));
  }
  const colon = text.lastIndexOf(':');
  const name = colon >= 0 && /^\d*$/.test(text.slice(colon + 1)) ? text.slice(0, colon) : text;
  return normalHostName(name);
}

/** The names a dashboard bound to `bound` answers to, with `extra` (`--allowed-host`). */
export function allowedHostNames(
  bound: string | undefined,
  extra: readonly string[] = [],
): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (bound !== undefined) {
    if (WILDCARDS.has(bound.trim())) {
      for (const list of Object.values(networkInterfaces()))
        for (const address of list ?? []) names.add(normalHostName(address.address));
      names.add(normalHostName(hostname()));
    } else {
      names.add(normalHostName(bound));
    }
  }
  for (const name of extra) names.add(normalHostName(name));
  return names;
}

/** How an allowed name is written in a message: IPv6 addresses in brackets. */
export function shownHostName(name: string): string {
  return name.includes(':') ? `[${name}]` : name;
}
