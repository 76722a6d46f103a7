package dev.tokensink.openclaw;

import java.util.List;

/**
 * What the import did (or, in a dry run, would do) for one tokensink agent. Ids only, never
 * secrets.
 *
 * @param imported profiles written (new, or replaced with {@code --overwrite})
 * @param unchanged profiles tokensink already holds with the same content
 * @param skipped profiles left out, each with its reason
 * @param needsLogin imported profiles a person must log in to again (refresh fence, expired token)
 * @param unresolved imported profiles whose secret ref tokensink will not resolve ({@code
 *     exec}/{@code store})
 * @param oneOwner per imported OAuth profile: stop refreshing it in OpenClaw (and who else used it)
 * @param error why nothing was written for this agent, or null
 */
public record AgentReport(
    String agent,
    Status status,
    List<ImportReport.Line> imported,
    List<ImportReport.Line> unchanged,
    List<ImportReport.Line> skipped,
    List<ImportReport.Line> needsLogin,
    List<ImportReport.Line> unresolved,
    List<String> warnings,
    List<ImportReport.Line> oneOwner,
    String error) {

  /** The agent's outcome. */
  public enum Status {
    /** Changes were written. */
    WRITTEN,
    /** Dry run: these changes would be written. */
    WOULD_WRITE,
    /** Nothing to change. */
    UP_TO_DATE,
    /** Nothing written: the source could not be read for this agent, or the store refused. */
    FAILED
  }

  public AgentReport {
    imported = List.copyOf(imported);
    unchanged = List.copyOf(unchanged);
    skipped = List.copyOf(skipped);
    needsLogin = List.copyOf(needsLogin);
    unresolved = List.copyOf(unresolved);
    warnings = List.copyOf(warnings);
    oneOwner = List.copyOf(oneOwner);
  }

  static AgentReport failed(String agent, String error) {
    return new AgentReport(
        agent,
        Status.FAILED,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        error);
  }

  /** True when some profile could not be imported for a reason that needs fixing. */
  boolean hasProblems() {
    return status == Status.FAILED || skipped.stream().anyMatch(ImportReport.Line::problem);
  }
}
