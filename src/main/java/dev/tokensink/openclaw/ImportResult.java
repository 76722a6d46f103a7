package dev.tokensink.openclaw;

/** The result of one import run: the report and the process exit code the CLI should use. */
public record ImportResult(ImportReport report) {
  public int exitCode() {
    return report.exitCode();
  }

  public String text() {
    return ReportRenderer.text(report);
  }

  public String json() {
    return ReportRenderer.json(report);
  }
}
