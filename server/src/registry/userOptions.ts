import type { RegistryUserSettings } from '../net/userSettings';
import type { RegistryClientOptions } from './client';

/** Client options from the user's registry settings (and the platform to pin, when one is asked for). */
export function registryOptions(settings: RegistryUserSettings & { platform?: string }): RegistryClientOptions {
  return {
    timeoutMs: settings.timeoutMs,
    insecure: settings.insecure,
    ...(settings.caFile ? { caFile: settings.caFile } : {}),
    ...(settings.proxy ? { proxy: settings.proxy } : {}),
    ...(settings.platform ? { platform: settings.platform } : {}),
  };
}
