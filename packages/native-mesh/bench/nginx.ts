// The nginx reference pair: a client-side and a server-side nginx, one worker process each (the
// same cores as a sidecar pair: one process per hop; `master_process off` so that process is the
// one /proc measures), keep-alive upstream connections.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { startProgram } from './processes.js';

export function nginxVersion(): string | undefined {
  const result = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  if (result.error) return undefined;
  return /nginx\/(\S+)/.exec(result.stderr)?.[1] ?? 'unknown';
}

/** Files for an mTLS pair: each side's key and certificate, and the CA both trust. */
export interface TlsFiles {
  readonly caFile: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

export interface NginxPair {
  /** Where the load goes (the client-side nginx). */
  readonly clientPort: number;
  /** The server-side nginx alone (one hop in front of the app). */
  readonly serverPort: number;
  readonly client: ChildProcess;
  readonly server: ChildProcess;
}

function config(dir: string, name: string, server: string, upstream: string, proxyPass: string, accessLog: boolean): string {
  return `worker_processes 1; master_process off; daemon off; pid ${dir}/${name}.pid; error_log ${dir}/${name}-error.log;
events { worker_connections 1024; }
http { access_log ${accessLog ? `${dir}/${name}-access.log` : 'off'}; client_body_temp_path ${dir}; proxy_temp_path ${dir};
  upstream up { server ${upstream}; keepalive 64; }
  server { ${server}
    location / { ${proxyPass} proxy_http_version 1.1; proxy_set_header Connection ""; } } }
`;
}

/**
 * Starts the pair in front of the app. With `tls`, the hop between the two nginx is mutual TLS
 * 1.3: the server side requires a client certificate from the CA (`ssl_verify_client on`), the
 * client side presents its own. The client side does not check the server's name: the mesh's
 * certificates carry only a SPIFFE URI, which nginx cannot match, and the check costs nothing
 * once keep-alive connections are up. Like the mTLS sidecar rows, the mTLS pair writes access logs.
 */
export async function startNginxPair(
  dir: string,
  appPort: number,
  ports: { client: number; server: number },
  tls?: TlsFiles,
): Promise<NginxPair> {
  const serverListen = tls
    ? `listen 127.0.0.1:${ports.server} ssl; ssl_protocols TLSv1.3; ssl_certificate ${tls.serverCertFile}; ssl_certificate_key ${tls.serverKeyFile};
    ssl_client_certificate ${tls.caFile}; ssl_verify_client on;`
    : `listen 127.0.0.1:${ports.server};`;
  const clientPass = tls
    ? `proxy_pass https://up; proxy_ssl_protocols TLSv1.3; proxy_ssl_certificate ${tls.clientCertFile}; proxy_ssl_certificate_key ${tls.clientKeyFile};
      proxy_ssl_trusted_certificate ${tls.caFile}; proxy_ssl_session_reuse on;`
    : 'proxy_pass http://up;';
  const files = [
    ['server', config(dir, 'server', serverListen, `127.0.0.1:${appPort}`, 'proxy_pass http://up;', tls !== undefined)],
    ['client', config(dir, 'client', `listen 127.0.0.1:${ports.client};`, `127.0.0.1:${ports.server}`, clientPass, tls !== undefined)],
  ] as const;
  const started: ChildProcess[] = [];
  for (const [name, text] of files) {
    const file = join(dir, `${name}.conf`);
    writeFileSync(file, text);
    started.push(startProgram('nginx', ['-c', file, '-p', dir]));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { clientPort: ports.client, serverPort: ports.server, server: started[0]!, client: started[1]! };
}

export function nginxTempDir(): string {
  return mkdtempSync(join(tmpdir(), 'anymesh-bench-nginx-'));
}
