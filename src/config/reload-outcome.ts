/** What started a reload: the file watch, SIGHUP (and callers that name nothing), or POST /config/reload. */
export type ReloadTrigger = 'file' | 'signal' | 'admin_api';

/**
 * How one reload of the config file ended, kept by the gateway for the Admin API
 * (GET /config/status, POST /config/reload): a rejected reload leaves the running configuration
 * serving and /readyz ready, so without this only the log said the edit was not applied.
 */
export interface ReloadOutcome {
  /** When it ended (ISO 8601, UTC). */
  at: string;
  trigger: ReloadTrigger;
  /** applied: the new file serves; rejected: the running configuration stays. */
  result: 'applied' | 'rejected';
  /** Why it was rejected, one line per problem as logged (secrets masked: ConfigError); empty when applied. */
  problems: string[];
  /** Settings the file changed that apply only at the next start (restart-only-settings.ts). */
  restart_needed: string[];
}
