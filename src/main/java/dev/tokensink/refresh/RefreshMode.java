package dev.tokensink.refresh;

/** Why a refresh flight runs; decides, under the lock, whether the endpoint is called at all. */
enum RefreshMode {
  /** A caller holds a credential that is not servable: refresh unless the stored one is. */
  SERVE,
  /** ReportOutcome(AUTH_FAILED): refresh unless the stored access token already differs. */
  FORCE,
  /** The scheduler: refresh when the stored credential is inside its (jittered) refresh window. */
  PROACTIVE,
  /** Start-up: act only on a "refresh in flight" marker left by a crash. */
  RECOVER
}
