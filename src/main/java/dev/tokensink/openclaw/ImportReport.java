package dev.tokensink.openclaw;

import java.util.List;

/**
 * The outcome of {@code tokensink import openclaw}: one {@link AgentReport} per agent, notes about
 * the source, and the fatal error if the source could not be read at all. Render with {@link
 * ReportRenderer}. Exit code (docs/api.md): 0 something imported or nothing to do; 1 failures with
 * nothing imported (or a database that stayed busy); 2 bad input with nothing imported.
 */
public record ImportReport(
    String from,
    String layout,
    boolean dryRun,
    List<AgentReport> agents,
    List<String> notes,
    String error,
    int exitCode) {

  /**
   * One profile in a report list; {@code source} is OpenClaw's id when it differs, {@code problem}
   * for skips.
   */
  public record Line(String profile, String source, String type, String detail, boolean problem) {}

  public ImportReport {
    agents = List.copyOf(agents);
    notes = List.copyOf(notes);
  }

  static ImportReport fatal(String from, OpenClawImportException e, boolean dryRun) {
    return new ImportReport(
        from, null, dryRun, List.of(), List.of(), e.getMessage(), e.kind().exitCode());
  }

  /**
   * {@code anyBadInput}: an agent failed on unreadable source data (not on a busy database or the
   * store).
   */
  static int exitCode(List<AgentReport> agents, boolean anyBadInput) {
    boolean imported = agents.stream().anyMatch(a -> !a.imported().isEmpty());
    if (imported || agents.stream().noneMatch(AgentReport::hasProblems)) {
      return 0;
    }
    boolean invalidProfiles =
        agents.stream().flatMap(a -> a.skipped().stream()).anyMatch(Line::problem);
    return anyBadInput || invalidProfiles ? 2 : 1;
  }

  /** Total profiles imported (or that would be, in a dry run). */
  public int importedCount() {
    return agents.stream().mapToInt(a -> a.imported().size()).sum();
  }
}
