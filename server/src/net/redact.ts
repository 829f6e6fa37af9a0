/**
 * URLs as they may be shown: a user name or password in a URL (`http://user:secret@proxy:3128`)
 * becomes `***`. Every message that quotes a URL goes through here.
 */
export function redactUrl(url: URL | string): string {
  if (typeof url !== 'string') return url.username || url.password ? redactText(url.href) : url.href;
  return redactText(url);
}

/** Replaces the user-info of every `scheme://user:pass@host` in free text. */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"'<>]*@/gi, '$1***@');
}
