import { defineRule } from '../engine/rule';
import type { Fix } from '../engine/types';
import type { SourceText } from '../model/positions';
import { UnverifiedDownload, unverifiedDownloads } from '../shell/downloads';
import { commandName } from '../shell/words';

export default defineRule({
  meta: {
    id: 'remote-download-unverified',
    category: 'unverified-download',
    description:
      'A downloaded file is extracted, installed, run or made executable in an image build or at container ' +
      'start with no checksum or signature check.',
    severity: { recommended: 'warning', strict: 'error' },
    fixable: true,
    messages: {
      build:
        '“{{download}}” downloads {{what}} and “{{use}}” {{action}} during the image build without a checksum ' +
        'or signature check: whatever the server returns that day goes into the image. Check its sha256 first.',
      start:
        '“{{download}}” downloads {{what}} and “{{use}}” {{action}} at every container start without a ' +
        'checksum or signature check: each start may get different content. Check its sha256 first.',
      buildUsedAtStart:
        '“{{download}}” downloads {{what}} during the image build and “{{use}}” {{action}} at container start ' +
        'without a checksum or signature check: every container runs whatever the server returned the day the ' +
        'image was built. Check its sha256 first.',
    },
  },
  check(context) {
    for (const found of unverifiedDownloads(context.model.shell)) {
      const { download, use } = found;
      // Only where the content ends up in an image or a container; a person's own machine is theirs.
      const atStart = download.place === 'container-start';
      if (download.context !== 'build' && !atStart) continue;
      const fix = checksumFix(found, context.model.source);
      context.report({
        range: download.range,
        messageId: atStart ? 'start' : use.place === 'container-start' ? 'buildUsedAtStart' : 'build',
        data: {
          download: commandName(download.argv[0])!,
          what: found.file ?? 'a file',
          use: commandName(use.argv[0])!,
          action: found.verb === 'makes executable' ? 'makes it executable' : `${found.verb} it`,
        },
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});

/**
 * Adds `&& echo "<sha256>  file" | sha256sum -c -` right after the download, where an `&&` chain
 * goes on from it: a wrong or unfilled checksum then stops the chain before the file is used.
 * Offered only for code written directly in the document with a plain file name.
 */
function checksumFix(found: UnverifiedDownload, source: SourceText): Fix | undefined {
  const { download, file } = found;
  if (!file || !download.snippet.editable || download.snippet.depth > 0) return undefined;
  if (!/^[\w./+@=:-]+$/.test(file)) return undefined;
  const end = found.redirect?.range.end ?? download.range.end;
  const after = source.text.slice(source.offsetAt(end));
  if (!/^(?:[ \t]|\\\r?\n)*&&/.test(after)) return undefined;
  const check = (sha: string) => ` && echo "${sha}  ${file}" | sha256sum -c -`;
  const at = { start: end, end };
  return {
    title: `Check the sha256 of ${file} before using it`,
    edits: [{ range: at, newText: check('${1:sha256}') }],
    snippet: true,
    plainEdits: [{ range: at, newText: check('<sha256>') }],
  };
}
