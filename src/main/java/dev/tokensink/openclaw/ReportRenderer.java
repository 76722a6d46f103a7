package dev.tokensink.openclaw;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tokensink.store.StoreJson;
import java.util.List;

/**
 * Renders an {@link ImportReport} as a text table (for people) or JSON (for scripts). No secrets.
 */
public final class ReportRenderer {
  private ReportRenderer() {}

  public static String json(ImportReport report) {
    try {
      return StoreJson.MAPPER.writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the import report", e);
    }
  }

  public static String text(ImportReport r) {
    StringBuilder out = new StringBuilder();
    if (r.error() != null) {
      return out.append("import openclaw: ").append(r.error()).append('\n').toString();
    }
    out.append(r.dryRun() ? "Dry run, nothing written. " : "")
        .append("OpenClaw state dir ")
        .append(r.from())
        .append(" (")
        .append(r.layout())
        .append(" layout)\n\n");
    out.append(String.format("%-10s %-48s %-8s %s%n", "AGENT", "PROFILE", "TYPE", "RESULT"));
    for (AgentReport a : r.agents()) {
      if (a.error() != null) {
        out.append(
            String.format("%-10s %-48s %-8s %s%n", a.agent(), "-", "-", "FAILED: " + a.error()));
        continue;
      }
      rows(out, a.agent(), a.imported(), r.dryRun() ? "would import" : "imported");
      rows(out, a.agent(), a.unchanged(), "unchanged");
      rows(out, a.agent(), a.skipped(), "skipped");
      if (a.imported().isEmpty() && a.unchanged().isEmpty() && a.skipped().isEmpty()) {
        out.append(
            String.format("%-10s %-48s %-8s %s%n", a.agent(), "-", "-", "nothing to import"));
      }
    }
    for (AgentReport a : r.agents()) {
      section(out, "Needs a new login (" + a.agent() + ")", a.needsLogin());
      section(out, "Unresolved secret refs (" + a.agent() + ")", a.unresolved());
      section(out, "One owner per grant (" + a.agent() + ")", a.oneOwner());
      if (!a.warnings().isEmpty()) {
        out.append("\nWarnings (").append(a.agent()).append("):\n");
        a.warnings().forEach(w -> out.append("  ").append(w).append('\n'));
      }
    }
    if (!r.notes().isEmpty()) {
      out.append("\nNotes:\n");
      r.notes().forEach(n -> out.append("  ").append(n).append('\n'));
    }
    out.append('\n')
        .append(r.importedCount())
        .append(r.dryRun() ? " profile(s) would be imported" : " profile(s) imported")
        .append(", exit ")
        .append(r.exitCode())
        .append('\n');
    return out.toString();
  }

  private static void rows(
      StringBuilder out, String agent, List<ImportReport.Line> lines, String result) {
    for (ImportReport.Line l : lines) {
      String detail =
          result
              + (l.source() != null ? " (OpenClaw " + l.source() + ")" : "")
              + (l.detail() != null ? ": " + l.detail() : "");
      out.append(
          String.format(
              "%-10s %-48s %-8s %s%n",
              agent, l.profile(), l.type() == null ? "-" : l.type(), detail));
    }
  }

  private static void section(StringBuilder out, String title, List<ImportReport.Line> lines) {
    if (lines.isEmpty()) {
      return;
    }
    out.append('\n').append(title).append(":\n");
    lines.forEach(
        l -> out.append("  ").append(l.profile()).append(": ").append(l.detail()).append('\n'));
  }
}
