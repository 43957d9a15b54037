import { readFileSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';

/**
 * What the kernel still holds of what the gateway wrote to a TCP socket (Linux: the `tx_queue` of
 * the socket's line in /proc/net/tcp and tcp6). Above the socket's buffer, a client that reads
 * slowly is invisible: the kernel wakes a writer only once a third of its send buffer (up to 4 MiB)
 * is free, so a client reading 4 KiB/s takes minutes to make Node's socket drain, while here its
 * every window update shows. Read only for a client that has taken nothing for a while
 * (client-stall-watch.ts); one read of the tables serves every such client for a second.
 */

const tablePaths = ['/proc/self/net/tcp', '/proc/self/net/tcp6'];
const tableLifetimeMs = 1000;
const onLinux = process.platform === 'linux';

let tables = '';
let tablesReadAt = -Infinity;

function currentTables(): string {
  const now = performance.now();
  if (now - tablesReadAt < tableLifetimeMs) return tables;
  tablesReadAt = now;
  tables = '';
  for (const path of tablePaths) {
    try {
      tables += readFileSync(path, 'latin1');
    } catch {
      // No IPv6 (or no /proc): the other table, or nothing.
    }
  }
  return tables;
}

/** The socket's inode, which names its line in the TCP tables; null where that cannot be known (not Linux, no descriptor). */
export function socketInode(socket: Socket): string | null {
  if (!onLinux) return null;
  // Node keeps the descriptor on the socket's handle (undocumented, stable since Node 0.x).
  const fd = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return null;
  try {
    const link = readlinkSync(`/proc/self/fd/${fd}`);
    return link.startsWith('socket:[') ? link.slice(8, -1) : null;
  } catch {
    return null;
  }
}

/** Bytes the kernel holds for the socket with this inode that its peer has not acknowledged; -1 when not found. */
export function kernelSendQueue(inode: string): number {
  const text = currentTables();
  const needle = ` ${inode} `;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
    const fields = text.slice(lineStart, at + needle.length).trim().split(/\s+/);
    if (fields.length !== 10 || fields[9] !== inode) continue;
    const queue = fields[4]!.split(':')[0]!;
    return Number.parseInt(queue, 16);
  }
  return -1;
}
