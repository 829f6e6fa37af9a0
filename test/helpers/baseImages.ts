/**
 * Base images whose config blobs say which distribution they are built on, the way the official
 * images' do: the Debian builder's history line, Ubuntu's OCI labels, Alpine's root file system
 * name. Multi-arch images whose platforms are built on different releases, too.
 */
import { makeImage, Seeder } from './registrySeed';

export interface BaseImages {
  /** `library/python:3.12-slim`: amd64 on `codename` (the test mirror's release), arm64 on trixie. */
  python: string;
  /** `acme/ubuntu-app:1.0`: amd64 only, built on Ubuntu 24.04 (labels). */
  ubuntuApp: string;
  /** `library/php:8.3-fpm-alpine`: Alpine 3.20 (minirootfs in history). */
  phpAlpine: string;
  /** `acme/distroless:1`: no distribution markers. */
  distroless: string;
}

const debianHistory = (arch: string, codename: string): string[] => [
  `# debian.sh --arch '${arch}' out/ '${codename}' '@1743984000'`,
  'CMD ["bash"]',
  'ENV PYTHON_VERSION=3.12.10',
  'RUN /bin/sh -c set -eux; apt-get update; apt-get install -y --no-install-recommends ca-certificates # buildkit',
];

export async function pushBaseImages(registryUrl: string, codename: string): Promise<BaseImages> {
  const s = new Seeder(registryUrl);
  try {
    const python = await s.pushImages(
      'library/python',
      [
        makeImage({ version: 'py-amd64', architecture: 'amd64', history: debianHistory('amd64', codename) }),
        makeImage({
          version: 'py-arm64',
          architecture: 'arm64',
          variant: 'v8',
          history: debianHistory('arm64', 'trixie'),
        }),
      ],
      ['3.12-slim', '3.12'],
    );
    const ubuntuApp = await s.pushImages(
      'acme/ubuntu-app',
      [
        makeImage({
          version: 'ubuntu-app',
          architecture: 'amd64',
          history: [
            'ARG RELEASE',
            'ARG LAUNCHPAD_BUILD_ARCH',
            'LABEL org.opencontainers.image.ref.name=ubuntu',
            'LABEL org.opencontainers.image.version=24.04',
            'ADD file:6df775300d76441aa33f31b22c1afce8dfe35c8ffbc14ef27c27009235b12a95 in / ',
            'CMD ["/bin/bash"]',
            'COPY app /app # buildkit',
          ],
          labels: { 'org.opencontainers.image.ref.name': 'ubuntu', 'org.opencontainers.image.version': '1.0.0' },
        }),
      ],
      ['1.0'],
    );
    const phpAlpine = await s.pushImages(
      'library/php',
      [
        makeImage({
          version: 'php-alpine',
          architecture: 'amd64',
          history: [
            'ADD alpine-minirootfs-3.20.6-x86_64.tar.gz / # buildkit',
            'CMD ["/bin/sh"]',
            'ENV PHP_VERSION=8.3.14',
          ],
        }),
      ],
      ['8.3-fpm-alpine'],
    );
    const distroless = await s.pushImages(
      'acme/distroless',
      [makeImage({ version: 'distroless', architecture: 'amd64', history: ['COPY rootfs / # buildkit'] })],
      ['1'],
    );
    return { python, ubuntuApp, phpAlpine, distroless };
  } finally {
    s.close();
  }
}
