/** Test-time key material made with `openssl` (never checked in). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireTools, run } from './registryHarness';

export interface TestCa {
  caFile: string;
  certFile: string;
  keyFile: string;
}

/** A self-signed CA and a server certificate for 127.0.0.1 / localhost signed by it. */
export function makeTestCa(dir: string): TestCa {
  requireTools('openssl');
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const certFile = join(dir, 'server.pem');
  const ext = join(dir, 'server.ext');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('openssl', [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    caKey,
    '-out',
    caFile,
    '-days',
    '2',
    '-subj',
    '/CN=DriftGuard Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run('openssl', ['req', ...ec, '-keyout', keyFile, '-out', csr, '-subj', '/CN=127.0.0.1']);
  writeFileSync(
    ext,
    'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' +
      'subjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    certFile,
    '-days',
    '2',
    '-extfile',
    ext,
  ]);
  return { caFile, certFile, keyFile };
}

/** P-256 key and self-signed certificate for a token issuer (the registry's rootcertbundle). */
export function makeTokenKey(dir: string): { keyFile: string; certFile: string } {
  requireTools('openssl');
  const keyFile = join(dir, 'token.key');
  const certFile = join(dir, 'token.pem');
  run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', keyFile]);
  run('openssl', [
    'req',
    '-new',
    '-x509',
    '-key',
    keyFile,
    '-out',
    certFile,
    '-days',
    '2',
    '-subj',
    '/CN=test-token-issuer',
  ]);
  return { keyFile, certFile };
}
